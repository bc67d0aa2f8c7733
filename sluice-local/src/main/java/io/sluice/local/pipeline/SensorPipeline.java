package io.sluice.local.pipeline;

import io.sluice.local.LocalStack;
import io.sluice.local.connect.ConnectRestClient;
import io.sluice.core.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Sets up the main job on a {@link LocalStack}: the readings topic, the ClickHouse table and the sink connector
 * that joins them. Used by {@code sluice demo} and by the integration tests, so both run the same pipeline.
 *
 * <p>Table: {@code (device_id UInt32, timestamp DateTime, temperature Float64)} plus the Kafka coordinates of each
 * row, MergeTree partitioned by month of event time and sorted by {@code (device_id, timestamp)}. DateTime keeps
 * whole seconds (18.16 has no DateTime64); the JSON reading keeps milliseconds.
 */
public final class SensorPipeline {

    /** Sink connector class. */
    public static final String SINK_CLASS = "io.sluice.sink.clickhouse.ClickHouseSinkConnector";

    private final LocalStack stack;
    private final String topic;
    private final String table;

    /**
     * @param stack the running stack
     * @param topic readings topic
     * @param table target table in the {@code default} database
     */
    public SensorPipeline(LocalStack stack, String topic, String table) {
        this.stack = stack;
        this.topic = topic;
        this.table = table;
    }

    /**
     * Returns the DDL of the readings table; on a local cluster ({@link LocalStack#clickHouseClusterName()}) it is
     * created {@code ON CLUSTER} as a ReplicatedMergeTree.
     */
    public String createTableSql() {
        String cluster = stack.clickHouseClusterName();
        String engine = cluster == null ? "MergeTree()"
                : "ReplicatedMergeTree('/clickhouse/tables/{shard}/default/" + table + "', '{replica}')";
        return "CREATE TABLE IF NOT EXISTS " + table + (cluster == null ? "" : " ON CLUSTER " + cluster)
                + " (device_id UInt32, timestamp DateTime, temperature Float64, "
                + "_kafka_topic String, _kafka_partition UInt32, _kafka_offset UInt64) "
                + "ENGINE = " + engine + " PARTITION BY toYYYYMM(timestamp) ORDER BY (device_id, timestamp)";
    }

    /**
     * Creates the topic (if missing) and the table (if missing).
     *
     * @param partitions topic partitions
     * @throws IllegalStateException if Kafka or ClickHouse refuses
     */
    public void createTopicAndTable(int partitions) {
        createTopic(stack.bootstrapServers(), topic, partitions);
        stack.clickHouse().execute(createTableSql());
    }

    /**
     * Creates a topic unless it exists (replication factor 1 on the one-broker local cluster, the cluster default
     * otherwise) and waits until its partition leaders serve requests.
     *
     * @throws IllegalStateException if the broker refuses or does not answer within 30 s
     */
    public static void createTopic(String bootstrapServers, String topic, int partitions) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try {
            Topics.ensure(p, topic, partitions, (short) -1, 30_000);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create topic " + topic + " within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Returns the sink connector config for this pipeline. The password is a config-provider reference.
     *
     * @param tasks     {@code tasks.max}
     * @param dlqTopic  dead-letter topic; when non-null, {@code errors.tolerance=all} with context headers
     */
    public Map<String, String> sinkConfig(int tasks, String dlqTopic) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", SINK_CLASS);
        c.put("tasks.max", String.valueOf(tasks));
        c.put("topics", topic);
        // The append path never reads the key, and a dead letter carries the record's original bytes: keep the
        // key as bytes rather than decode a String per record for nothing.
        c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        // JSON text goes to the sink as bytes: the sink parses it straight into RowBinary (the fast path).
        c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put("clickhouse.url", stack.clickHouseUrl());
        c.put("clickhouse.user", stack.clickHouseUser());
        c.put("clickhouse.password", stack.clickHousePasswordRef());
        c.put("topic.to.table", topic + "=" + table);
        if (stack.clickHouseClusterName() != null) {
            c.put("clickhouse.cluster", stack.clickHouseClusterName());
        }
        if (dlqTopic != null) {
            c.put("errors.tolerance", "all");
            c.put("errors.deadletterqueue.topic.name", dlqTopic);
            c.put("errors.deadletterqueue.topic.replication.factor", "1");
            c.put("errors.deadletterqueue.context.headers.enable", "true");
        }
        return c;
    }

    /**
     * Deploys (or updates) the sink connector and waits until it and its tasks run. Creates the dead-letter topic
     * first when the config names one.
     *
     * @param name   connector name
     * @param config connector config, usually from {@link #sinkConfig}
     * @throws ConnectRestClient.ConnectRestException if the worker rejects it or a task fails to start
     */
    public void deploySink(String name, Map<String, String> config) {
        String dlq = config.get("errors.deadletterqueue.topic.name");
        if (dlq != null) {
            createTopic(stack.bootstrapServers(), dlq, 1);
        }
        stack.connect().putConnector(name, config);
        stack.connect().awaitRunning(name, 1, Duration.ofSeconds(60));
    }

    /** Returns the number of rows in the table. */
    public long rowCount() {
        return stack.clickHouse().scalar("SELECT count() FROM " + table);
    }

    /** Returns the topic. */
    public String topic() {
        return topic;
    }

    /** Returns the table. */
    public String table() {
        return table;
    }
}
