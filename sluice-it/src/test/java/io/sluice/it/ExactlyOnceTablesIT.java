package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.local.LocalStack;
import io.sluice.local.pipeline.SensorPipeline;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tables that exactly-once delivery cannot prove, refused before a row is written (issue 13, cases 3 and 5).
 *
 * <p>Several topics writing one table (case 3). The resume check finds a record's row by its
 * coordinates; without the topic among them, another topic's rows at the same partition and offsets look written,
 * and the second topic's records were skipped unwritten (200 records in, 100 rows out, no error). Each case sends
 * the first topic, waits until it is handled, then sends the second, so the second topic's resume check runs
 * against a table that already holds the first topic's offsets.
 */
class ExactlyOnceTablesIT {

    private static LocalStack stack;
    private static KafkaState kafka;

    @BeforeAll
    static void start() {
        stack = Stack.start("shared-table");
        kafka = new KafkaState(stack.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** A table without {@code _kafka_topic} is refused before any row is written, naming the table and the fix. */
    @Test
    void aTableWithoutTheTopicCoordinateIsRefusedInsteadOfSkippingTheSecondTopic() throws Exception {
        stack.clickHouse().execute("CREATE TABLE shared_plain (id UInt64, _kafka_partition UInt32, "
                + "_kafka_offset UInt64) ENGINE = MergeTree() ORDER BY (_kafka_partition, _kafka_offset)");
        String trace = runTwoTopics("plain", "sp-a", "sp-b", "shared_plain", true);
        assertThat(trace).as("the task must stop rather than skip the second topic's records").isNotNull()
                .contains("default.shared_plain has no _kafka_topic column",
                        "ADD COLUMN _kafka_topic String DEFAULT 'sp-a'", "delivery.guarantee=at_least_once");
        assertThat(count("shared_plain")).as("nothing written before the refusal").isZero();
    }

    /** With a stored {@code _kafka_topic}, two topics whose names sanitise alike share one table and lose nothing. */
    @Test
    void topicsWhoseNamesSanitiseAlikeShareATableWithTheTopicCoordinate() throws Exception {
        // No topic.to.table: both topics map to table sc_x by name, which auto-create makes with the coordinates.
        String trace = runTwoTopics("alike", "sc.x", "sc-x", null, false);
        assertThat(trace).isNull();
        assertThat(stack.clickHouse().rows("SELECT count(), uniqExact(_kafka_topic, _kafka_partition, _kafka_offset), "
                + "uniqExact(_kafka_topic), sum(id) FROM sc_x").get(0))
                .containsExactly("200", "200", "2", String.valueOf(2 * sumIds()));
    }

    /**
     * A table bound to one topic by {@code _kafka_topic String ALIAS '<topic>'} (no bytes per row) takes that topic
     * exactly once and refuses any other, naming the binding.
     */
    @Test
    void aTableBoundToOneTopicTakesItAndRefusesAnother() throws Exception {
        stack.clickHouse().execute("CREATE TABLE bound (id UInt64, _kafka_topic String ALIAS 'bd-a', "
                + "_kafka_partition UInt32, _kafka_offset UInt64) ENGINE = MergeTree() "
                + "ORDER BY (_kafka_partition, _kafka_offset)");
        String trace = runTwoTopics("bound", "bd-a", "bd-b", "bound", true);
        assertThat(trace).as("the second topic must stop the task, not be skipped").isNotNull()
                .contains("default.bound is bound to topic 'bd-a'", "bd-b");
        assertThat(stack.clickHouse().rows("SELECT count(), uniqExact(_kafka_offset), sum(id) FROM bound").get(0))
                .containsExactly("100", "100", String.valueOf(sumIds()));
    }

    /**
     * An engine that merges rows drops their coordinates (case 5): refused by name, and so is ReplacingMergeTree on
     * a business key; ReplacingMergeTree sorted by the coordinates takes every record once.
     */
    @Test
    void enginesThatMergeRowsAwayAreRefusedByName() throws Exception {
        stack.clickHouse().execute("CREATE TABLE summed (id UInt64, _kafka_topic String, _kafka_partition UInt32, "
                + "_kafka_offset UInt64) ENGINE = SummingMergeTree() ORDER BY id");
        String trace = runOneTopic("summed", "sm-a", "summed");
        assertThat(trace).as("SummingMergeTree must be refused").isNotNull()
                .contains("default.summed uses SummingMergeTree", "materialized view");
        stack.clickHouse().execute("CREATE TABLE replaced (id UInt64, _kafka_topic String, _kafka_partition UInt32, "
                + "_kafka_offset UInt64) ENGINE = ReplacingMergeTree() ORDER BY id");
        trace = runOneTopic("replaced", "rp-a", "replaced");
        assertThat(trace).as("ReplacingMergeTree on a business key must be refused").isNotNull()
                .contains("default.replaced uses ReplacingMergeTree with sort key (id)");
        assertThat(count("summed") + count("replaced")).isZero();

        stack.clickHouse().execute("CREATE TABLE replaced_ok (id UInt64, _kafka_topic String, _kafka_partition UInt32, "
                + "_kafka_offset UInt64) ENGINE = ReplacingMergeTree() ORDER BY (_kafka_topic, _kafka_partition, "
                + "_kafka_offset)");
        assertThat(runOneTopic("replaced-ok", "ro-a", "replaced_ok")).isNull();
        assertThat(stack.clickHouse().rows("SELECT count(), sum(id) FROM replaced_ok FINAL").get(0))
                .containsExactly("100", String.valueOf(sumIds()));
    }

    /**
     * With errors.tolerance=all no single record stops the task (issue 13, case 8): a first record whose fields are
     * named like the coordinate columns made auto-create fail with a duplicate column. The table is created with
     * the coordinates from Kafka, and the record's own fields of those names are not stored.
     */
    @Test
    void aFirstRecordWithFieldsNamedLikeTheCoordinatesCreatesTheTable() throws Exception {
        String topic = "cf-a";
        SensorPipeline.createTopic(stack.bootstrapServers(), topic, 1);
        SensorPipeline.createTopic(stack.bootstrapServers(), "cf-a-dlq", 1);
        Map<String, String> c = config(topic, null);
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", "cf-a-dlq");
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        stack.connect().putConnector("cf-sink", c);
        stack.connect().awaitRunning("cf-sink", 1, Duration.ofSeconds(60));
        List<String> values = new ArrayList<>();
        values.add("{\"id\":1,\"_kafka_topic\":\"fake\",\"_kafka_partition\":7,\"_kafka_offset\":99}");
        for (int i = 2; i <= 100; i++) {
            values.add("{\"id\":" + i + "}");
        }
        kafka.send(topic, values);
        assertThat(kafka.awaitCommittedOrFailed(stack.connect(), "cf-sink", topic, 1)).isNull();
        assertThat(stack.clickHouse().rows("SELECT count(), uniqExact(_kafka_offset), max(_kafka_offset), "
                + "groupUniqArray(_kafka_topic), max(_kafka_partition), sum(id) FROM cf_a").get(0))
                .containsExactly("100", "100", "99", "['cf-a']", "0", String.valueOf(sumIds()));
        stack.connect().deleteConnector("cf-sink");
    }

    /**
     * Offsets that repeat (case 4): the topic is deleted and created again, and its new records start at offset 0,
     * where the table already holds the old topic's rows. The old code skipped every new record as already written
     * (100 old rows, none of the 50 new ones, committed, no error). Now the first skipped record is compared with
     * the row stored under its coordinates, and the task stops naming the record, the table and the fix.
     */
    @Test
    void aRecreatedTopicsRecordsAreNotSkippedAsWritten() throws Exception {
        String topic = "rc-a";
        SensorPipeline.createTopic(stack.bootstrapServers(), topic, 1);
        stack.connect().putConnector("rc-sink", config(topic, null));
        stack.connect().awaitRunning("rc-sink", 1, Duration.ofSeconds(60));
        kafka.send(topic, ids());
        assertThat(kafka.awaitCommittedOrFailed(stack.connect(), "rc-sink", topic, 1)).isNull();
        stack.connect().deleteConnector("rc-sink");

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.deleteTopics(List.of(topic)).all().get();
            Waits.until(Duration.ofSeconds(30), () -> {
                try {
                    return !admin.listTopics().names().get().contains(topic);
                } catch (Exception e) {
                    return false;
                }
            }, () -> topic + " still listed after its deletion");
        }
        Waits.until(Duration.ofSeconds(30), () -> {
            try {
                SensorPipeline.createTopic(stack.bootstrapServers(), topic, 1);
                return true;
            } catch (RuntimeException e) {
                return false; // the deletion is still being completed
            }
        }, () -> topic + " cannot be created again");
        List<String> fresh = new ArrayList<>();
        for (int i = 1001; i <= 1050; i++) {
            fresh.add("{\"id\":" + i + "}");
        }
        kafka.send(topic, fresh);
        stack.connect().putConnector("rc-sink", config(topic, null));
        String trace = kafka.awaitCommittedOrFailed(stack.connect(), "rc-sink", topic, 1);
        stack.connect().deleteConnector("rc-sink");
        assertThat(trace).as("the re-created topic's records must not be skipped as written; rows, max(id): "
                + List.of(stack.clickHouse().rows("SELECT count(), max(id) FROM rc_a").get(0))).isNotNull()
                .contains("record rc-a-0@0 is not the row that default.rc_a holds", "re-created", "topic.to.table");
        assertThat(stack.clickHouse().rows("SELECT count(), countIf(id > 1000) FROM rc_a").get(0))
                .as("the old rows stay, and nothing of the new topic was written over them").containsExactly("100", "0");
    }

    /** Deploys an exactly-once connector on one topic, sends 100 records; returns the failed trace or null. */
    private static String runOneTopic(String name, String topic, String table) throws Exception {
        SensorPipeline.createTopic(stack.bootstrapServers(), topic, 1);
        String connector = name + "-sink";
        stack.connect().putConnector(connector, config(topic, topic + "=" + table));
        stack.connect().awaitRunning(connector, 1, Duration.ofSeconds(60));
        kafka.send(topic, ids());
        String trace = kafka.awaitCommittedOrFailed(stack.connect(), connector, topic, 1);
        stack.connect().deleteConnector(connector);
        return trace;
    }

    /**
     * Deploys one exactly-once connector on both topics, sends 100 records to the first and waits until they are
     * handled, then 100 to the second; returns the failed task's trace, or null if both topics were committed.
     */
    private static String runTwoTopics(String name, String first, String second, String table,
                                       boolean firstMayFail) throws Exception {
        SensorPipeline.createTopic(stack.bootstrapServers(), first, 1);
        SensorPipeline.createTopic(stack.bootstrapServers(), second, 1);
        String connector = name + "-sink";
        Map<String, String> c = config(first + "," + second,
                table == null ? null : first + "=" + table + "," + second + "=" + table);
        stack.connect().putConnector(connector, c);
        stack.connect().awaitRunning(connector, 1, Duration.ofSeconds(60));

        kafka.send(first, ids());
        String trace = kafka.awaitCommittedOrFailed(stack.connect(), connector, first, 1);
        if (trace == null) {
            kafka.send(second, ids());
            trace = kafka.awaitCommittedOrFailed(stack.connect(), connector, second, 1);
        } else {
            assertThat(firstMayFail).as("first topic failed: " + trace).isTrue();
        }
        stack.connect().deleteConnector(connector);
        return trace;
    }

    /** Exactly-once (the default) sink config; {@code topicToTable} null means tables by topic name, auto-created. */
    private static Map<String, String> config(String topics, String topicToTable) {
        Map<String, String> c = new SensorPipeline(stack, topics, "").sinkConfig(1, null);
        c.remove("topic.to.table");
        c.put("flush.interval.ms", "200");
        if (topicToTable != null) {
            c.put("topic.to.table", topicToTable);
        } else {
            c.put("table.auto.create", "true");
        }
        return c;
    }

    private static List<String> ids() {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            out.add("{\"id\":" + i + "}");
        }
        return out;
    }

    private static long sumIds() {
        return 100 * 101 / 2;
    }

    private static long count(String table) {
        return stack.clickHouse().scalar("SELECT count() FROM " + table);
    }
}
