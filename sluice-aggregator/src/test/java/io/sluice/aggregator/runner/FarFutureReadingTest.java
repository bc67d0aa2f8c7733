package io.sluice.aggregator.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.aggregator.core.AggregatorSettings;
import io.sluice.aggregator.dynamo.DynamoClients;
import io.sluice.aggregator.dynamo.WindowReader;
import io.sluice.aggregator.testing.LogCapture;
import io.sluice.aggregator.testing.Oracle;
import io.sluice.aggregator.testing.SensorData;
import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import io.sluice.local.server.DynamoDbLocalServer;
import io.sluice.local.server.KafkaBroker;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
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
 * Issue 14, item 1, on a real broker and DynamoDB Local: one reading dated 2099 (an unset RTC) in the middle of a
 * partition must not raise the partition watermark, so every other reading is still aggregated; it is rejected with
 * its reason on the dead-letter path (the {@code invalid_reading} log line). The same holds after a restart, also
 * when the committed offset carries a far-future watermark written by an earlier version: the watermark read back
 * is clamped to the clock plus the allowed skew.
 */
class FarFutureReadingTest {

    private static final String TOPIC = "readings";
    private static final String GROUP = "far-future";
    private static final String TABLE = "far_future_windows";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aReadingFrom2099DoesNotStopItsPartitionBeforeOrAfterARestart() throws Exception {
        // 4 devices, 10 s apart, over 20 minutes of event time: on one partition so they share one watermark.
        List<Reading> first = SensorData.generate(4, 120, Instant.parse("2026-11-21T10:00:00Z"), 10_000, 14);
        List<Reading> second = SensorData.generate(4, 120, Instant.parse("2026-11-21T10:20:00Z"), 10_000, 15);
        Reading future = new Reading(2, Instant.parse("2099-06-01T00:00:00Z"), 31.5);
        List<Reading> stream1 = new ArrayList<>(first.subList(0, 200));
        stream1.add(future);
        stream1.addAll(first.subList(200, first.size()));
        long futureOffset = 200;

        try (KafkaBroker kafka = new KafkaBroker(Files.createTempDirectory("agg-future"), 0).start();
             DynamoDbLocalServer ddb = DynamoDbLocalServer.start(0);
             DynamoDbClient client = DynamoClients.create(ddb.endpoint(), "us-east-1");
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            RunnerConfig cfg = RunnerConfig.defaults(kafka.bootstrapServers(), TOPIC, GROUP, ddb.endpoint(),
                    "us-east-1", TABLE).withMaxPollRecords(50)
                    .withConsumerOverrides(Map.of("session.timeout.ms", "6000"));
            WindowReader reader = new WindowReader(client, TABLE);

            produce(kafka.bootstrapServers(), stream1);
            try (LogCapture logs = new LogCapture(); AggregatorRunner runner = new AggregatorRunner(cfg)) {
                runner.start();
                awaitCommitted(admin, runner, stream1.size());
                assertThat(runner.metrics().late()).as("readings judged late after the 2099 reading").isZero();
                assertThat(runner.metrics().invalid()).isEqualTo(1);
                assertThat(runner.metrics().applied()).isEqualTo(first.size());
                assertThat(logs.lines()).anyMatch(l -> l.contains("\"invalid_reading\"")
                        && l.contains("\"offset\":" + futureOffset + ",") && l.contains("\"field\":\"timestamp\"")
                        && l.contains("ahead of the clock"));
            }
            assertThat(Oracle.actual(reader.all()))
                    .isEqualTo(Oracle.expected(first, AggregatorSettings.DEFAULT_WINDOW.toMillis()));
            String wm = committedMetadata(admin);
            assertThat(wm).startsWith("sluice-wm=");
            assertThat(Long.parseLong(wm.substring("sluice-wm=".length())))
                    .as("committed watermark").isLessThan(Instant.parse("2027-01-01T00:00:00Z").toEpochMilli());

            // Restart, with the committed watermark poisoned as an earlier version would have left it.
            long committed = stream1.size();
            admin.alterConsumerGroupOffsets(GROUP, Map.of(TP, new OffsetAndMetadata(committed,
                    "sluice-wm=" + future.timestamp().toEpochMilli()))).all().get();
            produce(kafka.bootstrapServers(), second);
            try (AggregatorRunner runner = new AggregatorRunner(cfg)) {
                runner.start();
                awaitCommitted(admin, runner, committed + second.size());
                assertThat(runner.metrics().late()).as("readings judged late after the restart").isZero();
                assertThat(runner.metrics().applied()).isEqualTo(second.size());
            }
            List<Reading> all = new ArrayList<>(first);
            all.addAll(second);
            assertThat(Oracle.actual(reader.all()))
                    .isEqualTo(Oracle.expected(all, AggregatorSettings.DEFAULT_WINDOW.toMillis()));
        }
    }

    private static void produce(String bootstrap, List<Reading> readings) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            for (Reading r : readings) {
                producer.send(new ProducerRecord<>(TOPIC, 0, r.key(), ReadingJson.toBytes(r)));
            }
            producer.flush();
        }
    }

    private static String committedMetadata(Admin admin) throws Exception {
        return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get().get(TP).metadata();
    }

    /** Polls the committed offset until it reaches {@code target}; fails if the runner stops first. */
    private static void awaitCommitted(Admin admin, AggregatorRunner runner, long target) throws Exception {
        while (true) {
            OffsetAndMetadata om = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get().get(TP);
            if (om != null && om.offset() >= target) {
                return;
            }
            assertThat(runner.failure()).as("runner failure").isNull();
            Thread.sleep(50);
        }
    }
}
