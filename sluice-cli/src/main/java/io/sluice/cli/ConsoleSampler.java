package io.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.aggregator.dynamo.DynamoClients;
import io.sluice.aggregator.dynamo.WindowReader;
import io.sluice.aggregator.dynamo.WindowRow;
import io.sluice.local.verify.CdcLagProbe;
import io.sluice.local.verify.ClickHouseQuery;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Collects what the web console shows, once a second, in the sandbox's JVM, from the components themselves, and
 * keeps the last {@value #HISTORY} samples for the charts:
 * <ul>
 *   <li>readings produced: the end offsets of {@code readings}, summed (Kafka); readings/s is the change per second;</li>
 *   <li>sink rows: {@code count()} of the {@code readings} table (ClickHouse); rows/s likewise;</li>
 *   <li>connectors, tasks, lag per partition, rows per table and dead-letter counts ({@link SandboxStatus});</li>
 *   <li>parts per table (active parts in {@code system.parts}) and each sink connector's insert latency (the sink
 *       tasks' {@code insert-latency-avg-ms}, read from the Connect worker's MBeans in this JVM);</li>
 *   <li>CDC commit-to-visible p50 and p99 over the probes that became visible in the last 10 s
 *       ({@link CdcLagProbe});</li>
 *   <li>for one simulated device (the lowest id with readings in the last 10 minutes), the average temperature per
 *       minute in ClickHouse and the 1-minute windows in DynamoDB;</li>
 *   <li>the last 20 records of each dead-letter topic with the reason Connect put in their headers.</li>
 * </ul>
 * {@link #json()} returns the latest state; a failed sample keeps the previous one and records the error.
 */
final class ConsoleSampler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsoleSampler.class);
    static final int HISTORY = 300;
    private static final int DLQ_SHOWN = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SandboxState state;
    private final CdcLagProbe probe;
    private final ClickHouseQuery ch;
    private final DynamoDbClient dynamo;
    private final org.apache.kafka.clients.admin.Admin admin;
    private final Deque<Map<String, Object>> history = new ArrayDeque<>();
    private final Deque<long[]> cdcLags = new ArrayDeque<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-console-sampler");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Long> dlqSeen = new LinkedHashMap<>();
    private final Map<String, List<Map<String, Object>>> dlqRecords = new LinkedHashMap<>();
    private volatile String json = "{}";
    private int lagsSeen;
    private long lastProduced = -1;
    private long lastRows = -1;
    private long lastNanos;

    /**
     * @param state the sandbox's endpoints
     * @param probe its CDC lag probe, or {@code null} without CDC
     */
    ConsoleSampler(SandboxState state, CdcLagProbe probe) {
        this.state = state;
        this.probe = probe;
        this.ch = state.attach().clickHouse();
        this.dynamo = DynamoClients.create(URI.create(state.dynamoDbEndpoint()), "us-east-1");
        this.admin = org.apache.kafka.clients.admin.Admin.create(SandboxStatus.adminConfig(state));
    }

    /** Samples now and then every second. */
    ConsoleSampler start() {
        timer.scheduleWithFixedDelay(this::sampleQuietly, 0, 1, TimeUnit.SECONDS);
        return this;
    }

    /** Returns the latest state as JSON. */
    String json() {
        return json;
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            log.warn("console sample failed: {}", e.toString());
        }
    }

    private synchronized void sample() {
        long now = System.currentTimeMillis();
        long nanos = System.nanoTime();
        SandboxStatus status = SandboxStatus.read(state, admin);
        long produced = status.lag().stream().filter(l -> l.topic().equals(DemoCommand.TOPIC)
                && l.connector().equals(DemoCommand.CONNECTOR)).mapToLong(SandboxStatus.PartitionLag::end).sum();
        long rows = status.tableRows().containsKey(DemoCommand.TABLE)
                ? ch.scalar("SELECT count() FROM " + DemoCommand.TABLE) : 0;
        double seconds = lastNanos == 0 ? 0 : (nanos - lastNanos) / 1e9;
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("t", now / 1000.0);
        point.put("producedPerSec", lastProduced < 0 || seconds == 0 ? null : (produced - lastProduced) / seconds);
        point.put("rowsPerSec", lastRows < 0 || seconds == 0 ? null : (rows - lastRows) / seconds);
        point.put("lag", status.lag().stream().filter(l -> l.connector().equals(DemoCommand.CONNECTOR))
                .mapToLong(SandboxStatus.PartitionLag::lag).sum());
        long[] cdc = cdcPercentiles(now);
        point.put("cdcP50", cdc == null ? null : cdc[0]);
        point.put("cdcP99", cdc == null ? null : cdc[1]);
        lastProduced = produced;
        lastRows = rows;
        lastNanos = nanos;
        history.addLast(point);
        while (history.size() > HISTORY) {
            history.removeFirst();
        }

        Map<String, Object> s = new LinkedHashMap<>();
        s.put("sampledAt", Instant.ofEpochMilli(now).toString());
        s.put("produced", produced);
        s.put("rows", rows);
        s.put("components", status.components());
        s.put("connectors", status.connectors());
        s.put("lag", status.lag().stream().map(l -> Map.of("connector", l.connector(), "topic", l.topic(),
                "partition", l.partition(), "end", l.end(), "committed", l.committed(), "lag", l.lag())).toList());
        s.put("tables", tables(status));
        s.put("deadLetters", deadLetters(status));
        s.put("device", device());
        s.put("history", new ArrayList<>(history));
        try {
            json = JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private long[] cdcPercentiles(long now) {
        if (probe == null) {
            return null;
        }
        List<Long> lags = probe.lagsMillis();
        for (int i = lagsSeen; i < lags.size(); i++) {
            cdcLags.addLast(new long[] {now, lags.get(i)});
        }
        lagsSeen = lags.size();
        while (!cdcLags.isEmpty() && cdcLags.peekFirst()[0] < now - 10_000) {
            cdcLags.removeFirst();
        }
        if (cdcLags.isEmpty()) {
            return null;
        }
        List<Long> window = cdcLags.stream().map(a -> a[1]).toList();
        return new long[] {CdcLagProbe.percentile(window, 50), CdcLagProbe.percentile(window, 99)};
    }

    private List<Map<String, Object>> tables(SandboxStatus status) {
        Map<String, Long> parts = new LinkedHashMap<>();
        for (String[] r : ch.rows("SELECT table, count() FROM system.parts WHERE active AND database = 'default' "
                + "GROUP BY table")) {
            parts.put(r[0], Long.parseLong(r[1]));
        }
        Map<String, Double> latency = insertLatencyByTable(status);
        List<Map<String, Object>> out = new ArrayList<>();
        status.tableRows().forEach((t, n) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table", t);
            m.put("rows", n);
            m.put("parts", parts.getOrDefault(t, 0L));
            m.put("insertLatencyMs", latency.get(t));
            out.add(m);
        });
        return out;
    }

    /**
     * The sink tasks' average insert latency per target table: the MBeans of the worker in this JVM
     * ({@code kafka.connect:type=plugins,connector=..,task=..}), for connectors whose {@code topic.to.table} names
     * one table (the readings pipeline and {@code sink deploy} connectors). Highest over the connector's tasks.
     */
    private Map<String, Double> insertLatencyByTable(SandboxStatus status) {
        Map<String, Double> byTable = new LinkedHashMap<>();
        try {
            MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
            for (ObjectName n : mbs.queryNames(new ObjectName("kafka.connect:type=plugins,*"), null)) {
                String connector = n.getKeyProperty("connector");
                Object v = mbs.getAttribute(n, "insert-latency-avg-ms");
                String table = tableOf(connector);
                if (table != null && v instanceof Number num) {
                    byTable.merge(table, num.doubleValue(), Math::max);
                }
            }
        } catch (Exception e) {
            log.debug("cannot read the sink MBeans: {}", e.toString());
        }
        return byTable;
    }

    private String tableOf(String connector) {
        if (connector == null) {
            return null;
        }
        if (connector.equals(DemoCommand.CONNECTOR)) {
            return DemoCommand.TABLE;
        }
        return connector.startsWith("clickhouse-") ? connector.substring("clickhouse-".length()).replaceAll("[^a-zA-Z0-9_]", "_") : null;
    }

    private Map<String, Object> device() {
        Map<String, Object> d = new LinkedHashMap<>();
        if (!ch.rows("EXISTS TABLE " + DemoCommand.TABLE).stream().anyMatch(r -> r[0].equals("1"))) {
            return d;
        }
        List<String[]> first = ch.rows("SELECT min(device_id) FROM " + DemoCommand.TABLE
                + " WHERE timestamp >= now() - 600 AND device_id < " + DemoCommand.REPLAY_FIRST_DEVICE);
        if (first.isEmpty() || first.get(0)[0].equals("0")) {
            return d;
        }
        int device = Integer.parseInt(first.get(0)[0]);
        d.put("deviceId", device);
        List<Map<String, Object>> clickHouse = new ArrayList<>();
        for (String[] r : ch.rows("SELECT toUnixTimestamp(toStartOfMinute(timestamp)) AS m, count(), avg(temperature) FROM "
                + DemoCommand.TABLE + " WHERE device_id = " + device + " AND timestamp >= now() - 600 GROUP BY m ORDER BY m")) {
            clickHouse.add(Map.of("windowStart", Long.parseLong(r[0]), "count", Long.parseLong(r[1]),
                    "mean", Double.parseDouble(r[2])));
        }
        long from = clickHouse.isEmpty() ? 0 : (long) clickHouse.get(0).get("windowStart");
        List<Map<String, Object>> dynamoWindows = new ArrayList<>();
        try {
            for (WindowRow w : new WindowReader(dynamo, DemoAggregator.TABLE).device(device)) {
                if (w.windowStart().getEpochSecond() >= from) {
                    dynamoWindows.add(Map.of("windowStart", w.windowStart().getEpochSecond(), "count", w.count(),
                            "mean", w.mean().doubleValue()));
                }
            }
        } catch (RuntimeException e) {
            d.put("dynamoError", e.getMessage());
        }
        d.put("clickHouse", clickHouse);
        d.put("dynamoDb", dynamoWindows);
        return d;
    }

    private Map<String, Object> deadLetters(SandboxStatus status) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : status.deadLetters().entrySet()) {
            if (!e.getValue().equals(dlqSeen.get(e.getKey()))) {
                dlqRecords.put(e.getKey(), lastRecords(e.getKey()));
                dlqSeen.put(e.getKey(), e.getValue());
            }
            out.put(e.getKey(), Map.of("count", e.getValue(), "records", dlqRecords.getOrDefault(e.getKey(), List.of())));
        }
        return out;
    }

    /** Reads the last {@value #DLQ_SHOWN} records of a one-partition dead-letter topic, newest first. */
    private List<Map<String, Object>> lastRecords(String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", state.kafka());
        p.put("enable.auto.commit", "false");
        List<Map<String, Object>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            c.seek(tp, Math.max(0, end - DLQ_SHOWN));
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (out.size() < Math.min(end, DLQ_SHOWN) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("offset", r.offset());
                    m.put("source", header(r, "__connect.errors.topic") + "-" + header(r, "__connect.errors.partition")
                            + "@" + header(r, "__connect.errors.offset"));
                    m.put("reason", header(r, "__connect.errors.exception.message"));
                    String value = r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
                    m.put("value", value.length() > 200 ? value.substring(0, 200) + "..." : value);
                    out.add(0, m);
                }
            }
        } catch (RuntimeException e) {
            log.debug("cannot read {}: {}", topic, e.toString());
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null || h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Stops sampling. */
    @Override
    public void close() {
        timer.shutdownNow();
        dynamo.close();
        admin.close();
    }
}
