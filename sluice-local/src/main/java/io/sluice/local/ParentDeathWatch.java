package io.sluice.local;

import io.sluice.local.connect.ConnectWorkerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Stops a native child process (ClickHouse, MariaDB, sysbench) when this JVM dies, however it dies, SIGKILL
 * included, when no shutdown hook runs. The JVM child {@link ConnectWorkerProcess} watches its parent itself; a
 * native server cannot, so each gets a small watchdog: {@code /bin/sh} reading a pipe whose only writer is this
 * JVM. The kernel closes the pipe when the JVM exits, the watchdog reads end-of-file, and sends the child SIGTERM
 * (a clean shutdown), then SIGKILL after the grace period. Before each signal it checks that the pid still belongs
 * to the same process (its start time in {@code /proc/<pid>/stat}), so a reused pid is never signalled.
 *
 * <p>{@link #close()} ends the watchdog without touching the child; call it before stopping the child normally.
 */
public final class ParentDeathWatch implements AutoCloseable {

    private static final String SCRIPT = String.join("\n",
            "pid=$1; tenths=$2",
            // Field 22 of /proc/<pid>/stat is the start time, field 3 the state; both counted after the ')' that
            // ends the process name.
            "st() { s=$(cat /proc/$pid/stat 2>/dev/null) || return 1; s=${s##*) }; set -- $s; shift 19; echo \"$1\"; }",
            "same() { s=$(cat /proc/$pid/stat 2>/dev/null) || return 1; s=${s##*) }; set -- $s;"
                    + " [ \"$1\" != Z ] || return 1; shift 19; [ \"$1\" = \"$start\" ]; }",
            "start=$(st) || exit 0",
            "while read -r _; do :; done",
            "same || exit 0",
            "kill -TERM $pid 2>/dev/null",
            "i=0",
            "while [ $i -lt $tenths ] && same; do sleep 0.1; i=$((i+1)); done",
            "same && kill -KILL $pid 2>/dev/null",
            "exit 0",
            "");

    private final Process watchdog;

    private ParentDeathWatch(Process watchdog) {
        this.watchdog = watchdog;
    }

    /**
     * Starts the watchdog of a child.
     *
     * @param child the child process to stop when this JVM dies
     * @param grace how long to wait after SIGTERM before SIGKILL
     * @return the running watch
     * @throws UncheckedIOException if {@code /bin/sh} cannot be started
     */
    public static ParentDeathWatch start(Process child, Duration grace) {
        long tenths = Math.max(1, grace.toMillis() / 100);
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", SCRIPT, "sluice-watch", Long.toString(child.pid()),
                    Long.toString(tenths))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start(); // stdin stays a pipe from this JVM: its end-of-file is the JVM's death
            return new ParentDeathWatch(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the watchdog of pid " + child.pid(), e);
        }
    }

    /** Returns the watchdog's pid. */
    public long pid() {
        return watchdog.pid();
    }

    /** Ends the watchdog with SIGKILL, leaving the child alone; idempotent. */
    @Override
    public void close() {
        watchdog.destroyForcibly();
        try {
            watchdog.waitFor();
            watchdog.getOutputStream().close(); // only now: end-of-file is the watchdog's signal to act
        } catch (IOException e) {
            // the pipe is gone either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
