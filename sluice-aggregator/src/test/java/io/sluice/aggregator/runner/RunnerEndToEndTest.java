package io.sluice.aggregator.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.aggregator.core.AggregatorSettings;
import io.sluice.aggregator.dynamo.DynamoClients;
import io.sluice.aggregator.dynamo.WindowReader;
import io.sluice.aggregator.dynamo.WindowRow;
import io.sluice.aggregator.testing.Oracle;
import io.sluice.aggregator.testing.SensorData;
import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import io.sluice.local.server.DynamoDbLocalServer;
import io.sluice.local.server.KafkaBroker;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * End to end: 200,000 readings through a real Kafka broker into DynamoDB Local by the standalone runner, which runs
 * in a child JVM that is killed with SIGKILL twice mid-stream (no shutdown hook, no final commit), then finished by
 * an in-process runner through the public API. The table must equal aggregates computed from the produced data.
 */
class RunnerEndToEndTest {

    private static final String TOPIC = "readings";
    private static final String GROUP = "sluice-aggregator-e2e";
    private static final String TABLE = "e2e_windows";
    private static final int DEVICES = 100;
    private static final int PER_DEVICE = 2000;
    private static final int TOTAL = DEVICES * PER_DEVICE;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void twoHundredThousandReadingsWithTheRunnerKilledTwice() throws Exception {
        List<Reading> readings = SensorData.generate(DEVICES, PER_DEVICE, Instant.parse("2026-11-21T07:00:00Z"),
                100, 2026);
        try (KafkaBroker kafka = new KafkaBroker(java.nio.file.Files.createTempDirectory("agg-kafka"), 0).start();
             DynamoDbLocalServer ddb = DynamoDbLocalServer.start(0);
             DynamoDbClient client = DynamoClients.create(ddb.endpoint(), "us-east-1");
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
            produce(kafka.bootstrapServers(), readings);

            Path logs = Files.createDirectories(Path.of("target", "runner-e2e"));
            WindowReader reader = new WindowReader(client, TABLE);
            long committedAtKill = 0;
            long appliedAtKill = 0;
            for (int run = 0; run < 2; run++) {
                long threshold = (run + 1) * (TOTAL / 3L);
                Process child = startChild(kafka.bootstrapServers(), ddb, logs.resolve("run-" + run + ".log"));
                try {
                    // Kill once past the threshold, preferably while DynamoDB is ahead of the committed offsets
                    // (writes done, commit not yet), the case exactly-once is about.
                    long deadline = 0;
                    while (true) {
                        long c = awaitCommitted(admin, x -> x >= threshold, child);
                        deadline = deadline == 0 ? c + TOTAL / 10 : deadline;
                        if (appliedIn(reader) > c || c >= deadline) {
                            break;
                        }
                    }
                } finally {
                    child.destroyForcibly();
                    child.waitFor(60, TimeUnit.SECONDS);
                }
                assertThat(child.isAlive()).isFalse();
                committedAtKill = committed(admin);
                appliedAtKill = appliedIn(reader);
                // The kill must land mid-stream, or the test would not test a restart.
                assertThat(committedAtKill).as("committed offsets when run %d was killed", run)
                        .isGreaterThanOrEqualTo(threshold).isLessThan(TOTAL);
                assertThat(appliedAtKill).isGreaterThanOrEqualTo(committedAtKill);
            }

            RunnerConfig cfg = RunnerConfig.defaults(kafka.bootstrapServers(), TOPIC, GROUP, ddb.endpoint(),
                    "us-east-1", TABLE).withMaxPollRecords(2000)
                    .withConsumerOverrides(Map.of("session.timeout.ms", "6000"));
            try (AggregatorRunner runner = new AggregatorRunner(cfg)) {
                runner.start();
                awaitCommitted(admin, c -> c == TOTAL, null);
                assertThat(runner.failure()).isNull();
                // It re-read everything after the last commit: what the killed run had already written is
                // recognised as applied, exactly; the rest is applied once.
                assertThat(runner.metrics().duplicates()).isEqualTo(appliedAtKill - committedAtKill);
                assertThat(runner.metrics().applied()).isEqualTo(TOTAL - appliedAtKill);
            }

            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
            assertThat(committed.values()).allSatisfy(om -> assertThat(om.metadata()).startsWith("sluice-wm="));

            List<WindowRow> rows = new WindowReader(client, TABLE).all();
            assertThat(rows.stream().mapToLong(WindowRow::count).sum()).isEqualTo(TOTAL);
            assertThat(Oracle.actual(rows))
                    .isEqualTo(Oracle.expected(readings, AggregatorSettings.DEFAULT_WINDOW.toMillis()));
        }
    }

    private static void produce(String bootstrap, List<Reading> readings) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            for (Reading r : readings) {
                producer.send(new ProducerRecord<>(TOPIC, r.key(), ReadingJson.toBytes(r)));
            }
            producer.flush();
        }
    }

    /** Starts RunnerMain in a child JVM with this test's class path. */
    private static Process startChild(String bootstrap, DynamoDbLocalServer ddb, Path log) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-Dlog4j2.configurationFile=" + System.getProperty("log4j2.configurationFile"),
                "-cp", System.getProperty("java.class.path"),
                RunnerMain.class.getName(),
                "--bootstrap-servers", bootstrap, "--topic", TOPIC, "--group", GROUP, "--table", TABLE,
                "--dynamodb-endpoint", ddb.endpoint().toString(), "--max-poll-records", "2000",
                "--consumer-property", "session.timeout.ms=6000"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static long committed(Admin admin) throws Exception {
        return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get().values().stream()
                .mapToLong(OffsetAndMetadata::offset).sum();
    }

    private static long appliedIn(WindowReader reader) {
        return reader.all().stream().mapToLong(WindowRow::count).sum();
    }

    /**
     * Polls the group's committed offsets until their sum satisfies the condition; fails if the child exits first.
     *
     * @return the sum that satisfied it
     */
    private static long awaitCommitted(Admin admin, LongPredicate done, Process child) throws Exception {
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> m =
                    admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
            long sum = m.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
            if (done.test(sum)) {
                return sum;
            }
            if (child != null && !child.isAlive()) {
                throw new AssertionError("runner exited early with code " + child.exitValue());
            }
            Thread.sleep(50);
        }
    }

}
