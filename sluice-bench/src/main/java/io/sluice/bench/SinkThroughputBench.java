package io.sluice.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import io.sluice.local.ClickHouseQuery;
import io.sluice.local.LocalFiles;
import io.sluice.local.LocalStack;
import io.sluice.local.SensorPipeline;
import io.sluice.local.StackOptions;
import io.sluice.producer.ProgressListener;
import io.sluice.producer.ReadingProducer;
import io.sluice.producer.SensorSimulator;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * End-to-end sink throughput against ClickHouse's own ingest rate, measured in the same run on the same server.
 *
 * <ol>
 *   <li>Baseline: the same readings, pre-serialised as JSONEachRow in inserts of {@code batch} rows, POSTed one
 *       after another straight to ClickHouse's HTTP interface into an identical table. Only the POSTs are timed.</li>
 *   <li>Sink: the readings are first produced to a topic (not timed), then the sink connector is deployed with one
 *       task per partition; timed from deployment until every row is queryable.</li>
 * </ol>
 * Reports rows/s, MB/s of JSON payload, the ratio, and the CPU time of this JVM (which hosts the Connect worker)
 * per million rows. Bounded by {@code rows} and a 10-minute wait.
 *
 * <p>Arguments: {@code [rows] [partitions] [batch]}, default 1,000,000, 2 and 100,000.
 */
public final class SinkThroughputBench {

    private SinkThroughputBench() {
    }

    /**
     * Runs the benchmark and prints a Markdown table row.
     *
     * @param args rows, partitions, baseline batch size
     * @throws Exception on any failure; the stack is stopped
     */
    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        Path work = Files.createTempDirectory("sluice-bench");
        List<Path> zips = LocalFiles.zipsIn(Path.of(System.getProperty("sluice.plugin.zips")));
        try (LocalStack stack = new LocalStack(StackOptions.local(work, zips)).start()) {
            SensorPipeline sink = new SensorPipeline(stack, "bench", "bench_sink");
            SensorPipeline raw = new SensorPipeline(stack, "bench-raw", "bench_raw");
            sink.createTopicAndTable(partitions);
            stack.clickHouse().execute(raw.createTableSql());

            List<byte[]> jsonBatches = new ArrayList<>();
            long jsonBytes = 0;
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            SensorSimulator sim = simulator(rows);
            int inBatch = 0;
            while (sim.hasNext()) {
                Reading r = sim.next();
                buf.write(ReadingJson.toBytes(r));
                buf.write('\n');
                if (++inBatch == batch || !sim.hasNext()) {
                    jsonBatches.add(buf.toByteArray());
                    jsonBytes += buf.size();
                    buf.reset();
                    inBatch = 0;
                }
            }

            // Baseline: ClickHouse ingesting the same rows over HTTP.
            HttpClient http = HttpClient.newHttpClient();
            String auth = "Basic " + Base64.getEncoder()
                    .encodeToString(("default:" + stack.clickHouseServer().password()).getBytes(UTF_8));
            URI insert = URI.create(stack.clickHouseUrl() + "/?date_time_input_format=best_effort&query="
                    + java.net.URLEncoder.encode("INSERT INTO bench_raw (device_id, timestamp, temperature) FORMAT JSONEachRow", UTF_8));
            long t0 = System.nanoTime();
            for (byte[] b : jsonBatches) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(insert).header("Authorization", auth)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(b)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("baseline insert failed: " + r.body());
                }
            }
            double baseSeconds = (System.nanoTime() - t0) / 1e9;
            long baseRows = stack.clickHouse().scalar("SELECT count() FROM bench_raw");
            if (baseRows != rows) {
                throw new IllegalStateException("baseline wrote " + baseRows + " rows, expected " + rows);
            }

            // Sink: produce first (untimed), then time the connector from deployment to the last row.
            try (ReadingProducer p = new ReadingProducer(sink.topic(),
                    ReadingProducer.defaultConfig(stack.bootstrapServers()), ReadingProducer.DEFAULT_CLOSE_TIMEOUT)) {
                p.run(List.of(simulator(rows)), ProgressListener.NONE, Duration.ofSeconds(5));
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t1 = System.nanoTime();
            sink.deploySink("bench-sink", sink.sinkConfig(partitions, null));
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            ClickHouseQuery ch = stack.clickHouse();
            while (ch.scalar("SELECT count() FROM bench_sink") < rows) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("sink did not finish within 10 minutes");
                }
                Thread.sleep(100);
            }
            double sinkSeconds = (System.nanoTime() - t1) / 1e9;
            double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
            long sinkRows = ch.scalar("SELECT count() FROM bench_sink");
            double mb = jsonBytes / 1e6;
            System.out.printf(Locale.ROOT, "%n| rows | partitions/tasks | ClickHouse HTTP ingest (JSONEachRow, %d-row inserts) | Sluice sink end to end | ratio | sink MB/s (JSON in) | JVM CPU s per 1M rows |%n",
                    batch);
            System.out.printf(Locale.ROOT, "|---|---|---|---|---|---|---|%n");
            System.out.printf(Locale.ROOT, "| %,d | %d | %,.0f rows/s (%.1f s) | %,.0f rows/s (%.1f s) | %.2f | %.1f | %.1f |%n",
                    rows, partitions, rows / baseSeconds, baseSeconds, rows / sinkSeconds, sinkSeconds,
                    baseSeconds / sinkSeconds, mb / sinkSeconds, cpuSeconds / (rows / 1e6));
            if (sinkRows != rows) {
                throw new IllegalStateException("sink wrote " + sinkRows + " rows, expected " + rows);
            }
        }
    }

    private static SensorSimulator simulator(int rows) {
        return SensorSimulator.builder().devices(1000).count(rows).seed(7)
                .startTime(Instant.parse("2026-11-01T00:00:00Z")).paced(false).build();
    }
}
