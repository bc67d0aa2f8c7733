package io.sluice.bench;

import io.sluice.local.LocalFiles;
import io.sluice.local.LocalStack;
import io.sluice.local.StackOptions;
import io.sluice.local.verify.ClickHouseQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * What a newer sink build costs against an older one, end to end, in one run: both builds are installed side by
 * side in the same Connect worker (each plugin zip reports its own version, and each connector picks one with
 * {@code connector.plugin.version}, KIP-891), and load the same topic into tables of the same shape on the same
 * stack, exactly-once, one task per partition, with the same {@code clickhouse.compression}. Made for issue 13's
 * safety work (bench/run-safety-cost.sh builds both commits), but it compares any two builds.
 *
 * <p>Cases, each a warm-up round and {@code rounds} measured rounds in alternating order ({@link LoadRun}):
 * <ul>
 *   <li>{@code fresh}: a new connector (new consumer group) loads the whole topic into an empty table;</li>
 *   <li>{@code resume}: a new connector over a table that already holds the first half of every partition, as
 *       after a task failed before its offsets were committed: the group starts at offset 0, and the resume
 *       check must find the written half and skip it. The prefilled rows were written by the newer build
 *       (once, untimed, into a source table), so the newer build's stored-row comparison sees its own bytes.
 *       Rates and CPU are per row the run added (the second half).</li>
 * </ul>
 *
 * <p>Per run: rows/s end to end, from the first new row and mid-run (10 % to 90 % of the rows to add, which
 * neither the start nor when the last insert is sent moves), seconds from the start to the first new row (the
 * startup checks, and in {@code resume} the skipping of the written half), CPU seconds per million rows added of this JVM
 * (broker, worker, both sinks' tasks, the bench's polling) and of ClickHouse, and checks of count, coordinates and
 * checksum against the source. The new/old ratios are taken within each round.
 *
 * <p>Arguments: {@code <old-version> <new-version> [rounds]} (rounds default 3): the plugin versions to compare,
 * as the plugin zips under {@code sluice.plugin.zips} report them. System properties: {@code sluice.bench.rows}
 * (sensor readings, 3,000,000), {@code sluice.bench.partitions} (2), {@code sluice.bench.compression}
 * ({@code none}), {@code sluice.bench.cases} ({@code fresh,resume}), {@code sluice.bench.label.old} and
 * {@code sluice.bench.label.new} (names in the tables). Each run is bounded as in {@link LoadRun}.
 */
public final class SafetyCostBench {

    private SafetyCostBench() {
    }

    /**
     * Runs the comparison and prints each run and, per case, a Markdown table and the new/old ratios.
     *
     * @param args old plugin version, new plugin version, measured rounds
     * @throws Exception on any failure; the stack is stopped and its work directory deleted
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: SafetyCostBench <old-version> <new-version> [rounds]");
        }
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int rows = Integer.getInteger("sluice.bench.rows", 3_000_000);
        int partitions = Integer.getInteger("sluice.bench.partitions", 2);
        String compression = System.getProperty("sluice.bench.compression", "none");
        List<String> cases = Arrays.asList(System.getProperty("sluice.bench.cases", "fresh,resume").split(","));

        Path work = Files.createTempDirectory("sluice-safety-bench");
        List<Path> zips = LocalFiles.zipsIn(Path.of(System.getProperty("sluice.plugin.zips")));
        try (LocalStack stack = new LocalStack(StackOptions.local(work, zips)).start()) {
            CpuMeter meter = new CpuMeter(stack.clickHouseServer().pid());
            BenchRows data = BenchRows.generate("sensor", rows);
            BenchContext ctx = BenchContext.produce(stack, data, "safety-sensor", partitions);
            String checksum = HttpIngestContender.referenceChecksum(ctx, 100_000);
            SinkContender old = build(ctx, compression, args[0], System.getProperty("sluice.bench.label.old", "old"));
            SinkContender neu = build(ctx, compression, args[1], System.getProperty("sluice.bench.label.new", "new"));
            System.out.printf(Locale.ROOT, "%n# Sink builds compared: %s (plugin version %s) and %s (plugin version "
                            + "%s); sensor readings, %,d rows, %.0f bytes of JSON per row, topic of %d partitions, "
                            + "exactly-once, %d tasks, clickhouse.compression=%s; %d measured rounds after a "
                            + "warm-up%n", old.name(), args[0], neu.name(), args[1], rows,
                    (double) data.jsonBytes / rows, partitions, partitions, compression, rounds);
            int[] runNo = {0};
            for (String c : cases) {
                LoadRun.Prefill prefill;
                if (c.equals("fresh")) {
                    prefill = null;
                } else if (c.equals("resume")) {
                    prefill = halfOf(loadSource(ctx, neu, ++runNo[0]), ctx);
                } else {
                    throw new IllegalArgumentException("unknown case " + c + " (fresh, resume)");
                }
                System.out.printf(Locale.ROOT, "%n## Case %s%n", c);
                List<LoadRun.Result> results = LoadRun.alternating(ctx, meter, List.of(old, neu), rounds,
                        () -> ++runNo[0], checksum, prefill);
                summary(c, old, neu, results);
                if (prefill != null) {
                    ctx.ch().execute("DROP TABLE resume_src");
                }
            }
        } finally {
            LocalFiles.deleteTree(work);
        }
    }

    /** Returns a sink contender pinned to one plugin version. */
    private static SinkContender build(BenchContext ctx, String compression, String version, String label) {
        return new SinkContender(ctx, compression, null, Map.of("connector.plugin.version", version), label);
    }

