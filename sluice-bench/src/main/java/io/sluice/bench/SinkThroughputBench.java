package io.sluice.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.sluice.local.ClickHouseQuery;
import io.sluice.local.LocalFiles;
import io.sluice.local.LocalStack;
import io.sluice.local.SensorPipeline;
import io.sluice.local.StackOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end sink throughput against ClickHouse's own HTTP ingest of the same rows, on the same server, in the
 * same run.
 *
 * <ol>
 *   <li>Baselines: the rows as JSONEachRow, then the same rows as RowBinary (as ClickHouse itself writes them,
 *       read back from the first table), POSTed in inserts of {@code batch} rows one after another into identical
 *       tables. Only the POSTs are timed. The faster of the two is the baseline of the ratio.</li>
 *   <li>Sink, {@code repeats} times: the rows are produced to a fresh topic (not timed), then the sink connector is
 *       deployed with one task per partition; timed from deployment until every row is queryable. Also reported
 *       from the first row landing (without task start-up).</li>
 * </ol>
 * Each phase starts once ClickHouse runs no merges, so it is not charged for an earlier phase's background merges.
 * CPU: this JVM's process CPU (it hosts the Kafka broker, the Connect worker and the sink) from
 * {@code OperatingSystemMXBean}, and the ClickHouse server's from {@code /proc/<pid>/stat}, in CPU seconds per
 * million rows. The sink phase also prints the JVM threads that used the most CPU. Bounded by {@code rows} and a
 * 10-minute wait per run.
 *
 * <p>Arguments: {@code [rows] [partitions] [batch] [shape] [repeats]}, default 1,000,000, 2, 100,000,
 * {@code sensor} (or {@code wide}), 1. System properties: {@code sluice.bench.converter=bytes|json} (the worker's
 * value converter: ByteArrayConverter, the sink parsing JSON itself, or JsonConverter), and
 * {@code sluice.bench.sink.<option>=<value>} for any sink option (for example {@code clickhouse.compression}).
 */
public final class SinkThroughputBench {

    private static final long CLK_TCK = 100; // USER_HZ on Linux; /proc/<pid>/stat counts in these ticks

    private SinkThroughputBench() {
    }

