package io.sluice.sink.clickhouse.writer;

import io.sluice.sink.clickhouse.http.ClickHouseException;

/**
 * For one partition after (re)assignment: the offsets at or after the resume position that are already rows of
 * the table, written by an earlier task whose offsets were not committed. Records are delivered in increasing
 * offset order, so lookups walk a cursor forward. The offsets are read in windows of at most {@code window}
 * offsets, the next one only when the cursor passes the last, so memory stays bounded however many rows a reset
 * partition already has in the table (a whole answer was held in one String before).
 */
public final class PartitionLedger {

    /** Reads the written offsets at or after {@code from}, ascending and distinct, at most {@code limit}. */
    public interface Reader {
        /**
         * @throws ClickHouseException  if the table cannot be read
         * @throws InterruptedException if interrupted while retrying
         */
        long[] read(long from, int limit) throws ClickHouseException, InterruptedException;
    }

    private final Reader reader;
    private final int window;
    private long[] written;
    private int cursor;
    /** True while the last window was full, so offsets after it may be written too. */
    private boolean more;
    private long total;

    private PartitionLedger(Reader reader, int window, long[] first) {
        this.reader = reader;
        this.window = window;
        this.written = first;
        this.more = first.length == window;
        this.total = first.length;
    }

    /**
     * Reads the first window.
     *
     * @param from   the resume position (the first offset delivered)
     * @param window the most offsets held at once, at least 1
     * @return the ledger, or {@code null} when no offset at or after {@code from} is written
     * @throws ClickHouseException  if the table cannot be read
     * @throws InterruptedException if interrupted while retrying
     */
    public static PartitionLedger open(Reader reader, long from, int window)
            throws ClickHouseException, InterruptedException {
        long[] first = reader.read(from, window);
        return first.length == 0 ? null : new PartitionLedger(reader, window, first);
    }

    /**
     * Returns true if the offset is already a row. Calls must come with non-decreasing offsets; a call past the
     * window reads the next one, from that offset on.
     *
     * @throws ClickHouseException  if the next window cannot be read
     * @throws InterruptedException if interrupted while retrying
     */
    public boolean contains(long offset) throws ClickHouseException, InterruptedException {
        while (true) {
            while (cursor < written.length && written[cursor] < offset) {
                cursor++;
            }
            if (cursor < written.length) {
                return written[cursor] == offset;
            }
            if (!more) {
                return false;
            }
            written = reader.read(Math.max(offset, written[written.length - 1] + 1), window);
            cursor = 0;
            more = written.length == window;
            total += written.length;
        }
    }

    /** Returns true when every written offset is behind the cursor, so the ledger can be dropped. */
    public boolean exhausted() {
        return cursor >= written.length && !more;
    }

    @Override
    public String toString() {
        return written.length == 0 ? "[]" : "[" + (more ? "at least " : "") + total + " offsets from " + written[0]
                + (more ? "" : " to " + written[written.length - 1]) + "]";
    }
}
