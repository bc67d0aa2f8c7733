package io.sluice.cli;

import io.sluice.local.verify.CdcChecksum;
import io.sluice.local.verify.CdcLagProbe;
import io.sluice.local.pipeline.CdcPipeline;
import io.sluice.local.LocalStack;
import io.sluice.local.server.MariaDbServer;
import io.sluice.local.pipeline.SysbenchWorkload;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The change-data-capture part of {@code sluice demo}: a MariaDB server with sysbench's OLTP schema (two
 * {@code sbtest} tables of 1,000 rows), the Debezium MariaDB connector and the sink in CDC mode, sysbench
 * {@code oltp_read_write} running during the demo (2 threads, at most 20 transactions/s), a lag probe for the
 * live progress, and at the end a row-by-row comparison of every table on both sides.
 */
final class DemoCdc implements AutoCloseable {

    static final String DATABASE = "shop";
    static final String SOURCE = "mariadb-shop";
    static final String SINK = "clickhouse-shop";
    private static final int TABLES = 2;
    private static final int TABLE_SIZE = 1000;
    private static final int THREADS = 2;
    private static final int RATE = 20;

    private final LocalStack stack;
    private MariaDbServer db;
    private SysbenchWorkload sysbench;
    private CdcLagProbe probe;

    DemoCdc(LocalStack stack) {
        this.stack = stack;
    }

    /** Returns the sysbench workload on the demo's schema ({@value #TABLES} tables of {@value #TABLE_SIZE} rows). */
    static SysbenchWorkload workload(MariaDbServer db) {
        return new SysbenchWorkload(db, DATABASE, TABLES, TABLE_SIZE, db.dir().resolve("logs/sysbench.log"));
    }

    /**
     * Runs the workload against a running sandbox, whose CDC pipeline and lag probe are already set up
     * ({@link Sandbox}): only sysbench starts here, and {@link #finish} compares the tables.
     *
     * @param db       a client handle on the sandbox's MariaDB (not started here)
     * @param duration how long sysbench runs
     */
    void startOnSandbox(MariaDbServer db, Duration duration, PrintWriter out) {
        this.db = db;
        sysbench = workload(db);
        sysbench.start(THREADS, RATE, duration);
        out.printf("Running sysbench oltp_read_write on the sandbox's MariaDB (127.0.0.1:%d; %d threads, at most %d "
                + "transactions/s) for %d s; its CDC lag is on ./sluice status%n", db.port(), THREADS, RATE,
                Math.max(1, duration.toSeconds()));
    }

    /**
     * Starts MariaDB, creates the schema, deploys both connectors and starts the workload and the lag probe.
     *
     * @param duration how long sysbench runs
     * @throws IllegalStateException if a step fails (the message says which)
     */
    void start(Duration duration, PrintWriter out) {
        db = stack.startMariaDb(1);
        CdcPipeline pipeline = new CdcPipeline(stack, db, DATABASE, "mariadb");
        pipeline.createDatabase();
        sysbench = workload(db);
        sysbench.prepare();
        probe = new CdcLagProbe(db, DATABASE, stack.clickHouse(), Duration.ofMillis(500));
        probe.createTable();
        out.printf("Started MariaDB on 127.0.0.1:%d (binlog ROW, FULL images) with sysbench's schema: %d tables x %,d rows%n",
                db.port(), TABLES, TABLE_SIZE);
        pipeline.deploy(SOURCE, pipeline.sourceConfig());
        pipeline.deploy(SINK, pipeline.sinkConfig(1));
        out.printf("Deployed Debezium MariaDbConnector '%s' (snapshot, then the binlog) and sink '%s' (ingest.mode=debezium):%n"
                + "  %s.<table> in MariaDB -> topic mariadb.%s.<table> -> ClickHouse <table>, current state in <table>_current%n",
                SOURCE, SINK, DATABASE, DATABASE);
        sysbench.start(THREADS, RATE, duration);
        probe.start();
        out.printf("Running sysbench oltp_read_write (%d threads, at most %d transactions/s) for %d s%n",
                THREADS, RATE, Math.max(1, duration.toSeconds()));
    }

    /** Returns the live progress part: the latest commit-to-visible lag. */
    String progress() {
        long lag = probe == null ? -1 : probe.lastLagMillis();
        return "CDC lag " + (lag < 0 ? "?" : String.format(Locale.ROOT, "%,d ms", lag));
    }

    /**
     * Waits for sysbench to finish, stops the probe, waits until every table converged (at most 120 s), and
     * prints per-table row counts and checksums of both sides.
     *
     * @return true if every table matches
     */
    boolean finish(PrintWriter out) throws InterruptedException {
        long transactions = sysbench.awaitEnd(Duration.ofSeconds(120));
        if (probe == null) {
            out.printf("%nsysbench committed %,d transactions%n", transactions);
        } else {
            probe.close();
            int all = probe.lagsMillis().size();
            int startup = probe.startupProbes();
            out.printf("%nsysbench committed %,d transactions; CDC lag (commit in MariaDB to visible in ClickHouse) "
                    + "over %d probes once the pipeline ran: p50 %,d ms, p99 %,d ms, max %,d ms; the %d probes "
                    + "committed while it started (the sink creates the probe table with the first) took up to %,d ms%n",
                    transactions, all - startup, probe.runningPercentileMillis(50), probe.runningPercentileMillis(99),
                    probe.runningPercentileMillis(100), startup, probe.percentileMillis(100));
        }
        List<String> tables = new ArrayList<>(sysbench.tableNames());
        tables.add(CdcLagProbe.TABLE);
        List<CdcChecksum.Result> results = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        for (String t : tables) {
            CdcChecksum.Result r = compare(t);
            while ((r == null || !r.matches()) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                r = compare(t);
            }
            results.add(r);
        }
        out.println("Change data capture, MariaDB table vs ClickHouse view <table>_current, row by row:");
        out.println(String.format(Locale.ROOT, "  %-18s %12s %18s %12s %18s  %s", "table", "MariaDB rows",
                "MariaDB checksum", "CH rows", "CH checksum", "match"));
        boolean ok = true;
        for (int i = 0; i < tables.size(); i++) {
            CdcChecksum.Result r = results.get(i);
            if (r == null) {
                out.printf("  %-18s (no ClickHouse view yet)%n", tables.get(i));
                ok = false;
                continue;
            }
            ok &= r.matches();
            out.println(String.format(Locale.ROOT, "  %-18s %,12d %18s %,12d %18s  %s", r.table(), r.sourceRows(),
                    r.sourceChecksum(), r.targetRows(), r.targetChecksum(), r.matches() ? "yes" : "NO"));
            if (!r.matches()) {
                out.println("    " + r.describe());
            }
        }
        return ok;
    }

    private CdcChecksum.Result compare(String table) {
        try {
            return CdcChecksum.compare(db, DATABASE, table, stack.clickHouse());
        } catch (IllegalStateException notYet) {
            return null;
        }
    }

    /** Stops the workload and the probe (MariaDB stops with the stack). */
    @Override
    public void close() {
        if (probe != null) {
            probe.close();
        }
        if (sysbench != null) {
            sysbench.close();
        }
    }

    @Override
    public String toString() {
        return "CDC demo (MariaDB, sysbench, lag probe)";
    }
}
