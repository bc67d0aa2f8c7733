package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cli.SluiceCli;
import io.sluice.local.verify.ClickHouseQuery;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The sandbox on a fresh work directory, through the {@code sluice} command as a user runs it: {@code up} starts it
 * in a background JVM; a user's own topic reaches ClickHouse with {@code sink deploy --auto-create} and a plain
 * Kafka producer; {@code status} reports what ClickHouse and Kafka report (rows, lag, dead letters, states);
 * {@code demo} runs on the sandbox and leaves it up; {@code down} and a second {@code up} keep the data and the
 * connectors (CDC included); {@code down --purge} leaves no process and no directory. The Prometheus endpoints
 * are scraped while data flows: the JMX exporter on the Connect worker (the sink tasks' counters against the rows
 * and dead letters) and the aggregator runner's own (its records against the topic).
 */
class SandboxIT {

    private static final String TOPIC = "orders";
    private static final int GOOD = 1000;
    private static final int BAD = 3;

    @Test
    void upSinkDeployStatusDemoDownUpAgainAndPurge() throws Exception {
        Path work = Path.of(System.getProperty("sluice.it.workdir"), "sandbox-" + System.nanoTime()).toAbsolutePath();
        try {
            Result up = run("up", "--work-dir", work.toString());
            assertThat(up.code).as(up.out).isZero();
            Properties state = state(work);
            long pid = Long.parseLong(state.getProperty("pid"));
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
            assertThat(up.out).contains(state.getProperty("kafka.bootstrap.servers"), state.getProperty("connect.url"),
                    state.getProperty("clickhouse.url"), state.getProperty("dynamodb.endpoint"),
                    "grep clickhouse.password " + state.getProperty("clickhouse.password.file"));
            String password = secret(Path.of(state.getProperty("clickhouse.password.file")), "clickhouse.password");
            assertThat(up.out).doesNotContain(password);
            assertThat(Files.readString(work.resolve("sandbox.properties"))).doesNotContain(password);
            assertThat(Files.readString(Path.of("/proc/" + pid + "/cmdline"))).doesNotContain(password);
            assertThat(listeningAddresses(pid)).as("addresses the sandbox JVM listens on").isNotEmpty()
                    .allSatisfy(a -> assertThat(a).startsWith("127.0.0.1:"));

            Result deploy = run("sink", "deploy", "--work-dir", work.toString(), "--topic", TOPIC, "--auto-create",
                    "--exactly-once", "--partitions", "2");
            assertThat(deploy.code).as(deploy.out).isZero();
            assertThat(deploy.out).doesNotContain(password);
            String kafka = state.getProperty("kafka.bootstrap.servers");
            URI connectMetrics = URI.create(state.getProperty("connect.metrics.url"));
            produceWhileScraping(kafka, connectMetrics);
            ClickHouseQuery ch = new ClickHouseQuery(state.getProperty("clickhouse.url"), "default", password);
            Waits.until(Duration.ofSeconds(60), () -> count(ch, TOPIC) == GOOD, () -> "rows of " + TOPIC);
            // the JMX exporter on the worker shows the tasks' counters: every row inserted, every bad record
            // dead-lettered, summed over the connector's tasks
            Waits.until(Duration.ofSeconds(30),
                    () -> sinkMetric(connectMetrics, "sluice_sink_records_inserted_total") == GOOD,
                    () -> "sluice_sink_records_inserted_total of clickhouse-orders = " + GOOD);
            assertThat(sinkMetric(connectMetrics, "sluice_sink_records_dead_lettered_total")).isEqualTo(BAD);
            assertThat(sinkMetric(connectMetrics, "sluice_sink_records_received_total")).isEqualTo(GOOD + BAD);
            awaitLagZero(work);

            Result status = run("status", "--work-dir", work.toString());
            assertThat(status.code).as(status.out).isZero();
            assertThat(number(status.out, "^  " + TOPIC + "\\s+([\\d,]+)$")).isEqualTo(count(ch, TOPIC));
            assertThat(number(status.out, "^  readings\\s+([\\d,]+)$")).isEqualTo(count(ch, "readings"));
            assertThat(number(status.out, "^  " + TOPIC + "-dlq\\s+([\\d,]+) records$")).isEqualTo(BAD)
                    .isEqualTo(endOffsetsSum(kafka, TOPIC + "-dlq"));
            assertThat(status.out).containsPattern("clickhouse-orders\\s+sink\\s+RUNNING\\s+tasks: 0 RUNNING")
                    .containsPattern("mariadb-shop\\s+source\\s+RUNNING\\s+tasks: 0 RUNNING")
                    .containsPattern("clickhouse-orders\\s+orders-0\\s+0 ")
                    .containsPattern("clickhouse-orders\\s+orders-1\\s+0 ");

            Result demo = run("demo", "--work-dir", work.toString(), "--duration", "3s", "--devices", "2", "--no-replay",
                    "--no-cdc");
            assertThat(demo.code).as(demo.out).isZero();
            assertThat(demo.out).contains("on the running sandbox", "the sandbox stays up");
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
            long readings = count(ch, "readings");
            assertThat(readings).isPositive();
            // the sandbox's aggregator reads every reading in the topic: its endpoint shows as many records
            URI aggregatorMetrics = URI.create(state.getProperty("aggregator.metrics.url"));
            long inTopic = endOffsetsSum(kafka, "readings");
            Waits.until(Duration.ofSeconds(90), () -> metric(aggregatorMetrics, "sluice_aggregator_applied_total") == readings,
                    () -> "sluice_aggregator_applied_total = " + readings);
            assertThat(metric(aggregatorMetrics, "sluice_aggregator_records_total")).isEqualTo(inTopic);
            dashboardNamesOnlyExposedMetrics(connectMetrics, aggregatorMetrics);

            consoleShowsWhatTheComponentsReport(state, ch, kafka);

            Result down = run("down", "--work-dir", work.toString());
            assertThat(down.code).as(down.out).isZero();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            Result again = run("up", "--work-dir", work.toString());
            assertThat(again.code).as(again.out).isZero();
            assertThat(state(work).getProperty("clickhouse.url")).isEqualTo(state.getProperty("clickhouse.url"));
            assertThat(count(ch, TOPIC)).isEqualTo(GOOD);
            assertThat(count(ch, "readings")).isEqualTo(readings);
            Result status2 = run("status", "--work-dir", work.toString());
            assertThat(status2.code).as(status2.out).isZero();
            assertThat(status2.out).containsPattern("mariadb-shop\\s+source\\s+RUNNING\\s+tasks: 0 RUNNING")
                    .containsPattern("clickhouse-orders\\s+sink\\s+RUNNING");
        } finally {
            Result purge = run("down", "--work-dir", work.toString(), "--purge");
            assertThat(purge.code).as(purge.out).isZero();
        }
        assertThat(work).doesNotExist();
    }

