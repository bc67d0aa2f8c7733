package io.sluice.aggregator.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import io.sluice.aggregator.core.AggregatorSettings;
import io.sluice.aggregator.core.Metrics;
import io.sluice.aggregator.dynamo.DynamoClients;
import io.sluice.aggregator.dynamo.TableSetup;
import io.sluice.aggregator.dynamo.WindowReader;
import io.sluice.aggregator.testing.LambdaPayloads.Rec;
import io.sluice.aggregator.testing.LambdaPayloads;
import io.sluice.aggregator.testing.LogCapture;
import io.sluice.aggregator.testing.Oracle;
import io.sluice.aggregator.testing.SensorData;
import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import io.sluice.local.server.DynamoDbLocalServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The Lambda handler against DynamoDB Local, fed with Kafka event JSON in the exact shape Lambda sends, decoded
 * with the Lambda Java runtime's own event serializer.
 */
class KafkaEventHandlerTest {

    private static final String TOPIC = "readings";
    private static final int PARTITIONS = 3;
    private static final AggregatorSettings SETTINGS = AggregatorSettings.defaults();
    private static final PojoSerializer<KafkaEvent> EVENTS =
            LambdaEventSerializers.serializerFor(KafkaEvent.class, KafkaEventHandlerTest.class.getClassLoader());

    private static DynamoDbLocalServer server;
    private static DynamoDbClient client;

    /** The produced data: per partition, records at offsets 0.. */
    private static final List<List<Rec>> LOG = new ArrayList<>();
    private static final List<Reading> READINGS =
            SensorData.generate(12, 150, Instant.parse("2026-11-21T07:00:00Z"), 1000, 11);