    /**
     * Runs the benchmark and prints Markdown table rows.
     *
     * @param args rows, partitions, batch size, shape, repeats
     * @throws Exception on any failure; the stack is stopped
     */
    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        String shape = args.length > 3 ? args[3] : "sensor";
        int repeats = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        String converter = System.getProperty("sluice.bench.converter", "bytes");
        Map<String, String> sinkOverrides = new LinkedHashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("sluice.bench.sink."))
                .forEach(k -> sinkOverrides.put(k.substring("sluice.bench.sink.".length()), System.getProperty(k)));

        BenchRows data = BenchRows.generate(shape, rows);
        double mb = data.jsonBytes / 1e6;
        System.out.printf(Locale.ROOT, "%,d %s rows, %.0f bytes of JSON per row on average; converter %s; sink %s%n",
                rows, shape, (double) data.jsonBytes / rows, converter, sinkOverrides);

        Path work = Files.createTempDirectory("sluice-bench");
        List<Path> zips = LocalFiles.zipsIn(Path.of(System.getProperty("sluice.plugin.zips")));
        try (LocalStack stack = new LocalStack(StackOptions.local(work, zips)).start()) {
            ClickHouseQuery ch = stack.clickHouse();
            long chPid = stack.clickHouseServer().pid();
            HttpClient http = HttpClient.newHttpClient();
            String auth = "Basic " + Base64.getEncoder()
                    .encodeToString(("default:" + stack.clickHouseServer().password()).getBytes(UTF_8));

            // Baseline 1: JSONEachRow.
            ch.execute(data.createTableSql("base_json", null));
            List<byte[]> jsonBodies = new ArrayList<>();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            for (int i = 0; i < rows; i++) {
                buf.write(data.json.get(i));
                buf.write('\n');
                if ((i + 1) % batch == 0 || i == rows - 1) {
                    jsonBodies.add(buf.toByteArray());
                    buf.reset();
                }
            }
            awaitNoMerges(ch);
            Phase json = timePosts(http, auth, stack.clickHouseUrl() + "/?date_time_input_format=best_effort&query="
                    + URLEncoder.encode("INSERT INTO base_json (" + data.columnList() + ") FORMAT JSONEachRow", UTF_8),
                    jsonBodies, chPid);
            expectRows(ch, "base_json", rows);

            // Baseline 2: RowBinary, the same rows as ClickHouse encodes them.
            byte[] all = fetch(http, auth, stack.clickHouseUrl() + "/?max_threads=1&query=" + URLEncoder.encode(
                    "SELECT " + data.columnList() + " FROM base_json FORMAT RowBinary", UTF_8));
            List<byte[]> rbBodies = new ArrayList<>();
            int pos = 0;
            while (pos < all.length) {
                int start = pos;
                for (int i = 0; i < batch && pos < all.length; i++) {
                    pos = data.skipRowBinaryRow(all, pos);
                }
                rbBodies.add(java.util.Arrays.copyOfRange(all, start, pos));
            }
            ch.execute(data.createTableSql("base_rowbinary", null));
            awaitNoMerges(ch);
            Phase rowBinary = timePosts(http, auth, stack.clickHouseUrl() + "/?query="
                    + URLEncoder.encode("INSERT INTO base_rowbinary (" + data.columnList() + ") FORMAT RowBinary", UTF_8),
                    rbBodies, chPid);
            expectRows(ch, "base_rowbinary", rows);
            double baseline = Math.min(json.seconds, rowBinary.seconds);

            System.out.printf(Locale.ROOT, "%nBaselines (%,d-row inserts): JSONEachRow %,.0f rows/s (%.2f s, ClickHouse "
                            + "%.2f CPU s/1M rows); RowBinary %,.0f rows/s (%.2f s, ClickHouse %.2f CPU s/1M rows)%n",
                    batch, rows / json.seconds, json.seconds, json.chCpu / (rows / 1e6), rows / rowBinary.seconds,
                    rowBinary.seconds, rowBinary.chCpu / (rows / 1e6));
            System.out.printf(Locale.ROOT, "%n| run | rows | partitions/tasks | sink end to end | from first row | "
                    + "ratio (end to end / from first row) vs faster baseline | MB/s (JSON in) | JVM CPU s/1M rows | "
                    + "ClickHouse CPU s/1M rows |%n|---|---|---|---|---|---|---|---|---|%n");
            for (int run = 1; run <= repeats; run++) {
                String topic = "bench-" + shape + "-" + run;
                String table = "sink_" + shape + "_" + run;
                SensorPipeline.createTopic(stack.bootstrapServers(), topic, partitions);
                ch.execute(data.createTableSql(table, topic));
                produce(stack.bootstrapServers(), topic, partitions, data.json);

                Map<String, String> cfg = new SensorPipeline(stack, topic, table).sinkConfig(partitions, null);
                if (converter.equals("bytes")) {
                    cfg.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
                }
                cfg.putAll(sinkOverrides);
                awaitNoMerges(ch);
                var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                Map<String, Long> threads0 = threadCpu();
                long cpu0 = os.getProcessCpuTime();
                long ch0 = processTicks(chPid);
                long t0 = System.nanoTime();
                long first = 0;
                stack.connect().putConnector("bench-sink-" + run, cfg);
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                long landed;
                while ((landed = ch.scalar("SELECT count() FROM " + table)) < rows) {
                    if (first == 0 && landed > 0) {
                        first = System.nanoTime();
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("sink did not finish within 10 minutes: " + landed + " rows");
                    }
                    Thread.sleep(20);
                }
                long end = System.nanoTime();
                double seconds = (end - t0) / 1e9;
                double fromFirst = (end - (first == 0 ? t0 : first)) / 1e9;
                double jvmCpu = (os.getProcessCpuTime() - cpu0) / 1e9;
                double chCpu = (processTicks(chPid) - ch0) / (double) CLK_TCK;
                Map<String, Long> threads1 = threadCpu();
                String taskMetrics = sinkMetrics();
                stack.connect().deleteConnector("bench-sink-" + run);
                expectRows(ch, table, rows);
                System.out.printf(Locale.ROOT, "| %d | %,d | %d | %,.0f rows/s (%.2f s) | %,.0f rows/s (%.2f s) | %.2f / %.2f "
                                + "| %.1f | %.2f | %.2f |%n", run, rows, partitions, rows / seconds, seconds,
                        rows / fromFirst, fromFirst, baseline / seconds, baseline / fromFirst, mb / seconds,
                        jvmCpu / (rows / 1e6), chCpu / (rows / 1e6));
                System.out.println("  JVM CPU s/1M rows by thread: " + topThreads(threads0, threads1, rows));
                System.out.println("  sink task metrics over JMX: " + taskMetrics);
            }
        }
    }

    /** Wall time and ClickHouse CPU of one baseline. */
    private static final class Phase {
        final double seconds;
        final double chCpu;

        Phase(double seconds, double chCpu) {
            this.seconds = seconds;
            this.chCpu = chCpu;
        }
    }

    private static Phase timePosts(HttpClient http, String auth, String url, List<byte[]> bodies, long chPid)
            throws IOException, InterruptedException {
        long ch0 = processTicks(chPid);
        long t0 = System.nanoTime();
        for (byte[] b : bodies) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(b)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("baseline insert failed: " + r.body());
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        return new Phase(s, (processTicks(chPid) - ch0) / (double) CLK_TCK);
    }

    /**
     * Waits (up to 2 minutes) until ClickHouse runs no merges, so that a phase is not charged for the background
     * merges of the parts an earlier phase wrote ({@code system.merges}).
     */
    private static void awaitNoMerges(ClickHouseQuery ch) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (ch.scalar("SELECT count() FROM system.merges") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static byte[] fetch(HttpClient http, String auth, String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth)
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("query failed: " + new String(r.body(), UTF_8));
        }
        return r.body();
    }

    private static void expectRows(ClickHouseQuery ch, String table, long rows) {
        long n = ch.scalar("SELECT count() FROM " + table);
        if (n != rows) {
            throw new IllegalStateException(table + " has " + n + " rows, expected " + rows);
        }
    }

    private static void produce(String bootstrap, String topic, int partitions, List<byte[]> rows) throws Exception {
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

    /** Returns utime + stime of a process, in clock ticks, from /proc/<pid>/stat (proc(5)). */
    private static long processTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15, counted after "(comm) "
    }

    /** Returns the sink tasks' metrics as the worker's JMX reporter shows them (plugin metrics on Kafka 4.1+). */
    private static String sinkMetrics() throws Exception {
        var jmx = ManagementFactory.getPlatformMBeanServer();
        StringBuilder b = new StringBuilder();
        for (var name : jmx.queryNames(null, null)) {
            for (var a : jmx.getMBeanInfo(name).getAttributes()) {
                if (a.getName().equals("records-inserted")) {
                    b.append(name).append(" records-inserted=").append(jmx.getAttribute(name, "records-inserted"))
                            .append(" batches-inserted=").append(jmx.getAttribute(name, "batches-inserted"))
                            .append(" insert-latency-avg-ms=").append(jmx.getAttribute(name, "insert-latency-avg-ms"))
                            .append("; ");
                }
            }
        }
        return b.length() == 0 ? "none found" : b.toString();
    }

    private static Map<String, Long> threadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> m = new HashMap<>();
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null) {
                long t = mx.getThreadCpuTime(info.getThreadId());
                if (t > 0) {
                    m.put(info.getThreadId() + "|" + info.getThreadName(), t);
                }
            }
        }
        return m;
    }

    private static String topThreads(Map<String, Long> before, Map<String, Long> after, int rows) {
        Map<String, Long> byGroup = new HashMap<>();
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            String group = e.getKey().substring(e.getKey().indexOf('|') + 1).replaceAll("\\d+", "N");
            byGroup.merge(group, d, Long::sum);
        }
        StringBuilder b = new StringBuilder();
        byGroup.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(6)
                .forEach(e -> b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                        .append(String.format(Locale.ROOT, "%.2f", e.getValue() / 1e9 / (rows / 1e6))));
        return b.toString();
    }
}
