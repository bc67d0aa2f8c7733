package io.sluice.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * One line of live progress in the terminal: records produced, consumer lag, rows in ClickHouse and the rate at
 * which rows arrive. On a terminal the line is rewritten in place; otherwise a line is printed per update.
 */
final class Progress {

    private final PrintWriter out;
    private final boolean tty;
    private long lastRows = -1;
    private long lastNanos;
    private java.util.function.Supplier<String> extra = () -> "";

    Progress(PrintWriter out, boolean tty) {
        this.out = out;
        this.tty = tty;
    }

    /** Appends {@code " | " + extra.get()} to every line from now on (for example the CDC lag). */
    void extra(java.util.function.Supplier<String> extra) {
        this.extra = () -> " | " + extra.get();
    }

    /**
     * Prints one update.
     *
     * @param elapsedSeconds seconds since the demo started
     * @param produced       records acknowledged by Kafka
     * @param lag            records in the topic not yet committed by the sink, or -1 if unknown
     * @param rows           rows in the ClickHouse table
     */
    void update(long elapsedSeconds, long produced, long lag, long rows) {
        long now = System.nanoTime();
        double rate = lastRows < 0 ? 0 : (rows - lastRows) / ((now - lastNanos) / 1e9);
        lastRows = rows;
        lastNanos = now;
        String line = String.format(Locale.ROOT, "[%4ds] produced %,10d | sink lag %9s | rows in ClickHouse %,10d | %,9.0f rows/s",
                elapsedSeconds, produced, lag < 0 ? "?" : String.format(Locale.ROOT, "%,d", lag), rows, rate) + extra.get();
        if (tty) {
            out.print("\r" + line);
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the in-place line. */
    void done() {
        if (tty) {
            out.println();
        }
    }
}