    @BeforeAll
    static void start() throws IOException {
        server = DynamoDbLocalServer.start(0);
        client = DynamoClients.create(server.endpoint(), "us-east-1");
        for (int p = 0; p < PARTITIONS; p++) {
            LOG.add(new ArrayList<>());
        }
        for (Reading r : READINGS) {
            int p = r.deviceId() % PARTITIONS;
            List<Rec> l = LOG.get(p);
            l.add(new Rec(TOPIC, p, l.size(), r.timestamp().toEpochMilli(), r.key(), ReadingJson.toBytes(r)));
        }
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void replayedOverlappingAndReorderedBatchesEqualOneCleanPass() {
        KafkaEventHandler clean = handler("clean_pass");
        for (int chunk = 0; chunk < 6; chunk++) {
            invoke(clean, range(0, PARTITIONS, chunk * 100, chunk * 100 + 100));
        }
        Map<String, String> expected = Oracle.expected(READINGS, SETTINGS.windowMillis());
        Map<String, String> cleanRows = Oracle.actual(new WindowReader(client, "clean_pass").all());
        assertThat(cleanRows).isEqualTo(expected);

        KafkaEventHandler a = handler("messy_pass");
        KafkaEventHandler b = handler("messy_pass");
        KafkaEventHandler c = handler("messy_pass");
        invoke(a, range(0, PARTITIONS, 0, 100));
        invoke(a, range(0, PARTITIONS, 0, 100));                    // the same batch again
        invoke(a, range(0, PARTITIONS, 200, 300));                  // out of order: 100..199 not seen yet
        invoke(a, range(0, PARTITIONS, 100, 200));
        invoke(a, range(0, PARTITIONS, 50, 250));                   // overlaps three earlier batches
        invoke(b, range(0, PARTITIONS, 500, 600));                  // another execution environment, backwards
        invoke(b, range(0, PARTITIONS, 400, 500));
        invoke(a, range(0, PARTITIONS, 300, 400));
        List<Rec> mixed = new ArrayList<>(range(1, 2, 250, 600));   // one partition wholesale, another partly
        mixed.addAll(range(0, 1, 0, 120));
        invoke(c, mixed);
        invoke(a, range(0, PARTITIONS, 400, 600));
        invoke(c, range(0, PARTITIONS, 0, 600));                    // everything once more

        assertThat(Oracle.actual(new WindowReader(client, "messy_pass").all())).isEqualTo(expected);
        Metrics.Snapshot total = sum(a.metrics(), b.metrics(), c.metrics());
        assertThat(total.applied()).isEqualTo(READINGS.size());
        assertThat(total.invalid()).isZero();
        assertThat(total.late()).isZero();
    }

    /**
     * Consecutive batches of one partition handled alternately by two execution environments (A, B, A, B, ...), as
     * Lambda does when the event source mapping's poller hands each batch to any idle environment. Every batch
     * after the first continues the items the previous batch wrote, which the handling environment either never
     * saw or holds a stale version of. The environments never run at the same time, so a failed write condition
     * would be pure waste (a charged write plus an exception): none may fail, each item costs one write per batch,
     * and the table equals the oracle. An environment that continues its own previous batch reads nothing.
     */
    @Test
    void alternatingEnvironmentsContinueEachOthersItemsWithoutFailedConditions() {
        List<Reading> readings = SensorData.generate(4, 60, Instant.parse("2026-11-21T15:00:00Z"), 1000, 5);
        List<Rec> log = new ArrayList<>();
        for (Reading r : readings) {
            log.add(new Rec(TOPIC, 0, log.size(), r.timestamp().toEpochMilli(), r.key(), ReadingJson.toBytes(r)));
        }
        KafkaEventHandler a = handler("alternating");
        KafkaEventHandler b = handler("alternating");
        int batch = 20;
        int batches = log.size() / batch;
        for (int i = 0; i < batches - 2; i++) {
            invoke(i % 2 == 0 ? a : b, log.subList(i * batch, (i + 1) * batch));
        }
        Metrics.Snapshot beforeOwn = a.metrics();
        invoke(a, log.subList((batches - 2) * batch, (batches - 1) * batch));  // after B: A's cache is stale
        Metrics.Snapshot mid = a.metrics();
        invoke(a, log.subList((batches - 1) * batch, batches * batch));        // continues A's own batch

        Metrics.Snapshot total = sum(a.metrics(), b.metrics());
        int items = 4;
        assertThat(total.conflicts())
                .as("failed write conditions over %d batches of %d items (writes %d)", batches, items, total.writes())
                .isZero();
        assertThat(total.writes()).as("one write per item per batch").isEqualTo((long) batches * items);
        assertThat(total.reads()).as("every item of every batch but the last (which continues A's own) is read")
                .isEqualTo((long) (batches - 1) * items);
        assertThat(mid.reads() - beforeOwn.reads()).as("A's cached items are stale after B's batch").isEqualTo(items);
        assertThat(a.metrics().reads() - mid.reads()).as("A continues its own batch: its cache is trusted").isZero();
        assertThat(total.applied()).isEqualTo(readings.size());
        assertThat(Oracle.actual(new WindowReader(client, "alternating").all()))
                .isEqualTo(Oracle.expected(readings, SETTINGS.windowMillis()));
    }

    @Test
    void badInputIsSkippedWithMetricAndLogNamingPartitionAndOffset() {
        Instant t = Instant.parse("2026-11-21T09:00:00Z");
        List<Rec> p0 = new ArrayList<>();
        List<Reading> valid = new ArrayList<>();
        String[] bad = {
            "{not json",
            "{\"device_id\": 4, \"temperature\": 20.5}",
            "{\"device_id\": 4, \"timestamp\": \"2026-11-21T09:00:01Z\"}",
            "{\"timestamp\": \"2026-11-21T09:00:01Z\", \"temperature\": 20.5}",
            "{\"device_id\": -4, \"timestamp\": \"2026-11-21T09:00:01Z\", \"temperature\": 20.5}",
            "{\"device_id\": 99999999999, \"timestamp\": \"2026-11-21T09:00:01Z\", \"temperature\": 20.5}",
            "{\"device_id\": 4, \"timestamp\": \"2026-11-21T09:00:01Z\", \"temperature\": 1e400}",
            "{\"device_id\": 4, \"timestamp\": \"2026-11-21T09:00:01Z\", \"temperature\": 5000000}",
            "{\"device_id\": 4, \"timestamp\": \"yesterday\", \"temperature\": 20.5}",
            "{\"device_id\": 4, \"timestamp\": \"0001-01-01T00:00:00Z\", \"temperature\": 20.5}",
            "{\"device_id\": \"4\", \"timestamp\": \"2026-11-21T09:00:01Z\", \"temperature\": 20.5}",
            "[1, 2, 3]",
        };
        List<Long> badOffsets = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < 40; i++) {
            if (i % 3 == 1 && i / 3 < bad.length) {
                badOffsets.add(offset);
                p0.add(new Rec(TOPIC, 0, offset++, t.toEpochMilli(), "4", bad[i / 3].getBytes(StandardCharsets.UTF_8)));
            }
            Reading r = new Reading(4, t.plusSeconds(i), 20 + i * 0.25);
            valid.add(r);
            p0.add(new Rec(TOPIC, 0, offset++, t.toEpochMilli(), "4", ReadingJson.toBytes(r)));
        }
        p0.add(new Rec(TOPIC, 0, offset, t.toEpochMilli(), "4", null)); // tombstone
        badOffsets.add(offset);
        List<Rec> p2 = new ArrayList<>();
        Reading r5 = new Reading(5, t, 30.0);
        valid.add(r5);
        p2.add(new Rec(TOPIC, 2, 77, t.toEpochMilli(), "5", ReadingJson.toBytes(r5)));
        p2.add(new Rec(TOPIC, 2, 78, t.toEpochMilli(), "5", "{\"device_id\": 5,".getBytes(StandardCharsets.UTF_8)));
        List<Rec> all = new ArrayList<>(p0);
        all.addAll(p2);

        KafkaEventHandler h = handler("bad_input");
        KafkaBatchResponse response;
        try (LogCapture logs = new LogCapture()) {
            response = invoke(h, all);
            List<String> lines = logs.lines();
            for (long o : badOffsets) {
                assertThat(lines).as("log line for offset %d", o).anyMatch(l -> l.contains("\"invalid_reading\"")
                        && l.contains("\"partition\":0,\"offset\":" + o + ","));
            }
            assertThat(lines).anyMatch(l -> l.contains("\"partition\":2,\"offset\":78,"));
            assertThat(lines.stream().filter(l -> l.contains("\"invalid_reading\""))).hasSize(badOffsets.size() + 1);
        }
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(h.metrics().invalid()).isEqualTo(badOffsets.size() + 1);
        assertThat(h.metrics().applied()).isEqualTo(valid.size());
        assertThat(Oracle.actual(new WindowReader(client, "bad_input").all()))
                .isEqualTo(Oracle.expected(valid, SETTINGS.windowMillis()));
    }

