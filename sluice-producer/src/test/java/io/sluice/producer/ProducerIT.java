package io.sluice.producer;

import io.sluice.local.server.KafkaBroker;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.InvalidReadingException;
import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import io.sluice.core.Topics;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Produces to a real in-process KRaft broker and consumes the readings back. */
class ProducerIT {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    static Path dir;
    static KafkaBroker kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new KafkaBroker(dir, 0).start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Properties client() {
        return ReadingProducer.defaultConfig(kafka.bootstrapServers());
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        Topics.Outcome o = Topics.ensure(client(), topic, partitions, (short) 1, 30_000);
        assertThat(o).isEqualTo(new Topics.Outcome(true, partitions));
    }

    /** Reads the whole topic: every record up to the end offsets at the time of the call, in partition order. */
    private static List<ConsumerRecord<String, byte[]>> consumeAll(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime() - deadline).as("consumer stalled before the end offsets %s", end).isNegative();
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            assertThat(out).hasSize((int) end.values().stream().mapToLong(Long::longValue).sum());
        }
        return out;
    }

    private static Reading parse(ConsumerRecord<String, byte[]> r) {
        try {
            Reading reading = ReadingJson.parse(r.value());
            assertThat(r.key()).isEqualTo(reading.key());
            return reading;
        } catch (InvalidReadingException e) {
            throw new AssertionError("record at " + r.topic() + "-" + r.partition() + "@" + r.offset() + " is not a reading", e);
        }
    }

    private static Map<Integer, DeviceStats> stats(List<Reading> readings) {
        Map<Integer, DeviceStats> out = new TreeMap<>();
        for (Reading r : readings) {
            out.compute(r.deviceId(), (k, s) -> (s == null ? DeviceStats.empty(k) : s).plus(BigDecimal.valueOf(r.temperature())));
        }
        return out;
    }

    @Test
    void fiftyThousandSimulatedReadingsArriveOnceInOrderPerDevice() throws Exception {
        String topic = "simulated";
        createTopic(topic, 3);
        SensorSimulator.Builder sim = SensorSimulator.builder().devices(25).count(50_000).seed(99).startTime(T0).paced(false);
        List<ProduceProgress> progress = new CopyOnWriteArrayList<>();
        ProduceResult result;
        try (ReadingProducer producer = new ReadingProducer(topic, client(), Duration.ofSeconds(10))) {
            result = producer.run(List.of(sim.build()), progress::add, Duration.ofMillis(20));
        }
        assertThat(result.records()).isEqualTo(50_000);
        assertThat(result.sent()).isEqualTo(50_000);
        assertThat(result.cancelled()).isFalse();
        assertThat(result.bytes()).isGreaterThan(50_000L * 60);
        assertThat(result.recordsPerSecond()).isPositive();
        progress.forEach(p -> assertThat(p.acked()).isLessThanOrEqualTo(p.sent()));

        List<ConsumerRecord<String, byte[]>> records = consumeAll(topic);
        assertThat(records).hasSize(50_000);
        // per device, the readings arrive exactly as generated and in generation order
        Map<Integer, List<Reading>> expected = new HashMap<>();
        SensorSimulator again = sim.build();
        while (again.hasNext()) {
            Reading r = again.next();
            expected.computeIfAbsent(r.deviceId(), k -> new ArrayList<>()).add(r);
        }
        Map<Integer, List<Reading>> actual = records.stream().map(ProducerIT::parse)
                .collect(Collectors.groupingBy(Reading::deviceId, Collectors.toList()));
        assertThat(actual).isEqualTo(expected);
        assertThat(records.stream().map(ConsumerRecord::partition).distinct().count()).isEqualTo(3);
    }

    @Test
    void demoReplayAndSimulatorRunConcurrentlyAndReplayMatchesTheSourceFile() throws Exception {
        String topic = "demo";
        createTopic(topic, 2);
        List<ReadingSource> sources = new ArrayList<>(Datasets.openDemo(1000, Pace.FAST));
        sources.add(SensorSimulator.builder().devices(5).count(2_000).seed(1).startTime(T0).paced(false).build());
        ProduceResult result;
        try (ReadingProducer producer = new ReadingProducer(topic, client(), Duration.ofSeconds(10))) {
            result = producer.run(sources, ProgressListener.NONE, Duration.ofSeconds(1));
        }
        assertThat(result.records()).isEqualTo(8_759 + 2_922 + 2_000);

        Map<Integer, DeviceStats> landed = stats(consumeAll(topic).stream().map(ProducerIT::parse).toList());
        Map<Integer, DeviceStats> replayed = new TreeMap<>(landed);
        replayed.keySet().removeIf(id -> id < 1000);
        assertThat(replayed).isEqualTo(Datasets.expectedStats(1000));
        assertThat(landed.keySet()).containsExactly(1, 2, 3, 4, 5, 1000, 1001, 1002);
        assertThat(landed.get(3).count()).isEqualTo(400);
    }

    @Test
    void produceCommandCreatesTheTopicPacesAndReports() {
        ProduceCommandTest.Run r = ProduceCommandTest.run("--bootstrap-servers", kafka.bootstrapServers(),
                "--topic", "cmd", "--create-topic", "--partitions", "2", "--replication-factor", "1",
                "--devices", "3", "--count", "300", "--rate-per-device", "500", "--seed", "5",
                "--start-time", "2026-01-01T00:00:00Z", "--progress-interval", "100ms");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("topic cmd created with 2 partitions", "simulator seed 5",
                "done: 300 readings acknowledged");
        List<Reading> readings = consumeAll("cmd").stream().map(ProducerIT::parse).toList();
        assertThat(readings).hasSize(300);
        assertThat(readings.stream().map(Reading::timestamp).max(Instant::compareTo)).hasValue(T0.plusMillis(199)); // tick 99 at 198 ms + device 2 at 4/3 ms
    }

    @Test
    void produceCommandExitsNonZeroWhenTheTopicIsMissing() {
        ProduceCommandTest.Run r = ProduceCommandTest.run("--bootstrap-servers", kafka.bootstrapServers(),
                "--topic", "does-not-exist", "--count", "10", "--unpaced", "--seed", "1",
                "--producer-config", "max.block.ms=1500", "--close-timeout", "2s");
        assertThat(r.code()).isEqualTo(ProduceCommand.EXIT_DELIVERY_FAILED);
        assertThat(r.err()).contains("delivery to topic 'does-not-exist' failed");
    }

    @Test
    void cancelStopsAnUnboundedRunAndKeepsEveryAcknowledgedReading() throws Exception {
        String topic = "cancelled";
        createTopic(topic, 1);
        SensorSimulator unbounded = SensorSimulator.builder().devices(10).ratePerDevice(200).seed(3).build();
        ProduceResult result;
        try (ReadingProducer producer = new ReadingProducer(topic, client(), Duration.ofSeconds(10))) {
            result = producer.run(List.of(unbounded), p -> {
                if (p.acked() >= 500) {
                    producer.cancel();
                }
            }, Duration.ofMillis(50));
            assertThat(producer.awaitFinished(Duration.ZERO)).isTrue();
        }
        assertThat(result.cancelled()).isTrue();
        assertThat(result.records()).isGreaterThanOrEqualTo(500).isEqualTo(result.sent());
        assertThat(consumeAll(topic)).hasSize((int) result.records());
    }
}
