package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.local.pipeline.SensorPipeline;
import java.time.Duration;
import java.util.Map;

/**
 * The Sluice ClickHouse sink connector: exactly-once, one task per partition, the given body compression, every
 * other option at its default (plus any {@code sluice.bench.sink.<option>} system property), the JSON values passed
 * through {@code ByteArrayConverter} as in {@link SensorPipeline#sinkConfig}. Optionally it reaches ClickHouse
 * through a {@link ThrottlingProxy}, a link with a bandwidth cap.
 */
final class SinkContender implements Contender {

    private final BenchContext ctx;
    private final String compression;
    private final ThrottlingProxy link;
    private final Map<String, String> overrides;
    private final String label;
    private String connector;

    /**
     * @param compression {@code clickhouse.compression} value
     * @param link        the capped link to ClickHouse, or {@code null} for loopback
     * @param overrides   further sink options
     */
    SinkContender(BenchContext ctx, String compression, ThrottlingProxy link, Map<String, String> overrides) {
        this(ctx, compression, link, overrides, null);
    }

    /**
     * @param compression {@code clickhouse.compression} value
     * @param link        the capped link to ClickHouse, or {@code null} for loopback
     * @param overrides   further sink options (also connector options such as {@code connector.plugin.version})
     * @param label       the name in result tables, or {@code null} for one made of compression, link and options
     */
    SinkContender(BenchContext ctx, String compression, ThrottlingProxy link, Map<String, String> overrides,
                  String label) {
        this.ctx = ctx;
        this.compression = compression;
        this.link = link;
        this.overrides = overrides;
        this.label = label;
    }

    @Override
    public String name() {
        return label != null ? label : "Sluice sink, " + compression + (link == null ? "" : ", " + link.describe())
                + (overrides.isEmpty() ? "" : ", " + overrides);
    }

    @Override
    public String delivery() {
        return "exactly-once";
    }

    @Override
    public boolean writesCoordinates() {
        return true;
    }

    /** Returns the body compression. */
    String compression() {
        return compression;
    }

    /** Returns whether it writes through a capped link. */
    boolean capped() {
        return link != null;
    }

    @Override
    public void start(String table, int run) {
        connector = "bench-sink-" + run;
        Map<String, String> cfg = new SensorPipeline(ctx.stack(), ctx.topic(), table).sinkConfig(ctx.partitions(), null);
        cfg.put("clickhouse.compression", compression);
        if (link != null) {
            cfg.put("clickhouse.url", link.url());
        }
        cfg.putAll(overrides);
        ctx.stack().connect().putConnector(connector, cfg);
    }

    /** Returns the name of the connector of the current run, or {@code null} before the first start. */
    String connector() {
        return connector;
    }

    /**
     * Returns the failure of a task, or, when the options pin {@code connector.plugin.version}, a connector or task
     * that the worker reports running another plugin version (the status's {@code version}, Kafka 3.9+); else
     * {@code null}.
     */
    @Override
    public Throwable failure() {
        JsonNode s = ctx.stack().connect().status(connector);
        if (s != null) {
            String wanted = overrides.get("connector.plugin.version");
            String running = s.path("connector").path("version").asText(null);
            if (wanted != null && running != null && !running.equals(wanted)) {
                return new IllegalStateException(connector + " runs plugin version " + running + ", not " + wanted);
            }
            for (JsonNode t : s.path("tasks")) {
                if (t.path("state").asText().equals("FAILED")) {
                    return new IllegalStateException("sink task failed: " + t.path("trace").asText());
                }
                running = t.path("version").asText(null);
                if (wanted != null && running != null && !running.equals(wanted)) {
                    return new IllegalStateException(connector + " task " + t.path("id").asText()
                            + " runs plugin version " + running + ", not " + wanted);
                }
            }
        }
        return null;
    }

    /** Returns the plugin versions the worker reports for the connector and its tasks, as "connector v; tasks v, v". */
    String versions() {
        JsonNode s = ctx.stack().connect().status(connector);
        if (s == null) {
            return "no status";
        }
        StringBuilder b = new StringBuilder("connector ").append(s.path("connector").path("version").asText("?"))
                .append("; tasks");
        for (JsonNode t : s.path("tasks")) {
            b.append(' ').append(t.path("version").asText("?"));
        }
        return b.toString();
    }

    /**
     * Returns, per task consumer, its rebalances and assigned partitions from the worker's consumer-coordinator
     * metrics (this JVM's platform MBean server), as "task0 rebalances=2 partitions=1; ...". A task that first
     * joins the group alone takes every partition and gives half of them up when the next task joins.
     */
    String rebalances() throws Exception {
        var jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        StringBuilder b = new StringBuilder();
        for (int task = 0; task < ctx.partitions(); task++) {
            var name = new javax.management.ObjectName("kafka.consumer:type=consumer-coordinator-metrics,client-id="
                    + "connector-consumer-" + connector + "-" + task);
            if (jmx.isRegistered(name)) {
                b.append(b.length() == 0 ? "" : "; ").append("task").append(task).append(" rebalances=")
                        .append(((Number) jmx.getAttribute(name, "rebalance-total")).longValue())
                        .append(" partitions=").append(((Number) jmx.getAttribute(name, "assigned-partitions"))
                                .longValue());
            }
        }
        return b.toString();
    }

    /**
     * Returns the sink tasks' own metrics as the worker's JMX reporter shows them (plugin metrics, KIP-877, on
     * Kafka 4.1+): records and batches inserted and the mean insert latency, per task.
     */
    String insertMetrics() throws Exception {
        var jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        StringBuilder b = new StringBuilder();
        for (var name : jmx.queryNames(new javax.management.ObjectName("kafka.connect:type=plugins,*"), null)) {
            if (connector.equals(String.valueOf(name.getKeyProperty("connector")).replace("\"", ""))
                    && java.util.Arrays.stream(jmx.getMBeanInfo(name).getAttributes())
                    .anyMatch(a -> a.getName().equals("records-inserted"))) {
                b.append(b.length() == 0 ? "" : "; ").append("task").append(name.getKeyProperty("task"))
                        .append(" records-inserted=").append(jmx.getAttribute(name, "records-inserted"))
                        .append(" batches-inserted=").append(jmx.getAttribute(name, "batches-inserted"))
                        .append(" insert-latency-avg-ms=").append(jmx.getAttribute(name, "insert-latency-avg-ms"));
            }
        }
        return b.length() == 0 ? "none found" : b.toString();
    }

    @Override
    public void stop() {
        ctx.stack().connect().stopAndAwait(connector, Duration.ofSeconds(60));
        ctx.stack().connect().deleteConnector(connector);
    }
}
