package io.sluice.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.local.LocalStack;
import io.sluice.local.pipeline.SensorPipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Inserts the server refuses for one row's sake (issue 13, case 8). ClickHouse 18.16 has no CHECK constraints, but a
 * column {@code chk UInt8 MATERIALIZED throwIf(v % 250 = 13)} is computed by the server for every inserted block
 * (the sink never sends MATERIALIZED columns) and refuses the whole insert, atomically, with code 395 when one row
 * has such a {@code v}. With {@code errors.tolerance=all} the task failed after the first refusal; now it bisects
 * the batch, dead-letters the guilty records with the server's message and inserts the rest, once.
 */
class RefusedRowsIT {

    private static final int RECORDS = 2_000;
    private static LocalStack stack;
    private static KafkaState kafka;

    @BeforeAll
    static void start() {
        stack = Stack.start("refused-rows");
        kafka = new KafkaState(stack.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void rowsTheServerRefusesAreDeadLetteredWithItsMessageAndTheRestLandOnce() throws Exception {
        String topic = "refused-in";
        String dlq = "refused-in-dlq";
        SensorPipeline.createTopic(stack.bootstrapServers(), topic, 1);
        stack.clickHouse().execute("CREATE TABLE refused_rows (id UInt64, v UInt64, "
                + "chk UInt8 MATERIALIZED throwIf(v % 250 = 13), "
                + "_kafka_topic String, _kafka_partition UInt32, _kafka_offset UInt64) ENGINE = MergeTree() "
                + "ORDER BY (_kafka_topic, _kafka_partition, _kafka_offset)");
        SensorPipeline p = new SensorPipeline(stack, topic, "refused_rows");
        Map<String, String> c = p.sinkConfig(1, dlq);
        c.put("flush.interval.ms", "500");
        p.deploySink("refused-sink", c);

        List<String> values = new ArrayList<>();
        List<Long> guilty = new ArrayList<>();
        long validSum = 0;
        for (int i = 0; i < RECORDS; i++) {
            values.add("{\"id\":" + i + ",\"v\":" + i + "}");
            if (i % 250 == 13) {
                guilty.add((long) i);
            } else {
                validSum += i;
            }
        }
        kafka.send(topic, values);

        assertThat(kafka.awaitCommittedOrFailed(stack.connect(), "refused-sink", topic, 1)).as("task failure")
                .isNull();
        assertThat(stack.clickHouse().rows("SELECT count(), uniqExact(_kafka_offset), sum(id), "
                + "countIf(v % 250 = 13) FROM refused_rows").get(0))
                .containsExactly(String.valueOf(RECORDS - guilty.size()), String.valueOf(RECORDS - guilty.size()),
                        String.valueOf(validSum), "0");
        Map<Long, List<String>> dead = deadLetters(dlq, topic, values);
        assertThat(dead.keySet()).containsExactlyElementsOf(guilty);
        for (Map.Entry<Long, List<String>> e : dead.entrySet()) {
            assertThat(e.getValue()).as("dead letters of offset %d", e.getKey()).hasSize(1);
            assertThat(e.getValue().get(0)).contains("default.refused_rows", "code 395",
                    "Value passed to 'throwIf' function is non zero");
        }
        stack.connect().deleteConnector("refused-sink");
    }

    /**
     * A materialized view's error: 18.16 keeps the part written to the table and answers the insert with the view's
     * error (checked by hand: 3 rows in the table, none in the view's target). The rows are therefore in the table
     * already; the landed-rows check before bisecting finds them all, so nothing is written twice and nothing is
     * dead-lettered (the record is a row; only the view lacks it).
     */
    @Test
    void aMaterializedViewsRefusalLeavesTheTablesRowsOnceAndTheTaskRunning() throws Exception {
        String topic = "view-in";
        SensorPipeline.createTopic(stack.bootstrapServers(), topic, 1);
        stack.clickHouse().execute("CREATE TABLE view_base (id UInt64, v UInt64, "
                + "_kafka_topic String, _kafka_partition UInt32, _kafka_offset UInt64) ENGINE = MergeTree() "
                + "ORDER BY (_kafka_topic, _kafka_partition, _kafka_offset)");
        stack.clickHouse().execute("CREATE TABLE view_target (id UInt64, ok UInt8) ENGINE = MergeTree() ORDER BY id");
        stack.clickHouse().execute("CREATE MATERIALIZED VIEW view_check TO view_target AS "
                + "SELECT id, throwIf(v = 13) AS ok FROM view_base");
        SensorPipeline p = new SensorPipeline(stack, topic, "view_base");
        Map<String, String> c = p.sinkConfig(1, "view-in-dlq");
        c.put("flush.interval.ms", "500");
        p.deploySink("view-sink", c);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            values.add("{\"id\":" + i + ",\"v\":" + i + "}");
        }
        kafka.send(topic, values);

        assertThat(kafka.awaitCommittedOrFailed(stack.connect(), "view-sink", topic, 1)).as("task failure").isNull();
        assertThat(stack.clickHouse().rows("SELECT count(), uniqExact(_kafka_offset), sum(id) FROM view_base").get(0))
                .containsExactly("200", "200", String.valueOf(199 * 200 / 2));
        assertThat(kafka.deadLettered("view-in-dlq", topic)).isEmpty();
        stack.connect().deleteConnector("view-sink");
    }

    /** Without {@code errors.tolerance=all} the task fails on the refusal, naming the table and the server's error. */
    @Test
    void withoutToleranceTheTaskFailsNamingTheTableAndTheServersMessage() throws Exception {
        String topic = "refused-strict";
        SensorPipeline.createTopic(stack.bootstrapServers(), topic, 1);
        stack.clickHouse().execute("CREATE TABLE refused_strict (id UInt64, v UInt64, "
                + "chk UInt8 MATERIALIZED throwIf(v = 13), "
                + "_kafka_topic String, _kafka_partition UInt32, _kafka_offset UInt64) ENGINE = MergeTree() "
                + "ORDER BY (_kafka_topic, _kafka_partition, _kafka_offset)");
        SensorPipeline p = new SensorPipeline(stack, topic, "refused_strict");
        p.deploySink("strict-sink", p.sinkConfig(1, null));
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            values.add("{\"id\":" + i + ",\"v\":" + i + "}");
        }
        kafka.send(topic, values);

        String[] trace = new String[1];
        Waits.until(Duration.ofSeconds(60),
                () -> (trace[0] = KafkaState.failedTrace(stack.connect(), "strict-sink")) != null,
                () -> "task did not fail: " + stack.connect().status("strict-sink"));
        assertThat(trace[0]).contains("default.refused_strict", "code 395",
                "Value passed to 'throwIf' function is non zero");
        assertThat(kafka.committed("strict-sink", topic, 1).get(0)).isZero();
        assertThat(stack.clickHouse().scalar("SELECT count() FROM refused_strict")).isZero();
        stack.connect().deleteConnector("strict-sink");
    }

    /** Reads a dead-letter topic to its end: per original offset, the reasons recorded; checks topic and payload. */
    private static Map<Long, List<String>> deadLetters(String dlq, String topic, List<String> payloads)
            throws Exception {
        long end = kafka.endOffsets(dlq, 1).get(0);
        Map<Long, List<String>> out = new TreeMap<>();
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> c =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(dlq, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (c.position(tp) < end) {
                assertThat(System.nanoTime()).as("reading %s to offset %d", dlq, end).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    assertThat(header(r, "__connect.errors.topic")).isEqualTo(topic);
                    long offset = Long.parseLong(header(r, "__connect.errors.offset"));
                    assertThat(new String(r.value(), UTF_8)).isEqualTo(payloads.get((int) offset));
                    out.computeIfAbsent(offset, k -> new ArrayList<>())
                            .add(header(r, "__connect.errors.exception.message"));
                }
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), UTF_8);
    }
}
