package io.sluice.local.pipeline;

import io.sluice.local.LocalStack;
import io.sluice.local.connect.ConnectRestClient;
import io.sluice.local.server.MariaDbServer;
import io.sluice.cdc.DebeziumPresets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Sets up change data capture on a {@link LocalStack}: one MariaDB database captured by the Debezium MariaDB
 * connector ({@link DebeziumPresets#mariaDb}) into topics {@code <prefix>.<database>.<table>}, and the Sluice
 * sink in CDC mode ({@code ingest.mode=debezium}) writing every such topic into a ClickHouse table of the same
 * name as the source table, created by the sink (ReplacingMergeTree on the binlog-derived {@code _version}, with
 * {@code _deleted}; the current state is the view {@code <table>_current}). Used by {@code sluice demo}, the
 * integration tests and the CDC benchmark, so all run the same pipeline.
 */
public final class CdcPipeline {

    /** Sink connector class. */
    public static final String SINK_CLASS = SensorPipeline.SINK_CLASS;
    /** The consumer assignor that spreads one-partition topics over the sink's tasks. */
    public static final String ROUND_ROBIN = "org.apache.kafka.clients.consumer.RoundRobinAssignor";
    /** The CDC sink's {@code flush.min.interval.ms}: shorter than the default 1 s, for commit-to-visible latency. */
    public static final int CDC_MIN_INSERT_SPACING_MS = 600;
    /** Debezium's replication client id; the local MariaDB has {@code server_id=1}. */
    public static final long DEBEZIUM_SERVER_ID = 5401;

    private final LocalStack stack;
    private final MariaDbServer db;
    private final String database;
    private final String topicPrefix;

    /**
     * @param stack       the running stack
     * @param db          the running MariaDB server
     * @param database    the captured database (created by {@link #createDatabase()})
     * @param topicPrefix Debezium's {@code topic.prefix}
     */
    public CdcPipeline(LocalStack stack, MariaDbServer db, String database, String topicPrefix) {
        this.stack = stack;
        this.db = db;
        this.database = database;
        this.topicPrefix = topicPrefix;
    }

    /**
     * Creates the database unless it exists.
     *
     * @throws IllegalStateException if MariaDB refuses
     */
    public void createDatabase() {
        try (Connection c = db.connect(null); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS `" + database + "` CHARACTER SET utf8mb4");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs statements on the captured database, each in autocommit.
     *
     * @throws IllegalStateException naming the statement MariaDB refused
     */
    public void execute(String... statements) {
        try (Connection c = db.connect(database); Statement st = c.createStatement()) {
            for (String sql : statements) {
                try {
                    st.execute(sql);
                } catch (SQLException e) {
                    throw new IllegalStateException("MariaDB refused '" + sql + "': " + e.getMessage(), e);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to MariaDB: " + e.getMessage(), e);
        }
    }

    /** Returns what Debezium captures: this database on the local server, topics with one partition each. */
    public DebeziumPresets.Source source() {
        return new DebeziumPresets.Source(db.host(), db.port(), MariaDbServer.DEBEZIUM_USER, db.debeziumPasswordRef(),
                DEBEZIUM_SERVER_ID, topicPrefix, List.of(database), List.of(), stack.bootstrapServers(), 1, 1);
    }

    /** Returns the Debezium MariaDB connector config (the password as a {@code ${file:...}} reference). */
    public Map<String, String> sourceConfig() {
        return DebeziumPresets.mariaDb(source());
    }

    /** Returns the regex of this database's change topics, {@code <prefix>\.<database>\..+}. */
    public String topicRegex() {
        return Pattern.quote(topicPrefix + "." + database + ".") + ".+";
    }

    /** Returns the change topic of one table. */
    public String topicOf(String table) {
        return source().topicOf(database, table);
    }

    /**
     * Returns the sink config in CDC mode: every change topic of the database (tables added later included; the
     * consumer refreshes topic metadata every 2 s to find them), JSON with schemas, tables created and evolved by
     * the sink, its change topics spread over the tasks by a round-robin assignor, a table's inserts at least
     * {@value #CDC_MIN_INSERT_SPACING_MS} ms apart. The password is a config-provider reference.
     *
     * @param tasks {@code tasks.max}
     */
    public Map<String, String> sinkConfig(int tasks) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", SINK_CLASS);
        c.put("tasks.max", String.valueOf(tasks));
        c.put("topics.regex", topicRegex());
        c.put("consumer.override.metadata.max.age.ms", "2000");
        // Change topics have one partition each: Kafka's default range assignor gives every partition 0 to the same
        // task, and the others idle (measured: one of 2 tasks received all 5 tables). Round robin spreads them.
        c.put("consumer.override.partition.assignment.strategy", ROUND_ROBIN);
        // Latency over insert count: with Debezium's 100 ms batches, p99 commit-to-visible 804 ms at 400 tx/s and about
        // 1.5 inserts/s per table; the default 1 s spacing gave 1 insert/s and p99 1.3 s (BENCHMARKS.md).
        c.put("flush.min.interval.ms", String.valueOf(CDC_MIN_INSERT_SPACING_MS));
        c.put("key.converter", DebeziumPresets.JSON_CONVERTER);
        c.put("key.converter.schemas.enable", "true");
        c.put("value.converter", DebeziumPresets.JSON_CONVERTER);
        c.put("value.converter.schemas.enable", "true");
        c.put("clickhouse.url", stack.clickHouseUrl());
        c.put("clickhouse.user", stack.clickHouseUser());
        c.put("clickhouse.password", stack.clickHousePasswordRef());
        c.put("ingest.mode", "debezium");
        c.put("table.auto.create", "true");
        c.put("schema.evolution", "add_columns");
        return c;
    }

    /**
     * Deploys (or updates) a connector, source or sink, and waits until it and one task run; for the Debezium
     * source the snapshot starts then.
     *
     * @param name   connector name
     * @param config {@link #sourceConfig()}, {@link #sinkConfig(int)} or a variant of them
     * @throws ConnectRestClient.ConnectRestException if the worker rejects the config or the task fails
     */
    public void deploy(String name, Map<String, String> config) {
        stack.connect().putConnector(name, config);
        stack.connect().awaitRunning(name, 1, Duration.ofSeconds(60));
    }

    /** Returns the captured database. */
    public String database() {
        return database;
    }

    /** Returns Debezium's topic prefix. */
    public String topicPrefix() {
        return topicPrefix;
    }
}
