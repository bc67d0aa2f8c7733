package io.sluice.bench;

import io.sluice.local.verify.ClickHouseQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * One timed run of a {@link Contender}: it loads the benchmark topic into a fresh table of the shape's DDL, and
 * the run is timed from its start until the table holds every row of the topic (count polled every 20 ms), and
 * also from the first new row visible (from the poll before the first new rows were seen, so a run that lands in
 * a few large inserts is not flattered). A run starts once ClickHouse runs no merges. It measures the CPU of this
 * JVM and of ClickHouse ({@link CpuMeter}) over the run, then checks count, distinct Kafka coordinates and a
 * checksum against the source, and drops the table.
 *
 * <p>Bounded: a run fails after 5 minutes, or after 60 s without a new row.
 */
final class LoadRun {

    private static final Duration RUN_LIMIT = Duration.ofMinutes(5);
    private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

    private LoadRun() {
    }

    /** Puts rows into a just-created, empty table before the run starts (untimed), as a resumed sink finds it. */
    interface Prefill {
        /** Returns how many rows it put into {@code table}. */
        long fill(ClickHouseQuery ch, String table);
    }

    /**
     * The measurements of one run.
     *
     * @param loaded     rows the run added (the topic's rows less the prefilled ones)
     * @param seconds    from the contender's start until the table held every row
     * @param fromFirst  from the poll before the first new row until every row
     * @param middleRate rows/s between the first counts seen at or past 10 % and 90 % of the rows to add, NaN if
     *                   one step of the count covered both
     * @param jvmCpu     CPU seconds of this JVM over the run
     * @param chCpu      CPU seconds of the ClickHouse server over the run
     * @param parts      active parts of the table at the end
     * @param threads    per-thread CPU breakdown and sink details, for the log
     */
    record Result(Contender contender, int round, long loaded, double seconds, double fromFirst, double middleRate,
                  double jvmCpu,
                  double chCpu, long parts, boolean countOk, Boolean coordinatesOk, boolean checksumOk,
                  String threads) {

        /** Returns rows added per second, start to end. */
        double rate() {
            return loaded / seconds;
        }

        /** Returns rows added per second, from the first new row. */
        double rateFromFirst() {
            return loaded / fromFirst;
        }

        /** Returns JVM CPU seconds per million rows added. */
        double jvmCpuPerMillion() {
            return jvmCpu / (loaded / 1e6);
        }

        /** Returns ClickHouse CPU seconds per million rows added. */
        double chCpuPerMillion() {
            return chCpu / (loaded / 1e6);
        }
    }

    /**
     * Runs {@code c} once into a new table {@code t_<shape>_<runNo>}.
     *
     * @param round    0 for the warm-up, else the measured round
     * @param runNo    a number unique within the bench (table, connector and group names)
     * @param checksum the source's checksum ({@link BenchRows#checksumSql()})
     * @param prefill  rows put into the table before the start, or {@code null} for an empty table
     * @throws IllegalStateException if the run fails, stalls or exceeds its time limit (the contender is stopped)
     */
    static Result measure(BenchContext ctx, CpuMeter meter, Contender c, int round, int runNo, String checksum,
                          Prefill prefill) throws Exception {
        ClickHouseQuery ch = ctx.ch();
        BenchRows data = ctx.data();
        long rows = data.json.size();
        String table = "t_" + data.shape + "_" + runNo;
        ch.execute(data.createTableSql(table, c instanceof SinkContender ? ctx.topic() : null));
        long before = prefill == null ? 0 : prefill.fill(ch, table);
        awaitNoMerges(ch);
        CpuMeter.Snapshot s0 = meter.snapshot();
        long t0 = System.nanoTime();
        long first = 0;
        long lastChange = t0;
        List<long[]> steps = new ArrayList<>();
        long landed = before;
        c.start(table, runNo);
        try {
            long previous = t0;
            for (int poll = 1; landed < rows; poll++) {
                Thread.sleep(20);
                long n = ch.scalar("SELECT count() FROM " + table);
                long now = System.nanoTime();
                if (n > before && first == 0) {
                    first = previous; // the first rows landed after the previous poll: count from there
                }
                previous = now;
                if (n != landed) {
                    steps.add(new long[] {now - t0, n});
                    landed = n;
                    lastChange = now;
                }
                Throwable failed = poll % 50 == 0 ? c.failure() : null;
                if (failed != null || now - t0 > RUN_LIMIT.toNanos() || now - lastChange > STALL_LIMIT.toNanos()) {
                    throw new IllegalStateException(c.name() + " stopped at " + n + " of " + rows + " rows", failed);
                }
            }
        } catch (Exception e) {
            c.stop();
            throw e;
        }
        long end = System.nanoTime();
        CpuMeter.Snapshot s1 = meter.snapshot();
        long parts = ch.scalar("SELECT count() FROM system.parts WHERE database = currentDatabase() AND table = '"
                + table + "' AND active");
        String threads = CpuMeter.topThreads(s0, s1, rows - before, 6);
        if (c instanceof SinkContender) {
            threads += "\n    plugin versions: " + ((SinkContender) c).versions()
                    + "\n    consumer group: " + ((SinkContender) c).rebalances()
                    + "\n    sink task metrics over JMX: " + ((SinkContender) c).insertMetrics();
        }
        threads += "\n    last row counts seen (ms since start: rows): " + steps.subList(Math.max(0, steps.size() - 4),
                steps.size()).stream().map(x -> x[0] / 1_000_000 + ": " + x[1]).collect(Collectors.joining(", "));
        c.stop();
        Thread.sleep(500); // late duplicates, if any, land now
        long count = ch.scalar("SELECT count() FROM " + table);
        Boolean coordinates = c.writesCoordinates()
                ? ch.scalar("SELECT uniqExact(_kafka_partition, _kafka_offset) FROM " + table) == rows : null;
        boolean sum = ch.execute("SELECT " + data.checksumSql() + " FROM " + table).trim().equals(checksum);
        ch.execute("DROP TABLE " + table);
        return new Result(c, round, rows - before, (end - t0) / 1e9, (end - first) / 1e9, middleRate(steps, before, rows),
                CpuMeter.jvmSeconds(s0, s1), CpuMeter.clickHouseSeconds(s0, s1), parts, count == rows, coordinates,
                sum, threads);
    }

