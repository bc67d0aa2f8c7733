package io.sluice.bench;

import io.sluice.local.verify.ClickHouseQuery;
import io.sluice.local.LocalFiles;
import io.sluice.local.LocalStack;
import io.sluice.local.pipeline.SensorPipeline;
import io.sluice.local.StackOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

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

    private static final Duration RUN_LIMIT = Duration.ofMinutes(5);
    private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

    private SinkThroughputBench() {
    }

    /** The measurements of one run. */
    record Result(Contender contender, int round, double seconds, double fromFirst, double jvmCpu, double chCpu,
                  long parts, boolean countOk, Boolean coordinatesOk, boolean checksumOk, String threads) {
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
                SensorPipeline.createTopic(stack.bootstrapServers(), topic, partitions);
                produce(stack.bootstrapServers(), topic, partitions, data.json);
                BenchContext ctx = new BenchContext(stack, data, topic, partitions,
                        endOffsets(stack.bootstrapServers(), topic, partitions));
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
                ClickHouseQuery ch = stack.clickHouse();
                ch.execute(data.createTableSql("ref_" + shape, null));
                http.start("ref_" + shape, 0);
                http.stop();
                if (http.failure() != null || ch.scalar("SELECT count() FROM ref_" + shape) != rows) {
                    throw new IllegalStateException("reference load failed", http.failure());
                }
                String checksum = ch.execute("SELECT " + data.checksumSql() + " FROM ref_" + shape).trim();

                List<Result> results = new ArrayList<>();
                for (int round = 0; round <= rounds; round++) {
                    List<Contender> order = new ArrayList<>(contenders);
                    if (round % 2 == 1) {
                        Collections.reverse(order);
                    }
                    for (Contender c : order) {
                        Result r = run(ctx, meter, c, round, ++runNo[0], checksum);
                        print(r, rows, data.jsonBytes);
                        if (round > 0) {
                            results.add(r);
                        }
                    }
                }
                summary(contenders, results, rows, data.jsonBytes);
                ch.execute("DROP TABLE ref_" + shape);
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

    private static Result run(BenchContext ctx, CpuMeter meter, Contender c, int round, int runNo, String checksum)
            throws Exception {
        ClickHouseQuery ch = ctx.ch();
        BenchRows data = ctx.data();
        long rows = data.json.size();
        String table = "t_" + data.shape + "_" + runNo;
        ch.execute(data.createTableSql(table, c instanceof SinkContender ? ctx.topic() : null));
        awaitNoMerges(ch);
        CpuMeter.Snapshot s0 = meter.snapshot();
        long t0 = System.nanoTime();
        long first = 0;
        long lastChange = t0;
        List<long[]> steps = new ArrayList<>();
        long landed = 0;
        c.start(table, runNo);
        try {
            long previous = t0;
            for (int poll = 1; landed < rows; poll++) {
                Thread.sleep(20);
                long n = ch.scalar("SELECT count() FROM " + table);
                long now = System.nanoTime();
                if (n > 0 && first == 0) {
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
        String threads = CpuMeter.topThreads(s0, s1, rows, 6);
        if (c instanceof SinkContender) {
            threads += "\n    consumer group: " + ((SinkContender) c).rebalances()
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
        return new Result(c, round, (end - t0) / 1e9, (end - first) / 1e9, CpuMeter.jvmSeconds(s0, s1),
                CpuMeter.clickHouseSeconds(s0, s1), parts, count == rows, coordinates, sum, threads);
    }

    private static void print(Result r, long rows, long jsonBytes) {
        System.out.printf(Locale.ROOT, "%s %-62s %,10.0f rows/s e2e (%.2f s), %,10.0f from first row (%.2f s), "
                        + "%6.1f MB/s, JVM %.2f / ClickHouse %.2f CPU s per 1M rows, %d parts, count %s, "
                        + "coordinates %s, checksum %s%n    JVM threads, CPU s per 1M rows: %s%n",
                r.round() == 0 ? "warm-up" : "round " + r.round(), r.contender().name(), rows / r.seconds(),
                r.seconds(), rows / r.fromFirst(), r.fromFirst(), jsonBytes / 1e6 / r.seconds(),
                r.jvmCpu() / (rows / 1e6), r.chCpu() / (rows / 1e6), r.parts(), ok(r.countOk()),
                r.coordinatesOk() == null ? "n/a" : ok(r.coordinatesOk()), ok(r.checksumOk()), r.threads());
    }

    private static String ok(boolean b) {
        return b ? "ok" : "DIFFERS";
    }

    private static void summary(List<Contender> contenders, List<Result> results, long rows, long jsonBytes) {
        double m = rows / 1e6;
        System.out.printf(Locale.ROOT, "%n| contender | delivery | rows/s end to end | rows/s from first row | MB/s "
                + "(JSON, e2e) | JVM CPU s/1M rows | ClickHouse CPU s/1M rows | parts at end | count / coordinates / "
                + "checksum equal |%n|---|---|---|---|---|---|---|---|---|%n");
        for (Contender c : contenders) {
            List<Result> rs = results.stream().filter(r -> r.contender() == c).collect(Collectors.toList());
            long okCount = rs.stream().filter(r -> r.countOk()).count();
            long okCoord = rs.stream().filter(r -> Boolean.TRUE.equals(r.coordinatesOk())).count();
            long okSum = rs.stream().filter(r -> r.checksumOk()).count();
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %d/%d / %s / %d/%d |%n",
                    c.name(), c.delivery(), spread(rs, r -> rows / r.seconds(), "%,.0f"),
                    spread(rs, r -> rows / r.fromFirst(), "%,.0f"), spread(rs, r -> jsonBytes / 1e6 / r.seconds(), "%.1f"),
                    spread(rs, r -> r.jvmCpu() / m, "%.2f"), spread(rs, r -> r.chCpu() / m, "%.2f"),
                    spread(rs, r -> r.parts(), "%.0f"), okCount, rs.size(),
                    c.writesCoordinates() ? okCoord + "/" + rs.size() : "n/a", okSum, rs.size());
        }
        Contender ceiling = contenders.stream().filter(c -> c instanceof PlainConsumerContender).findFirst().orElse(null);
        Contender engine = contenders.stream().filter(c -> c instanceof KafkaEngineContender).findFirst().orElse(null);
        if (ceiling == null || engine == null) {
            return;
        }
        System.out.printf(Locale.ROOT, "%nRatios within each round, median (min-max) over %d rounds:%n%n| sink | vs ceiling, "
                + "e2e | vs ceiling, from first row | vs Kafka engine, e2e | vs Kafka engine, from first row |%n"
                + "|---|---|---|---|---|%n", results.stream().mapToInt(Result::round).max().orElse(0));
        for (Contender c : contenders) {
            if (c instanceof SinkContender) {
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", c.name(),
                        ratio(results, c, ceiling, Result::seconds), ratio(results, c, ceiling, Result::fromFirst),
                        ratio(results, c, engine, Result::seconds), ratio(results, c, engine, Result::fromFirst));
            }
        }
    }

    /** Returns "median (min-max)" of a metric over results. */
    private static String spread(List<Result> rs, ToDoubleFunction<Result> f, String fmt) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        if (v.length == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, fmt + " (" + fmt + "-" + fmt + ")", median(v), v[0], v[v.length - 1]);
    }

    /** Returns "median (min-max)" of the per-round rate ratio a/b (rates are rows / seconds). */
    private static String ratio(List<Result> results, Contender a, Contender b, ToDoubleFunction<Result> seconds) {
        List<Double> v = new ArrayList<>();
        for (Result ra : results) {
            if (ra.contender() == a) {
                results.stream().filter(rb -> rb.contender() == b && rb.round() == ra.round()).findFirst()
                        .ifPresent(rb -> v.add(seconds.applyAsDouble(rb) / seconds.applyAsDouble(ra)));
            }
        }
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length == 0 ? "-" : String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", median(s), s[0], s[s.length - 1]);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * Waits (up to 2 minutes) until ClickHouse runs no merges, so that a run is not charged for the background
     * merges of the parts an earlier run wrote ({@code system.merges}).
     */
    private static void awaitNoMerges(ClickHouseQuery ch) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (ch.scalar("SELECT count() FROM system.merges") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static void produce(String bootstrap, String topic, int partitions, List<byte[]> rows) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "25");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(128 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < rows.size(); i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, null, rows.get(i)));
            }
            producer.flush();
        }
    }

    private static Map<Integer, Long> endOffsets(String bootstrap, String topic, int partitions) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<TopicPartition> tps = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            tps.add(new TopicPartition(topic, i));
        }
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            Map<Integer, Long> m = new LinkedHashMap<>();
            c.endOffsets(tps).forEach((tp, off) -> m.put(tp.partition(), off));
            return m;
        }
    }
}
