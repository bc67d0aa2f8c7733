package io.sluice.bench;

import io.sluice.local.LocalFiles;
import io.sluice.local.LocalStack;
import io.sluice.local.StackOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The Sluice sink against what a user would pick instead, on one topic, one stack and one run: ClickHouse's own
 * Kafka table engine, the ceiling for any Kafka consumer here (a plain consumer POSTing raw JSONEachRow), and
 * ClickHouse's HTTP ingest of the same rows as context. See {@link Contender} and its implementations.
 *
 * <p>For each shape: the rows are produced once to a topic of {@code partitions} partitions (not timed), then a
 * warm-up round runs every contender once, then {@code rounds} measured rounds run them again, in forward order in
 * even rounds and in reverse order in odd ones. Each run loads the whole topic into a fresh, identical MergeTree
 * table; it is timed from its start until the table holds every row (count polled every 20 ms), and also from the
 * first row visible (from the poll before the first rows were seen, so a run that lands in a few large inserts is
 * not flattered). Each run starts once ClickHouse runs no merges. Per run: rows/s, MB/s of JSON, CPU seconds per
 * million rows of this JVM (it hosts the broker, the Connect worker and the bench's consumers; the bench's own
 * count polling, on thread {@code main}, is included) and of the ClickHouse server, active parts at the end, and
 * whether count, distinct Kafka coordinates and a checksum equal the source (a reference table that ClickHouse
 * loaded from the generated JSON, untimed). Also, per run, the last steps of the row count (when the last inserts
 * landed) and, for the sink, each task consumer's rebalances. Ratios between contenders are taken within a round.
 *
 * <p>Arguments: {@code [shapes] [rounds] [partitions]}, default {@code sensor,wide}, 3, 2. System properties:
 * <ul>
 *   <li>{@code sluice.bench.rows.sensor} (3,000,000), {@code sluice.bench.rows.wide} (400,000);</li>
 *   <li>{@code sluice.bench.batch}: rows per insert of the ceiling and the HTTP ingest (100,000);</li>
 *   <li>{@code sluice.bench.compressions}: the sink's body compressions ({@code none,gzip,lz4}); an entry may carry
 *       its own sink options, as in {@code none;flush.interval.ms=100};</li>
 *   <li>{@code sluice.bench.capMbit}: bandwidth of the capped link ({@link ThrottlingProxy}) that the sink also
 *       runs through, once per compression (200; 0 for none);</li>
 *   <li>{@code sluice.bench.sink.<option>}: any sink option for every sink run;</li>
 *   <li>{@code sluice.bench.sinkOnly}: {@code true} to run only the sink contenders.</li>
 * </ul>
 * Every run is bounded: it fails after 5 minutes, or after 60 s without a new row.
 */
public final class SinkThroughputBench {

    private SinkThroughputBench() {
    }

    /**
     * Runs the benchmark and prints each run and a Markdown summary per shape.
     *
     * @param args shapes (comma-separated), measured rounds, partitions
     * @throws Exception on any failure; the stack is stopped
     */
    public static void main(String[] args) throws Exception {
        List<String> shapes = Arrays.asList((args.length > 0 ? args[0] : "sensor,wide").split(","));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int batch = Integer.getInteger("sluice.bench.batch", 100_000);
        List<String> compressions = Arrays.asList(System.getProperty("sluice.bench.compressions", "none,gzip,lz4")
                .split(","));
        int capMbit = Integer.getInteger("sluice.bench.capMbit", 200);
        boolean sinkOnly = Boolean.getBoolean("sluice.bench.sinkOnly");
        Map<String, String> sinkOverrides = new LinkedHashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("sluice.bench.sink."))
                .forEach(k -> sinkOverrides.put(k.substring("sluice.bench.sink.".length()), System.getProperty(k)));

