package io.sluice.local.pipeline;

import io.sluice.local.ParentDeathWatch;
import io.sluice.local.ProcessLauncher;
import io.sluice.local.server.MariaDbServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real OLTP workload on MariaDB: Debian's {@code sysbench} 1.0 running its {@code oltp_read_write} script
 * (per transaction: 14 reads, 2 index/non-index UPDATEs, 1 DELETE and 1 INSERT on random rows of the
 * {@code sbtest<N>} tables; sysbench docs, "oltp_read_write.lua"). Threads, rate and duration are bounded by the
 * caller. The password reaches sysbench through the {@code MYSQL_PWD} environment variable of the child process
 * (read by the MariaDB client library), never its command line. Output goes to a log file.
 */
public final class SysbenchWorkload implements AutoCloseable {

    private static final Pattern TRANSACTIONS = Pattern.compile("transactions:\\s+(\\d+)");

    private final MariaDbServer db;
    private final String database;
    private final int tables;
    private final int tableSize;
    private final Path log;
    private Process run;

    /**
     * @param db        the server
     * @param database  database holding the {@code sbtest} tables
     * @param tables    number of tables, {@code sbtest1..sbtestN}
     * @param tableSize rows per table created by {@link #prepare()}
     * @param log       file for sysbench's output (appended)
     */
    public SysbenchWorkload(MariaDbServer db, String database, int tables, int tableSize, Path log) {
        this.db = db;
        this.database = database;
        this.tables = tables;
        this.tableSize = tableSize;
        this.log = log;
    }

    /** Returns the table names, {@code sbtest1..sbtestN}. */
    public List<String> tableNames() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= tables; i++) {
            names.add("sbtest" + i);
        }
        return names;
    }

    /**
     * Creates and fills the tables ({@code sysbench oltp_read_write prepare}); the database must exist.
     *
     * @throws ProcessLauncher.MissingBinaryException if sysbench is not installed
     * @throws IllegalStateException                 if sysbench fails (the message has the tail of its log)
     */
    public void prepare() {
        Process p = launch("prepare", List.of());
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("sysbench prepare failed; see " + log + ": " + tail());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during sysbench prepare", e);
        }
    }

    /**
     * Starts {@code sysbench oltp_read_write run} in the background.
     *
     * @param threads  client threads
     * @param rate     transactions per second in total (sysbench {@code --rate}), 0 for unbounded
     * @param duration how long it runs (whole seconds, at least 1)
     * @throws IllegalStateException if it is already running
     */
    public void start(int threads, int rate, Duration duration) {
        if (run != null && run.isAlive()) {
            throw new IllegalStateException("sysbench is already running");
        }
        run = launch("run", List.of("--threads=" + threads, "--rate=" + rate,
                "--time=" + Math.max(1, duration.toSeconds()), "--report-interval=0"));
    }

    /**
     * Waits for {@code run} to end and returns the transactions it committed.
     *
     * @param timeout how long to wait before stopping it
     * @return committed transactions, from sysbench's summary
     * @throws IllegalStateException if it failed or printed no summary
     */
    public long awaitEnd(Duration timeout) {
        try {
            if (!run.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
            }
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for sysbench", e);
        }
        // The log is appended to by every run: this run's summary is the last one.
        Matcher m = TRANSACTIONS.matcher(tail());
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        if (run.exitValue() != 0 || last == null) {
            throw new IllegalStateException("sysbench run failed (exit " + run.exitValue() + "); see " + log + ": " + tail());
        }
        return Long.parseLong(last);
    }

    private Process launch(String command, List<String> extra) {
        String bin = ProcessLauncher.require("sysbench", "sudo apt-get install -y sysbench");
        List<String> cmd = new ArrayList<>(List.of(bin, "oltp_read_write", "--db-driver=mysql",
                "--mysql-host=" + db.host(), "--mysql-port=" + db.port(), "--mysql-user=" + MariaDbServer.ADMIN_USER,
                "--mysql-db=" + database, "--tables=" + tables, "--table-size=" + tableSize));
        cmd.addAll(extra);
        cmd.add(command);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().put("MYSQL_PWD", db.adminPassword());
            Process p = pb.start();
            // Stopped if this JVM dies first; the watch ends by itself once sysbench has exited.
            ParentDeathWatch watch = ParentDeathWatch.start(p, Duration.ofSeconds(5));
            p.onExit().thenRun(watch::close);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start sysbench", e);
        }
    }

    private String tail() {
        try {
            String s = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
        } catch (IOException e) {
            return "(cannot read " + log + ")";
        }
    }

    /** Stops a running {@code run} with SIGTERM (SIGKILL after 5 s); idempotent. */
    @Override
    public void close() {
        ProcessLauncher.stop(run, 5_000);
    }
}
