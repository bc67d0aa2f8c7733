package io.sluice.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.sluice.local.connect.ConnectRestClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the broker knows (end offsets, a sink connector's committed offsets, dead-lettered records), and test input. */
final class KafkaState {

    private final String bootstrapServers;

    KafkaState(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Returns the log end offset of each partition of a topic. */
    Map<Integer, Long> endOffsets(String topic, int partitions) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> q = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                q.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<Integer, Long> out = new HashMap<>();
            admin.listOffsets(q).all().get().forEach((tp, info) -> out.put(tp.partition(), info.offset()));
            return out;
        }
    }

    /** Returns the offsets committed by sink connector {@code connector} (group {@code connect-<name>}), 0 if none. */
    Map<Integer, Long> committed(String connector, String topic, int partitions) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> c =
                    admin.listConsumerGroupOffsets("connect-" + connector).partitionsToOffsetAndMetadata().get();
            Map<Integer, Long> out = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                OffsetAndMetadata o = c.get(new TopicPartition(topic, p));
                out.put(p, o == null ? 0L : o.offset());
            }
            return out;
        }
    }

    /**
     * Waits until sink connector {@code connector} has committed every partition of {@code topic} to its log end
     * offset (taken now), or its task has FAILED; returns the failed task's trace, or {@code null} when committed.
     * Committed to the end means every record up to there is a row, dead-lettered or skipped as already written.
     */
    String awaitCommittedOrFailed(ConnectRestClient connect, String connector, String topic, int partitions)
            throws Exception {
        Map<Integer, Long> end = endOffsets(topic, partitions);
        String[] trace = {null};
        AtomicReference<Map<Integer, Long>> last = new AtomicReference<>(Map.of());
        Waits.until(Duration.ofSeconds(90), () -> {
            trace[0] = failedTrace(connect, connector);
            if (trace[0] != null) {
                return true;
            }
            try {
                last.set(committed(connector, topic, partitions));
            } catch (Exception e) {
                return false;
            }
            return last.get().equals(end);
        }, () -> connector + " committed " + last.get() + " of " + end + "; status " + connect.status(connector));
        return trace[0];
    }

    /** Returns the trace of the first FAILED task of a connector, or {@code null} if none failed. */
    static String failedTrace(ConnectRestClient connect, String connector) {
        var s = connect.status(connector);
        if (s != null) {
            for (var t : s.path("tasks")) {
                if (t.path("state").asText().equals("FAILED")) {
                    return t.path("trace").asText();
                }
            }
        }
        return null;
    }

    /**
     * Reads a dead-letter topic from the start to its current end and returns, per {@code partition@offset} of the
     * original record, how many times it was dead-lettered. Checks each record names {@code sourceTopic}.
     */
    Map<String, Integer> deadLettered(String dlqTopic, String sourceTopic) throws Exception {
        Map<String, Integer> out = new HashMap<>();
        readDeadLetters(dlqTopic, r -> {
            if (!sourceTopic.equals(header(r, "__connect.errors.topic"))) {
                throw new AssertionError("dead letter from another topic: " + header(r, "__connect.errors.topic"));
            }
            out.merge(header(r, "__connect.errors.partition") + "@" + header(r, "__connect.errors.offset"), 1,
                    Integer::sum);
        });
        return out;
    }

    /**
     * Reads a dead-letter topic from the start to its current end and returns, per offset of the original record in
     * partition 0 of {@code sourceTopic}, the reason Connect recorded ({@code __connect.errors.exception.message}).
     */
    Map<Long, String> deadLetterReasons(String dlqTopic, String sourceTopic) throws Exception {
        Map<Long, String> out = new HashMap<>();
        readDeadLetters(dlqTopic, r -> {
            if (sourceTopic.equals(header(r, "__connect.errors.topic"))
                    && "0".equals(header(r, "__connect.errors.partition"))) {
                out.put(Long.parseLong(header(r, "__connect.errors.offset")),
                        header(r, "__connect.errors.exception.message"));
            }
        });
        return out;
    }

    /** Hands every record of partition 0 of a dead-letter topic, from the start to its current end, to {@code each}. */
    private void readDeadLetters(String dlqTopic, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each)
            throws Exception {
        long end = endOffsets(dlqTopic, 1).get(0);
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> c =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(dlqTopic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (c.position(tp) < end) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("cannot read " + dlqTopic + " to offset " + end + " within 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    each.accept(r);
                }
            }
        }
    }

    /** A dead-lettered record: the topic it came from and the reason Connect recorded. */
    record DeadLetter(String sourceTopic, String reason) { }

    /**
     * Returns the first record of a dead-letter topic (waiting up to 90 s for one), with its
     * {@code __connect.errors.topic} and {@code __connect.errors.exception.message} headers.
     */
    DeadLetter firstDeadLetter(String dlqTopic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> c =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(dlqTopic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    return new DeadLetter(header(r, "__connect.errors.topic"),
                            header(r, "__connect.errors.exception.message"));
                }
            }
        }
        throw new AssertionError("no record reached " + dlqTopic + " within 90 s");
    }

    /** Sends text values without key to partition 0 of a topic, acks=all, and waits until all are written. */
    void send(String topic, List<String> values) {
        send(topic, null, values);
    }

    /**
     * Sends text values to partition 0 of a topic, acks=all, and waits until all are written.
     *
     * @param keys the key of each value (same size as {@code values}), or {@code null} for no keys
     */
    void send(String topic, List<String> keys, List<String> values) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < values.size(); i++) {
                producer.send(new ProducerRecord<>(topic, 0, keys == null ? null : keys.get(i), values.get(i)));
            }
            producer.flush();
        }
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), UTF_8);
    }

    private Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(p);
    }
}