    @Test
    void lateReadingsAreCountedAndSkipped() {
        long t = Instant.parse("2026-11-21T12:00:10Z").toEpochMilli();
        List<Reading> rs = List.of(
                new Reading(8, Instant.parse("2026-11-21T12:00:10Z"), 20.0),
                new Reading(8, Instant.parse("2026-11-21T12:10:00Z"), 21.0),
                new Reading(8, Instant.parse("2026-11-21T12:00:30Z"), 99.0),
                new Reading(8, Instant.parse("2026-11-21T12:06:30Z"), 22.0));
        List<Rec> recs = new ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
            recs.add(new Rec(TOPIC, 1, i, t, "8", ReadingJson.toBytes(rs.get(i))));
        }
        KafkaEventHandler h = handler("late_input");
        invoke(h, recs);
        assertThat(h.metrics().late()).isEqualTo(1);
        assertThat(Oracle.actual(new WindowReader(client, "late_input").all()))
                .isEqualTo(Oracle.expected(List.of(rs.get(0), rs.get(1), rs.get(3)), SETTINGS.windowMillis()));
    }

    /**
     * Issue 14, item 1: a reading dated 2099 (an unset device clock) is rejected, with its reason, as an invalid
     * reading; it does not raise the watermark the environment carries to the next batch, so no later reading of
     * the partition is judged late.
     */
    @Test
    void aReadingFrom2099IsRejectedAndLaterReadingsAreNotLate() {
        Instant t = Instant.parse("2026-11-21T13:00:00Z");
        List<Rec> recs = new ArrayList<>();
        List<Reading> valid = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            if (i == 10) {
                Reading future = new Reading(9, Instant.parse("2099-01-01T00:00:00Z"), 30.0);
                recs.add(new Rec(TOPIC, 1, recs.size(), t.toEpochMilli(), "9", ReadingJson.toBytes(future)));
            }
            Reading r = new Reading(9, t.plusSeconds(20L * i), 20 + i * 0.5);
            valid.add(r);
            recs.add(new Rec(TOPIC, 1, recs.size(), t.toEpochMilli(), "9", ReadingJson.toBytes(r)));
        }
        KafkaEventHandler h = handler("future_input");
        try (LogCapture logs = new LogCapture()) {
            invoke(h, recs.subList(0, 11));       // the 2099 reading ends this batch: its watermark carries over
            invoke(h, recs.subList(11, 21));
            invoke(h, recs.subList(21, recs.size()));
            assertThat(logs.lines()).anyMatch(l -> l.contains("\"invalid_reading\"")
                    && l.contains("\"partition\":1,\"offset\":10,") && l.contains("ahead of the clock"));
        }
        assertThat(h.metrics().invalid()).isEqualTo(1);
        assertThat(h.metrics().late()).isZero();
        assertThat(Oracle.actual(new WindowReader(client, "future_input").all()))
                .isEqualTo(Oracle.expected(valid, SETTINGS.windowMillis()));
    }

    /**
     * Issue 14, item 2: the handler's answer in each case. A batch whose every record is decided (applied, or
     * skipped as invalid, late or too far ahead of the clock) answers an empty response. A batch with any reading
     * that could not be applied fails as a whole (the handler throws), whatever {@code SLUICE_REPORT_BATCH_ITEM_FAILURES}
     * says, because an event source mapping without provisioned pollers takes a partial batch response as success
     * and would drop the failed readings; Lambda retries the whole batch, and the exactly-once merge makes the retry
     * apply each reading once.
     */
    @Test
    void anyReadingNotAppliedFailsTheWholeBatchAndTheRetryAppliesEachReadingOnce() {
        Map<String, String> env = Map.of("SLUICE_TABLE", "whole_batch", "SLUICE_REPORT_BATCH_ITEM_FAILURES", "true",
                "SLUICE_DYNAMODB_ENDPOINT", server.endpoint().toString(), "SLUICE_WRITE_CONCURRENCY", "4");
        List<Rec> batch = range(0, PARTITIONS, 10, 30);
        List<Reading> expected = new ArrayList<>();
        for (Rec r : batch) {
            expected.add(parse(r.value()));
        }

        // Every write fails: the table does not exist yet.
        KafkaEventHandler h = new KafkaEventHandler(HandlerSettings.fromEnv(env), client);
        assertThatThrownBy(() -> invoke(h, batch)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("readings-0").hasMessageContaining("retries it");
        TableSetup.createIfMissing(client, "whole_batch");
        assertThat(toJson(invoke(h, batch))).isEqualTo("{\"batchItemFailures\":[]}");
        assertThat(Oracle.actual(new WindowReader(client, "whole_batch").all()))
                .isEqualTo(Oracle.expected(expected, SETTINGS.windowMillis()));

        // Some writes fail: one item of the batch is unreadable, the others are written.
        TableSetup.createIfMissing(client, "whole_batch_partial");
        Reading victim = parse(batch.get(0).value());
        long windowStart = SETTINGS.windowStart(victim.timestamp().toEpochMilli());
        Map<String, AttributeValue> key = Map.of("device_id", AttributeValue.fromN(Integer.toString(victim.deviceId())),
                "window_start", AttributeValue.fromN(Long.toString(windowStart)));
        Map<String, AttributeValue> corrupt = new java.util.HashMap<>(key);
        corrupt.put("version", AttributeValue.fromS("not a number"));
        client.putItem(b -> b.tableName("whole_batch_partial").item(corrupt));
        Map<String, String> env2 = new java.util.HashMap<>(env);
        env2.put("SLUICE_TABLE", "whole_batch_partial");
        KafkaEventHandler p = new KafkaEventHandler(HandlerSettings.fromEnv(env2), client);
        assertThatThrownBy(() -> invoke(p, batch)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("retries it");
        long appliedBeforeRetry = p.metrics().applied();
        assertThat(appliedBeforeRetry).as("the other items were written").isPositive().isLessThan(batch.size());
        client.deleteItem(b -> b.tableName("whole_batch_partial").key(key));
        assertThat(toJson(invoke(p, batch))).isEqualTo("{\"batchItemFailures\":[]}");
        assertThat(p.metrics().applied()).isEqualTo(batch.size());
        assertThat(p.metrics().duplicates()).isEqualTo(appliedBeforeRetry);
        assertThat(Oracle.actual(new WindowReader(client, "whole_batch_partial").all()))
                .isEqualTo(Oracle.expected(expected, SETTINGS.windowMillis()));

        // Records that are decided without being applied never fail a batch.
        List<Rec> decided = new ArrayList<>(range(0, 1, 40, 45));
        decided.add(new Rec(TOPIC, 0, 45, 0, "1", "{not json".getBytes(StandardCharsets.UTF_8)));
        decided.add(new Rec(TOPIC, 0, 46, 0, "1", ReadingJson.toBytes(new Reading(1,
                Instant.parse("2099-01-01T00:00:00Z"), 20.0))));
        decided.add(new Rec(TOPIC, 0, 47, 0, "1", null));
        assertThat(toJson(invoke(p, decided))).isEqualTo("{\"batchItemFailures\":[]}");
    }

    @Test
    void settingsComeFromTheEnvironment() {
        HandlerSettings s = HandlerSettings.fromEnv(Map.of("SLUICE_TABLE", "t", "SLUICE_WINDOW", "30s",
                "SLUICE_ALLOWED_LATENESS", "2m", "SLUICE_TTL", "720h", "AWS_REGION", "eu-west-1",
                "SLUICE_REPORT_BATCH_ITEM_FAILURES", "false", "SLUICE_MAX_CLOCK_SKEW", "10s"));
        assertThat(s.aggregation()).isEqualTo(new AggregatorSettings(Duration.ofSeconds(30), Duration.ofMinutes(2),
                Optional.of(Duration.ofHours(720)), Duration.ofSeconds(10)));
        assertThat(s.region()).isEqualTo("eu-west-1");
        assertThat(s.endpoint()).isNull();
        assertThatThrownBy(() -> HandlerSettings.fromEnv(Map.of())).hasMessageContaining("SLUICE_TABLE");
        HandlerSettings defaults = HandlerSettings.fromEnv(Map.of("SLUICE_TABLE", "t"));
        assertThat(defaults.aggregation()).isEqualTo(AggregatorSettings.defaults());
        assertThat(defaults.region()).isEqualTo("us-east-1");
    }

    private static KafkaEventHandler handler(String table) {
        TableSetup.createIfMissing(client, table);
        return new KafkaEventHandler(new HandlerSettings(table, SETTINGS, 4, server.endpoint(),
                "us-east-1"), client);
    }

    /** Serialises the event JSON, decodes it the way the Lambda Java runtime does, and invokes the handler. */
    private static KafkaBatchResponse invoke(KafkaEventHandler h, List<Rec> records) {
        KafkaEvent event = EVENTS.fromJson(LambdaPayloads.event(records));
        return h.handleRequest(event, null);
    }

    /** Encodes a response the way the Lambda Java runtime does for a POJO result. */
    private static String toJson(KafkaBatchResponse response) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JacksonFactory.getInstance().getSerializer(KafkaBatchResponse.class).toJson(response, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<Rec> range(int fromPartition, int toPartition, int fromOffset, int toOffset) {
        List<Rec> out = new ArrayList<>();
        for (int p = fromPartition; p < toPartition; p++) {
            List<Rec> l = LOG.get(p);
            out.addAll(l.subList(Math.min(fromOffset, l.size()), Math.min(toOffset, l.size())));
        }
        return out;
    }

    private static Reading parse(byte[] v) {
        try {
            return ReadingJson.parse(v);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Metrics.Snapshot sum(Metrics.Snapshot... s) {
        long[] v = new long[10];
        for (Metrics.Snapshot x : s) {
            long[] y = {x.records(), x.invalid(), x.late(), x.applied(), x.duplicates(), x.writes(), x.conflicts(),
                x.reads(), x.throttled(), x.failedItems()};
            for (int i = 0; i < v.length; i++) {
                v[i] += y[i];
            }
        }
        return new Metrics.Snapshot(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }
}