    /** Returns rows/s between the first steps of the count at or past 10 % and 90 % of the rows to add, or NaN. */
    private static double middleRate(List<long[]> steps, long before, long rows) {
        long[] lo = null;
        long[] hi = null;
        for (long[] step : steps) {
            if (lo == null && step[1] - before >= (rows - before) / 10) {
                lo = step;
            }
            if (hi == null && step[1] - before >= (rows - before) * 9 / 10) {
                hi = step;
            }
        }
        return lo == null || hi == null || hi == lo ? Double.NaN : (hi[1] - lo[1]) / ((hi[0] - lo[0]) / 1e9);
    }

    /**
     * Runs a warm-up round and {@code rounds} measured rounds of every contender, in the given order in even
     * rounds and in reverse order in odd ones, printing each run; returns the measured runs.
     *
     * @param nextRun   gives each run its unique number
     * @param checksum  the source's checksum
     * @param prefill   rows put into each table before its run, or {@code null}
     * @throws IllegalStateException if a run fails
     */
    static List<Result> alternating(BenchContext ctx, CpuMeter meter, List<? extends Contender> contenders,
                                    int rounds, IntSupplier nextRun, String checksum, Prefill prefill)
            throws Exception {
        double bytesPerRow = (double) ctx.data().jsonBytes / ctx.data().json.size();
        List<Result> results = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            List<Contender> order = new ArrayList<>(contenders);
            if (round % 2 == 1) {
                Collections.reverse(order);
            }
            for (Contender c : order) {
                Result r = measure(ctx, meter, c, round, nextRun.getAsInt(), checksum, prefill);
                print(r, bytesPerRow);
                if (round > 0) {
                    results.add(r);
                }
            }
        }
        return results;
    }

    /**
     * Prints one run: rates, MB/s of JSON, CPU per million rows added, parts, the checks and the thread breakdown.
     *
     * @param jsonBytesPerRow mean JSON bytes per row of the topic
     */
    static void print(Result r, double jsonBytesPerRow) {
        System.out.printf(Locale.ROOT, "%s %-62s %,10.0f rows/s e2e (%.2f s), %,10.0f from first row (%.2f s), "
                        + "%,10.0f mid-run, %6.1f MB/s, JVM %.2f / ClickHouse %.2f CPU s per 1M rows, %d parts, count %s, "
                        + "coordinates %s, checksum %s%n    JVM threads, CPU s per 1M rows: %s%n",
                r.round() == 0 ? "warm-up" : "round " + r.round(), r.contender().name(), r.rate(), r.seconds(),
                r.rateFromFirst(), r.fromFirst(), r.middleRate(), r.rate() * jsonBytesPerRow / 1e6, r.jvmCpuPerMillion(),
                r.chCpuPerMillion(), r.parts(), ok(r.countOk()),
                r.coordinatesOk() == null ? "n/a" : ok(r.coordinatesOk()), ok(r.checksumOk()), r.threads());
    }

    private static String ok(boolean b) {
        return b ? "ok" : "DIFFERS";
    }

    /**
     * Waits (up to 2 minutes) until ClickHouse runs no merges, so that a run is not charged for the background
     * merges of the parts an earlier run wrote ({@code system.merges}).
     */
    static void awaitNoMerges(ClickHouseQuery ch) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (ch.scalar("SELECT count() FROM system.merges") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }
}