    /**
     * The web console in headless Chromium, with the data at rest after the demo: its figures equal what
     * ClickHouse, Kafka, Connect and DynamoDB report, and every chart drew points. Screenshots are kept in
     * {@code target/console-screenshots}.
     */
    private static void consoleShowsWhatTheComponentsReport(Properties state, ClickHouseQuery ch, String kafka)
            throws Exception {
        String url = state.getProperty("console.url");
        assertThat(url).startsWith("http://127.0.0.1:");
        Path profile = Files.createTempDirectory("chromium-profile");
        Path shots = Path.of("target", "console-screenshots").toAbsolutePath();
        // Bring the tables to rest, background merges included: a merge between the console's sample and the
        // query below changed a table's part count (5 in the console, 1 in ClickHouse, in one CI run). After OPTIMIZE
        // ... FINAL each partition is one part, which no merge touches again.
        for (String t : List.of("readings", TOPIC)) {
            ch.execute("OPTIMIZE TABLE default.`" + t + "` FINAL");
        }
        // the console samples once a second: wait for a sample taken after the data came to rest
        java.time.Instant atRest = java.time.Instant.now();
        Waits.until(Duration.ofSeconds(10), () -> {
            Matcher m = Pattern.compile("\"sampledAt\":\"([^\"]+)\"").matcher(scrape(URI.create(url + "api/state")));
            return m.find() && java.time.Instant.parse(m.group(1)).isAfter(atRest);
        }, () -> "a console sample after " + atRest);
        try {
            ConsolePage.screenshot(url, shots.resolve("console.png"), profile);
            ConsolePage page = ConsolePage.load(url, profile);
            Files.writeString(shots.resolve("console-dom.html"), page.html());

            assertThat(Long.parseLong(page.byId("rows").get("value"))).isEqualTo(count(ch, "readings"));
            assertThat(Long.parseLong(page.byId("produced").get("value"))).isEqualTo(endOffsetsSum(kafka, "readings"));
            Map<String, Map<String, String>> tables = new java.util.HashMap<>();
            page.elements("table").forEach(t -> tables.put(t.get("table"), t));
            for (String t : List.of("readings", TOPIC)) {
                assertThat(Long.parseLong(tables.get(t).get("rows"))).as("rows of " + t).isEqualTo(count(ch, t));
                assertThat(Long.parseLong(tables.get(t).get("parts"))).as("parts of " + t).isEqualTo(
                        ch.scalar("SELECT count() FROM system.parts WHERE active AND database = 'default' AND table = '"
                                + t + "'"));
            }
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka))) {
                var committed = admin.listConsumerGroupOffsets("connect-clickhouse-orders").partitionsToOffsetAndMetadata().get();
                List<Map<String, String>> lag = page.elements("lag").stream()
                        .filter(l -> "clickhouse-orders".equals(l.get("connector"))).toList();
                assertThat(lag).hasSize(2);
                for (Map<String, String> l : lag) {
                    TopicPartition tp = new TopicPartition(l.get("topic"), Integer.parseInt(l.get("partition")));
                    assertThat(Long.parseLong(l.get("committed"))).isEqualTo(committed.get(tp).offset());
                    assertThat(l.get("lag")).isEqualTo("0");
                }
            }
            Map<String, String> dlq = page.elements("dlq-topic").stream()
                    .filter(d -> d.get("dlq-topic").equals(TOPIC + "-dlq")).findFirst().orElseThrow();
            assertThat(Long.parseLong(dlq.get("count"))).isEqualTo(endOffsetsSum(kafka, TOPIC + "-dlq")).isEqualTo(BAD);
            assertThat(page.elements("reason")).filteredOn(r -> !r.get("reason").isEmpty()).hasSizeGreaterThanOrEqualTo(BAD);

            io.sluice.local.connect.ConnectRestClient connect = new io.sluice.local.connect.ConnectRestClient(state.getProperty("connect.url"));
            List<Map<String, String>> connectors = page.elements("state");
            assertThat(connectors).extracting(c -> c.get("connector")).containsExactlyElementsOf(connect.connectors());
            for (Map<String, String> c : connectors) {
                assertThat(c.get("state")).isEqualTo(connect.status(c.get("connector")).path("connector").path("state").asText());
            }

            int device = Integer.parseInt(page.byId("device").get("device-id"));
            try (var dynamo = io.sluice.aggregator.dynamo.DynamoClients.create(
                    URI.create(state.getProperty("dynamodb.endpoint")), "us-east-1")) {
                Map<Long, io.sluice.aggregator.dynamo.WindowRow> windows = new java.util.HashMap<>();
                new io.sluice.aggregator.dynamo.WindowReader(dynamo, "sluice_device_windows").device(device)
                        .forEach(w -> windows.put(w.windowStart().getEpochSecond(), w));
                List<Map<String, String>> shown = page.elements("window-start");
                assertThat(shown).isNotEmpty();
                for (Map<String, String> w : shown) {
                    var row = windows.get(Long.parseLong(w.get("window-start")));
                    assertThat(row).as("DynamoDB window " + w).isNotNull();
                    assertThat(Long.parseLong(w.get("dynamo-count"))).isEqualTo(row.count());
                    assertThat(Double.parseDouble(w.get("dynamo-mean"))).isEqualTo(row.mean().doubleValue());
                }
            }
            for (String chart : List.of("chart-throughput", "chart-lag", "chart-cdc", "chart-temperature")) {
                assertThat(Integer.parseInt(page.byId(chart).get("points"))).as(chart + " drew points").isPositive();
            }
        } finally {
            io.sluice.local.LocalFiles.deleteTree(profile);
        }
    }

    /**
     * Returns {@code ip:port} of every TCP socket in LISTEN state that the process holds, from {@code /proc/<pid>/fd}
     * (socket inodes) and {@code /proc/net/tcp} and {@code tcp6} (state 0A); IPv6 addresses as 32 hex digits.
     */
    private static List<String> listeningAddresses(long pid) throws IOException {
        java.util.Set<String> inodes = new java.util.HashSet<>();
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        }
        List<String> out = new java.util.ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table)); // read once: the table changes between reads
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) {
                    String[] local = f[1].split(":");
                    int port = Integer.parseInt(local[1], 16);
                    String ip = local[0];
                    if (ip.length() == 8) {
                        ip = Integer.parseInt(ip.substring(6, 8), 16) + "." + Integer.parseInt(ip.substring(4, 6), 16) + "."
                                + Integer.parseInt(ip.substring(2, 4), 16) + "." + Integer.parseInt(ip.substring(0, 2), 16);
                    } else if (ip.equals("0000000000000000FFFF00000100007F")) {
                        ip = "127.0.0.1"; // IPv4-mapped loopback
                    }
                    out.add(ip + ":" + port);
                }
            }
        }
        return out;
    }

    /** Every sluice_* metric the Grafana dashboard queries is one the two endpoints expose. */
    private static void dashboardNamesOnlyExposedMetrics(URI connect, URI aggregator) throws IOException {
        String dashboard = Files.readString(Path.of("..", "etc", "grafana", "sluice-dashboard.json"));
        String exposed = scrape(connect) + scrape(aggregator);
        Matcher m = Pattern.compile("sluice_(sink|aggregator)_[a-z_]+").matcher(dashboard);
        int names = 0;
        while (m.find()) {
            assertThat(exposed).as("dashboard metric " + m.group()).containsPattern("(?m)^" + m.group() + "[ {]");
            names++;
        }
        assertThat(names).isGreaterThan(10);
    }

    /**
     * Produces the good and bad records in chunks, scraping the worker's exporter after each: the inserted count
     * never goes down and never exceeds the good records produced so far.
     */
    private static void produceWhileScraping(String kafka, URI metrics) throws Exception {
        Map<String, Object> cfg = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ProducerConfig.ACKS_CONFIG, "all");
        long last = 0;
        try (KafkaProducer<String, String> p = new KafkaProducer<>(cfg, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < GOOD; i++) {
                p.send(new ProducerRecord<>(TOPIC, String.valueOf(i % 7),
                        "{\"order_id\":" + i + ",\"customer\":\"c" + (i % 7) + "\",\"amount\":" + (i * 0.25) + "}"));
                if (i % 400 == 0 && i / 400 < BAD) {
                    p.send(new ProducerRecord<>(TOPIC, "x", "{\"order_id\": not json"));
                }
                if (i % 100 == 99) {
                    p.flush();
                    long inserted = sinkMetric(metrics, "sluice_sink_records_inserted_total");
                    assertThat(inserted).isBetween(last, (long) i + 1);
                    last = inserted;
                    Thread.sleep(200);
                }
            }
        }
    }

    /** Sums a sink metric over the tasks of connector clickhouse-orders; 0 before its tasks report. */
    private static long sinkMetric(URI metrics, String name) {
        Matcher m = Pattern.compile("^" + name + "\\{connector=\"clickhouse-orders\",task=\"\\d+\",?\\} ([0-9.E+-]+)$",
                Pattern.MULTILINE).matcher(scrape(metrics));
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return (long) sum;
    }

    /** Returns an unlabelled sample's value; -1 if the endpoint does not have it. */
    private static long metric(URI metrics, String name) {
        Matcher m = Pattern.compile("^" + name + " ([0-9.E+-]+)$", Pattern.MULTILINE).matcher(scrape(metrics));
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    private static String scrape(URI uri) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("GET " + uri).isEqualTo(200);
            return r.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitLagZero(Path work) throws InterruptedException {
        Waits.until(Duration.ofSeconds(30), () -> {
            Result s = run("status", "--work-dir", work.toString());
            Matcher m = Pattern.compile("^  clickhouse-orders\\s+orders-\\d\\s+([\\d,]+) ", Pattern.MULTILINE).matcher(s.out);
            int partitions = 0;
            while (m.find()) {
                if (!m.group(1).equals("0")) {
                    return false;
                }
                partitions++;
            }
            return partitions == 2;
        }, () -> "sink lag 0 on both partitions of " + TOPIC);
    }

    private static long count(ClickHouseQuery ch, String table) {
        return ch.scalar("SELECT count() FROM " + table);
    }

    private static long endOffsetsSum(String kafka, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka))) {
            Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
            admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(pi -> request.put(new TopicPartition(topic, pi.partition()), OffsetSpec.latest()));
            return admin.listOffsets(request).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertThat(m.find()).as("'%s' in:%n%s", regex, text).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    private static Properties state(Path work) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(work.resolve("sandbox.properties"), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    private static String secret(Path file, String key) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p.getProperty(key);
    }

    private record Result(int code, String out) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        var cl = SluiceCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        int code = cl.execute(args);
        return new Result(code, out.toString());
    }
}
