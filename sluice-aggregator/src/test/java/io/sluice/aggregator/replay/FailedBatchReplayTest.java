package io.sluice.aggregator.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.sluice.aggregator.core.AggregatorSettings;
import io.sluice.aggregator.dynamo.DynamoClients;
import io.sluice.aggregator.dynamo.TableSetup;
import io.sluice.aggregator.dynamo.WindowReader;
import io.sluice.aggregator.lambda.HandlerSettings;
import io.sluice.aggregator.lambda.KafkaEventHandler;
import io.sluice.aggregator.testing.LambdaPayloads.Rec;
import io.sluice.aggregator.testing.LambdaPayloads;
import io.sluice.aggregator.testing.Oracle;
import io.sluice.aggregator.testing.SensorData;
import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import io.sluice.local.server.DynamoDbLocalServer;
import io.sluice.local.server.KafkaBroker;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 14, item 3, on a real broker and DynamoDB Local: the Lambda handler fails one batch on purpose (an item it
 * cannot write), Lambda's retries are exhausted and the on-failure destination gets the batch's metadata; after the
 * cause is fixed, {@link FailedBatchReplay} re-reads those offsets from Kafka, and the windows equal a clean pass.
 * Replaying the same record again changes nothing.
 */
class FailedBatchReplayTest {

    private static final String TOPIC = "readings";
    private static final int PARTITIONS = 3;
    private static final AggregatorSettings SETTINGS = AggregatorSettings.defaults();
    private static final PojoSerializer<KafkaEvent> EVENTS =
            LambdaEventSerializers.serializerFor(KafkaEvent.class, FailedBatchReplayTest.class.getClassLoader());

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aBatchPastItsRetriesIsReplayedFromItsOnFailureRecordAndTheWindowsEqualACleanPass() throws Exception {
        List<Reading> readings = SensorData.generate(12, 100, Instant.parse("2026-11-21T08:00:00Z"), 2000, 3);
        try (KafkaBroker kafka = new KafkaBroker(Files.createTempDirectory("agg-replay"), 0).start();
             DynamoDbLocalServer ddb = DynamoDbLocalServer.start(0);
             DynamoDbClient client = DynamoClients.create(ddb.endpoint(), "us-east-1");
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
            produce(kafka.bootstrapServers(), readings);
            List<List<Rec>> log = readBack(kafka.bootstrapServers(), readings.size());

            TableSetup.createIfMissing(client, "replay_windows");
            KafkaEventHandler handler = new KafkaEventHandler(new HandlerSettings("replay_windows", SETTINGS, 4,
                    ddb.endpoint(), "us-east-1"), client);
            String onFailureRecord = null;
            int failedSize = 0;
            int longest = log.stream().mapToInt(List::size).max().orElseThrow();
            for (int from = 0; from < longest; from += 100) {
                List<Rec> batch = slice(log, from, from + 100);
                if (from == 100) {
                    // Fail this batch on purpose: one of its items cannot be read back, so its write fails.
                    Map<String, AttributeValue> key = itemKey(batch.get(0));
                    Map<String, AttributeValue> original =
                            client.getItem(b -> b.tableName("replay_windows").key(key).consistentRead(true)).item();
                    Map<String, AttributeValue> corrupt = new HashMap<>(original.isEmpty() ? key : original);
                    corrupt.put("version", AttributeValue.fromS("corrupt"));
                    client.putItem(b -> b.tableName("replay_windows").item(corrupt));
                    for (int attempt = 0; attempt < 3; attempt++) { // the mapping's retries, all failing
                        assertThatThrownBy(() -> invoke(handler, batch)).isInstanceOf(IllegalStateException.class);
                    }
                    onFailureRecord = onFailureRecord(batch);
                    failedSize = batch.size();
                    // The operator fixes the cause: the item is restored as it was.
                    if (original.isEmpty()) {
                        client.deleteItem(b -> b.tableName("replay_windows").key(key));
                    } else {
                        client.putItem(b -> b.tableName("replay_windows").item(original));
                    }
                } else {
                    invoke(handler, batch);
                }
            }
            Map<String, String> expected = Oracle.expected(readings, SETTINGS.windowMillis());
            assertThat(Oracle.actual(new WindowReader(client, "replay_windows").all()))
                    .as("before the replay, the failed batch is missing").isNotEqualTo(expected);

            Path file = Files.createTempFile("on-failure", ".json");
            Files.writeString(file, onFailureRecord);
            List<FailedBatch> failed = FailedBatch.parse(Files.newBufferedReader(file, StandardCharsets.UTF_8));
            assertThat(failed).hasSize(PARTITIONS);
            FailedBatchReplay.Config cfg = new FailedBatchReplay.Config(kafka.bootstrapServers(), Map.of(),
                    ddb.endpoint(), "us-east-1", "replay_windows", SETTINGS);
            try (FailedBatchReplay replay = new FailedBatchReplay(cfg)) {
                FailedBatchReplay.Result r = replay.replay(failed);
                assertThat(r.records()).isEqualTo(failedSize);
                assertThat(r.metrics().applied() + r.metrics().duplicates()).isEqualTo(r.records());
                assertThat(r.metrics().applied()).as("readings the failed batch had not written").isPositive();
            }
            assertThat(Oracle.actual(new WindowReader(client, "replay_windows").all())).isEqualTo(expected);

            try (FailedBatchReplay again = new FailedBatchReplay(cfg)) {
                FailedBatchReplay.Result r = again.replay(FailedBatch.parse(new StringReader(onFailureRecord)));
                assertThat(r.metrics().applied()).as("a second replay applies nothing").isZero();
                assertThat(r.metrics().duplicates()).isEqualTo(r.records());
            }
            assertThat(Oracle.actual(new WindowReader(client, "replay_windows").all())).isEqualTo(expected);
        }
    }

