package io.sluice.local;

import java.io.File;
import java.util.concurrent.TimeUnit;

/** Helpers to find OS binaries and stop child processes. */
public final class ProcessLauncher {

    private ProcessLauncher() {
    }

    /**
     * Finds an executable on the PATH or in the usual sbin directories.
     *
     * @param name        executable name, e.g. {@code clickhouse-server}
     * @param installHint what to run to install it, shown in the error
     * @return the absolute path
     * @throws MissingBinaryException if it is not installed
     */
    public static String require(String name, String installHint) {
        String path = System.getenv("PATH");
        String search = (path == null ? "" : path) + File.pathSeparator + "/usr/sbin" + File.pathSeparator + "/usr/bin"
                + File.pathSeparator + "/sbin" + File.pathSeparator + "/usr/local/bin";
        for (String d : search.split(File.pathSeparator)) {
            File f = new File(d, name);
            if (f.isFile() && f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        throw new MissingBinaryException(name + " is not installed. Install it with: " + installHint
                + " (or run ./sluice setup, which installs every OS package the stack needs)");
    }

    /**
     * Stops a process: SIGTERM, then SIGKILL after the grace period.
     *
     * @param p           the process
     * @param graceMillis how long to wait for a clean exit, in milliseconds
     */
    public static void stop(Process p, long graceMillis) {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** An OS binary the stack needs is missing; the message says how to install it. */
    public static final class MissingBinaryException extends RuntimeException {
        /** @param message what is missing and how to install it */
        public MissingBinaryException(String message) {
            super(message);
        }
    }
}