    /**
     * Loads the whole topic with {@code sink} into {@code resume_src} (untimed; bounded to 5 minutes) and returns
     * that table's name.
     */
    private static String loadSource(BenchContext ctx, SinkContender sink, int runNo) throws Exception {
        String table = "resume_src";
        ClickHouseQuery ch = ctx.ch();
        long rows = ctx.data().json.size();
        ch.execute(ctx.data().createTableSql(table, ctx.topic()));
        sink.start(table, runNo);
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (ch.scalar("SELECT count() FROM " + table) < rows) {
                Throwable failed = sink.failure();
                if (failed != null || System.nanoTime() > deadline) {
                    throw new IllegalStateException("loading " + table + " failed", failed);
                }
                Thread.sleep(200);
            }
        } finally {
            sink.stop();
        }
        return table;
    }

    /** Returns a prefill that copies the rows below half of each partition's end offset from {@code source}. */
    private static LoadRun.Prefill halfOf(String source, BenchContext ctx) {
        String below = ctx.endOffsets().entrySet().stream()
                .map(e -> "(_kafka_partition = " + e.getKey() + " AND _kafka_offset < " + e.getValue() / 2 + ")")
                .collect(Collectors.joining(" OR "));
        String columns = ctx.data().columnList() + ", _kafka_partition, _kafka_offset";
        return (ch, table) -> {
            ch.execute("INSERT INTO " + table + " (" + columns + ") SELECT " + columns + " FROM " + source
                    + " WHERE " + below);
            return ch.scalar("SELECT count() FROM " + table);
        };
    }

    private static void summary(String c, Contender old, Contender neu, List<LoadRun.Result> results) {
        System.out.printf(Locale.ROOT, "%n| case | sink | rows/s end to end | rows/s from first row | rows/s mid-run "
                + "(10-90 %%) | s to first new row | JVM CPU s/1M rows | ClickHouse CPU s/1M rows | parts at end "
                + "| count / coordinates / checksum equal |%n|---|---|---|---|---|---|---|---|---|---|%n");
        for (Contender s : List.of(old, neu)) {
            List<LoadRun.Result> rs = results.stream().filter(r -> r.contender() == s).collect(Collectors.toList());
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d/%d / %d/%d / %d/%d |%n",
                    c, s.name(), Stats.spread(rs, LoadRun.Result::rate, "%,.0f"),
                    Stats.spread(rs, LoadRun.Result::rateFromFirst, "%,.0f"),
                    Stats.spread(rs, LoadRun.Result::middleRate, "%,.0f"),
                    Stats.spread(rs, r -> r.seconds() - r.fromFirst(), "%.2f"),
                    Stats.spread(rs, LoadRun.Result::jvmCpuPerMillion, "%.2f"),
                    Stats.spread(rs, LoadRun.Result::chCpuPerMillion, "%.2f"),
                    Stats.spread(rs, r -> r.parts(), "%.0f"),
                    rs.stream().filter(LoadRun.Result::countOk).count(), rs.size(),
                    rs.stream().filter(r -> Boolean.TRUE.equals(r.coordinatesOk())).count(), rs.size(),
                    rs.stream().filter(LoadRun.Result::checksumOk).count(), rs.size());
        }
        System.out.printf(Locale.ROOT, "%nnew/old within each round, median (min-max):%n%n| case | rows/s end to end "
                + "| rows/s from first row | rows/s mid-run | JVM CPU s/1M rows | ClickHouse CPU s/1M rows |%n"
                + "|---|---|---|---|---|---|%n| %s | %s | %s | %s | %s | %s |%n", c,
                ratio(results, neu, old, LoadRun.Result::rate), ratio(results, neu, old, LoadRun.Result::rateFromFirst),
                ratio(results, neu, old, LoadRun.Result::middleRate),
                ratio(results, neu, old, LoadRun.Result::jvmCpuPerMillion),
                ratio(results, neu, old, LoadRun.Result::chCpuPerMillion));
    }

    private static String ratio(List<LoadRun.Result> results, Contender a, Contender b,
                                ToDoubleFunction<LoadRun.Result> f) {
        return Stats.ratio(results, r -> r.contender() == a, r -> r.contender() == b, f);
    }
}