        Path work = Files.createTempDirectory("sluice-bench");
        List<Path> zips = LocalFiles.zipsIn(Path.of(System.getProperty("sluice.plugin.zips")));
        try (LocalStack stack = new LocalStack(StackOptions.local(work, zips)).start();
             ThrottlingProxy link = capMbit > 0 ? new ThrottlingProxy(stack.clickHouseUrl(), capMbit) : null) {
            CpuMeter meter = new CpuMeter(stack.clickHouseServer().pid());
            int[] runNo = {0};
            for (String shape : shapes) {
                int rows = Integer.getInteger("sluice.bench.rows." + shape, shape.equals("sensor") ? 3_000_000 : 400_000);
                BenchRows data = BenchRows.generate(shape, rows);
                String topic = "bench-" + shape;
                BenchContext ctx = BenchContext.produce(stack, data, topic, partitions);
                System.out.printf(Locale.ROOT, "%n## %s: %,d rows, %.0f bytes of JSON per row, topic of %d partitions; "
                                + "sink options %s; %d measured rounds after a warm-up%n", shape, rows,
                        (double) data.jsonBytes / rows, partitions, sinkOverrides, rounds);

                List<Contender> contenders = new ArrayList<>();
                for (String c : compressions) {
                    contenders.add(sink(ctx, c, null, sinkOverrides));
                }
                HttpIngestContender http = new HttpIngestContender(ctx, batch);
                if (!sinkOnly) {
                    contenders.add(new KafkaEngineContender(ctx));
                    contenders.add(new PlainConsumerContender(ctx, batch));
                    contenders.add(http);
                }
                if (link != null) {
                    for (String c : compressions) {
                        contenders.add(sink(ctx, c, link, sinkOverrides));
                    }
                }

                // The source as ClickHouse parses it, loaded untimed: the checksum every run must equal.
                String checksum = HttpIngestContender.referenceChecksum(ctx, batch);

                List<LoadRun.Result> results = LoadRun.alternating(ctx, meter, contenders, rounds,
                        () -> ++runNo[0], checksum, null);
                summary(contenders, results, data.jsonBytes);
            }
        }
    }

    /** Returns a sink contender for a spec {@code codec[;option=value...]}, the options on top of {@code common}. */
    private static SinkContender sink(BenchContext ctx, String spec, ThrottlingProxy link, Map<String, String> common) {
        String[] parts = spec.split(";");
        Map<String, String> options = new LinkedHashMap<>(common);
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            options.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
        }
        return new SinkContender(ctx, parts[0], link, options);
    }

    private static void summary(List<Contender> contenders, List<LoadRun.Result> results, long jsonBytes) {
        System.out.printf(Locale.ROOT, "%n| contender | delivery | rows/s end to end | rows/s from first row | MB/s "
                + "(JSON, e2e) | JVM CPU s/1M rows | ClickHouse CPU s/1M rows | parts at end | count / coordinates / "
                + "checksum equal |%n|---|---|---|---|---|---|---|---|---|%n");
        for (Contender c : contenders) {
            List<LoadRun.Result> rs = results.stream().filter(r -> r.contender() == c).collect(Collectors.toList());
            long okCount = rs.stream().filter(r -> r.countOk()).count();
            long okCoord = rs.stream().filter(r -> Boolean.TRUE.equals(r.coordinatesOk())).count();
            long okSum = rs.stream().filter(r -> r.checksumOk()).count();
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %d/%d / %s / %d/%d |%n",
                    c.name(), c.delivery(), Stats.spread(rs, LoadRun.Result::rate, "%,.0f"),
                    Stats.spread(rs, LoadRun.Result::rateFromFirst, "%,.0f"),
                    Stats.spread(rs, r -> jsonBytes / 1e6 / r.seconds(), "%.1f"),
                    Stats.spread(rs, LoadRun.Result::jvmCpuPerMillion, "%.2f"),
                    Stats.spread(rs, LoadRun.Result::chCpuPerMillion, "%.2f"),
                    Stats.spread(rs, r -> r.parts(), "%.0f"), okCount, rs.size(),
                    c.writesCoordinates() ? okCoord + "/" + rs.size() : "n/a", okSum, rs.size());
        }
        Contender ceiling = contenders.stream().filter(c -> c instanceof PlainConsumerContender).findFirst().orElse(null);
        Contender engine = contenders.stream().filter(c -> c instanceof KafkaEngineContender).findFirst().orElse(null);
        if (ceiling == null || engine == null) {
            return;
        }
        System.out.printf(Locale.ROOT, "%nRatios within each round, median (min-max) over %d rounds:%n%n| sink | vs ceiling, "
                + "e2e | vs ceiling, from first row | vs Kafka engine, e2e | vs Kafka engine, from first row |%n"
                + "|---|---|---|---|---|%n", results.stream().mapToInt(LoadRun.Result::round).max().orElse(0));
        for (Contender c : contenders) {
            if (c instanceof SinkContender) {
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", c.name(),
                        ratio(results, c, ceiling, LoadRun.Result::rate),
                        ratio(results, c, ceiling, LoadRun.Result::rateFromFirst),
                        ratio(results, c, engine, LoadRun.Result::rate),
                        ratio(results, c, engine, LoadRun.Result::rateFromFirst));
            }
        }
    }

    private static String ratio(List<LoadRun.Result> results, Contender a, Contender b,
                                ToDoubleFunction<LoadRun.Result> rate) {
        return Stats.ratio(results, r -> r.contender() == a, r -> r.contender() == b, rate);
    }
}
