package io.sluice.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import io.sluice.local.LocalStack;
import io.sluice.local.pipeline.SensorPipeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Malformed JSON and wrong types: dead-lettered with the reason, or the task fails naming them; nothing lost. */
class BadInputIT {

    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = Stack.start("bad-input");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Poison payloads and the column (or JSON error) each must be blamed on. */
    private static final Map<String, String> POISON = Map.of(
            "{\"device_id\":", "malformed JSON",
            "{\"device_id\":\"abc\",\"timestamp\":\"2026-11-21T00:00:00Z\",\"temperature\":1}", "column 'device_id'",
            "{\"device_id\":-5,\"timestamp\":\"2026-11-21T00:00:00Z\",\"temperature\":1}", "column 'device_id'",
            "{\"device_id\":1,\"timestamp\":\"not a time\",\"temperature\":1}", "column 'timestamp'",
            "{\"device_id\":1,\"timestamp\":\"2026-11-21T00:00:00Z\",\"temperature\":\"hot\"}", "column 'temperature'",
            "[1,2,3]", "must be a Struct or a JSON object");

    @Test
    void poisonRecordsGoToTheDeadLetterTopicWithTheReasonAndValidOnesLandOnce() throws Exception {
        SensorPipeline p = new SensorPipeline(stack, "dlq-in", "dlq_readings");
        p.createTopicAndTable(1);
        p.deploySink("dlq-sink", p.sinkConfig(1, "dlq-in-dlq"));

        List<String> poison = new ArrayList<>(POISON.keySet());
        Map<Long, String> expectedDead = new TreeMap<>();
        TreeSet<Long> validOffsets = new TreeSet<>();
        List<String> payloads = new ArrayList<>();
        List<String> keys = new ArrayList<>(); // device ids as the producer keys them; the sink takes keys as bytes
        for (int i = 0; i < 3000; i++) {
            keys.add(String.valueOf(i % 7));
            if (i % 100 == 50) {
                String bad = poison.get((i / 100) % poison.size());
                expectedDead.put((long) i, POISON.get(bad));
                payloads.add(bad);
            } else {
                validOffsets.add((long) i);
                payloads.add(new String(ReadingJson.toBytes(new Reading(i % 7, Instant.parse("2026-11-21T00:00:00Z")
                        .plusSeconds(i), 20 + i % 10)), UTF_8));
            }
        }
        new KafkaState(stack.bootstrapServers()).send(p.topic(), keys, payloads);

        Map<Long, String> dead = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            c.subscribe(List.of("dlq-in-dlq"));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (dead.size() < expectedDead.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    long offset = Long.parseLong(header(r, "__connect.errors.offset"));
                    assertThat(header(r, "__connect.errors.topic")).isEqualTo("dlq-in");
                    assertThat(new String(r.value(), UTF_8)).isEqualTo(payloads.get((int) offset));
                    assertThat(new String(r.key(), UTF_8)).isEqualTo(keys.get((int) offset));
                    dead.put(offset, header(r, "__connect.errors.exception.message") + " "
                            + header(r, "__connect.errors.exception.stacktrace"));
                }
            }
        }
        assertThat(dead.keySet()).containsExactlyElementsOf(expectedDead.keySet());
        for (Map.Entry<Long, String> e : expectedDead.entrySet()) {
            assertThat(dead.get(e.getKey())).as("reason for offset %d", e.getKey()).contains(e.getValue());
        }
        // Committed to the end: every record's insert has finished, so a duplicate would already be a row.
        assertThat(new KafkaState(stack.bootstrapServers()).awaitCommittedOrFailed(stack.connect(), "dlq-sink",
                p.topic(), 1)).as("task failure").isNull();
        List<String[]> rows = stack.clickHouse().rows("SELECT _kafka_offset FROM " + p.table() + " ORDER BY _kafka_offset");
        TreeSet<Long> landed = new TreeSet<>();
        rows.forEach(r -> landed.add(Long.parseLong(r[0])));
        assertThat(rows).hasSize(validOffsets.size());
        assertThat(landed).isEqualTo(validOffsets);
    }

    @Test
    void withoutToleranceTheTaskFailsNamingTheRecordAndLosesNothing() throws Exception {
        SensorPipeline p = new SensorPipeline(stack, "strict-in", "strict_readings");
        p.createTopicAndTable(1);
        Map<String, String> strict = p.sinkConfig(1, null);
        strict.put("flush.interval.ms", "60000"); // keep the valid rows before the bad one buffered
        stack.connect().putConnector("strict-sink", strict);
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            payloads.add(i == 100
                    ? "{\"device_id\":\"abc\",\"timestamp\":\"2026-11-21T00:00:00Z\",\"temperature\":1}"
                    : new String(ReadingJson.toBytes(new Reading(i, Instant.parse("2026-11-21T00:00:00Z"), 21.5)), UTF_8));
        }
        new KafkaState(stack.bootstrapServers()).send(p.topic(), payloads);

        String[] trace = new String[1];
        Waits.until(Duration.ofSeconds(60),
                () -> (trace[0] = KafkaState.failedTrace(stack.connect(), "strict-sink")) != null,
                () -> "task did not fail: " + stack.connect().status("strict-sink"));
        assertThat(trace[0]).contains("strict-in-0@100", "column 'device_id'", "'abc' (String) as UInt32");
        assertThat(committed("connect-strict-sink", new TopicPartition("strict-in", 0))).isLessThanOrEqualTo(100L);

        // The operator switches to dead-lettering and restarts: every valid record lands, exactly once.
        stack.connect().putConnector("strict-sink", p.sinkConfig(1, "strict-in-dlq"));
        stack.connect().restart("strict-sink");
        // Rows first: until the restarted task runs, the status may still show the old task FAILED.
        Waits.until(Duration.ofSeconds(60), () -> p.rowCount() >= 199, () -> "rows " + p.rowCount());
        assertThat(new KafkaState(stack.bootstrapServers()).awaitCommittedOrFailed(stack.connect(), "strict-sink",
                p.topic(), 1)).as("task failure").isNull();
        var row = stack.clickHouse().rows("SELECT count(), uniqExact(_kafka_offset), countIf(_kafka_offset = 100) FROM "
                + p.table()).get(0);
        assertThat(row).containsExactly("199", "199", "0");
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), UTF_8);
    }

    private static long committed(String group, TopicPartition tp) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp);
            return o == null ? 0 : o.offset();
        }
    }
}