    @Test
    void readsEveryOnFailureRecordShape() throws Exception {
        String sqs = "{\"requestContext\":{\"condition\":\"RetryAttemptsExhausted\"},\"KafkaBatchInfo\":{"
                + "\"batchSize\":3,\"recordsInfo\":{\"my-topic-2\":{\"firstRecordOffset\":\"10\","
                + "\"lastRecordOffset\":\"12\",\"firstRecordTimestamp\":\"2026-11-21T08:00:00Z\","
                + "\"lastRecordTimestamp\":\"2026-11-21T08:00:01Z\"}}}}";
        String kafkaDestination = "{\"KafkaBatchInfo\":{\"batchSize\":1,\"recordInfo\":{\"offset\":\"7\","
                + "\"timestamp\":\"2026-11-21T08:00:00Z\"}},\"payload\":{\"records\":{\"readings-0\":[{\"offset\":7}]}}}";
        String receiveMessage = "{\"Messages\":[{\"MessageId\":\"m\",\"Body\":" + quote(sqs) + "}]}";
        assertThat(FailedBatch.parse(new StringReader(sqs + "\n" + kafkaDestination + "\n" + receiveMessage)))
                .containsExactly(new FailedBatch("my-topic", 2, 10, 12), new FailedBatch("readings", 0, 7, 7),
                        new FailedBatch("my-topic", 2, 10, 12));
        assertThatThrownBy(() -> FailedBatch.parse(new StringReader("{\"foo\":1}")))
                .hasMessageContaining("KafkaBatchInfo");
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The on-failure record Lambda sends to an SQS destination for this batch. */
    private static String onFailureRecord(List<Rec> batch) {
        Map<String, long[]> ranges = new java.util.TreeMap<>();
        for (Rec r : batch) {
            ranges.merge(r.topic() + "-" + r.partition(), new long[] {r.offset(), r.offset()},
                    (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }
        StringBuilder info = new StringBuilder();
        for (Map.Entry<String, long[]> e : ranges.entrySet()) {
            info.append(info.length() == 0 ? "" : ",").append('"').append(e.getKey()).append("\":{")
                    .append("\"firstRecordOffset\":\"").append(e.getValue()[0]).append("\",")
                    .append("\"lastRecordOffset\":\"").append(e.getValue()[1]).append("\",")
                    .append("\"firstRecordTimestamp\":\"2026-11-21T08:00:00.000Z\",")
                    .append("\"lastRecordTimestamp\":\"2026-11-21T08:10:00.000Z\"}");
        }
        return "{\"requestContext\":{\"requestId\":\"316aa6d0-8154-4f4f-9af7-85d5f4a6bc81\","
                + "\"functionArn\":\"arn:aws:lambda:eu-west-1:222222222222:function:sluice-aggregator\","
                + "\"condition\":\"RetryAttemptsExhausted\",\"approximateInvokeCount\":4},"
                + "\"responseContext\":{\"statusCode\":200,\"executedVersion\":\"$LATEST\",\"functionError\":\"Unhandled\"},"
                + "\"version\":\"1.0\",\"timestamp\":\"2026-11-21T08:12:00.000Z\","
                + "\"KafkaBatchInfo\":{\"batchSize\":" + batch.size()
                + ",\"eventSourceArn\":\"arn:aws:kafka:eu-west-1:111122223333:cluster/sluice/a1b2\","
                + "\"bootstrapServers\":\"b-1.sluice:9094\",\"payloadSize\":12345,\"recordsInfo\":{" + info + "}}}\n";
    }

    private static Map<String, AttributeValue> itemKey(Rec r) throws Exception {
        Reading reading = ReadingJson.parse(r.value());
        return Map.of("device_id", AttributeValue.fromN(Integer.toString(reading.deviceId())),
                "window_start", AttributeValue.fromN(Long.toString(
                        SETTINGS.windowStart(reading.timestamp().toEpochMilli()))));
    }

    private static void invoke(KafkaEventHandler h, List<Rec> records) {
        h.handleRequest(EVENTS.fromJson(LambdaPayloads.event(records)), null);
    }

    private static List<Rec> slice(List<List<Rec>> log, int from, int to) {
        List<Rec> out = new ArrayList<>();
        for (List<Rec> l : log) {
            out.addAll(l.subList(Math.min(from, l.size()), Math.min(to, l.size())));
        }
        return out;
    }

    private static void produce(String bootstrap, List<Reading> readings) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            for (Reading r : readings) {
                producer.send(new ProducerRecord<>(TOPIC, r.key(), ReadingJson.toBytes(r)));
            }
            producer.flush();
        }
    }

    /** Reads the whole topic back, per partition in offset order, as Lambda would deliver it. */
    private static List<List<Rec>> readBack(String bootstrap, int total) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<List<Rec>> log = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < PARTITIONS; i++) {
                tps.add(new TopicPartition(TOPIC, i));
                log.add(new ArrayList<>());
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            int n = 0;
            while (n < total) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    log.get(r.partition()).add(new Rec(r.topic(), r.partition(), r.offset(), r.timestamp(),
                            "k", r.value()));
                    n++;
                }
            }
        }
        return log;
    }
}
