package io.sluice.aggregator.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.aggregator.core.AggregatorSettings;
import io.sluice.aggregator.core.BatchPreparer;
import io.sluice.aggregator.core.ConsumedRecord;
import io.sluice.aggregator.core.ItemDelta;
import io.sluice.aggregator.core.Metrics;
import io.sluice.aggregator.core.OffsetRanges;
import io.sluice.aggregator.core.PartitionSlice;
import io.sluice.aggregator.testing.Oracle;
import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import io.sluice.local.server.DynamoDbLocalServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

/**
 * {@link WindowStore}'s read-missing-first option against DynamoDB Local: a store with a cold cache continues items
 * another store wrote, reading them in {@code BatchGetItem} chunks of at most 100 keys instead of failing write
 * conditions; unprocessed keys are retried, and keys still unprocessed after the retries fall back to the old path.
 */
class ReadMissingFirstTest {

    private static final AggregatorSettings SETTINGS = AggregatorSettings.defaults();
    private static final int DEVICES = 250;
    private static final Instant T0 = Instant.parse("2026-11-21T16:00:00Z");

    private static DynamoDbLocalServer server;
    private static DynamoDbClient client;

    @BeforeAll
    static void start() throws IOException {
        server = DynamoDbLocalServer.start(0);
        client = DynamoClients.create(server.endpoint(), "us-east-1");
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void aColdStoreReadsExistingItemsInChunksAndWritesEachOnce() throws InterruptedException {
        String table = "read_first_chunks";
        List<Reading> readings = seeded(table);

        Metrics m = new Metrics();
        KeyCounting counting = new KeyCounting(client, 0);
        assertThat(apply(counting, table, m, true, deltas(readings, DEVICES, 2 * DEVICES)).ok()).isTrue();
        assertThat(m.snapshot().conflicts()).as("failed write conditions").isZero();
        assertThat(m.snapshot().reads()).isEqualTo(DEVICES);
        assertThat(m.snapshot().writes()).isEqualTo(DEVICES);
        assertThat(counting.maxKeys.get()).as("keys in one BatchGetItem").isEqualTo(WindowStore.MAX_BATCH_GET_KEYS);
        assertThat(counting.requests.get()).isEqualTo(3);
        assertThat(Oracle.actual(new WindowReader(client, table).all()))
                .isEqualTo(Oracle.expected(readings, SETTINGS.windowMillis()));

        // A redelivery of the second batch to yet another cold store: every reading is recognised, nothing written.
        Metrics again = new Metrics();
        assertThat(apply(client, table, again, true, deltas(readings, DEVICES, 2 * DEVICES)).ok()).isTrue();
        assertThat(again.snapshot().writes()).isZero();
        assertThat(again.snapshot().conflicts()).isZero();
        assertThat(again.snapshot().duplicates()).isEqualTo(DEVICES);
        assertThat(Oracle.actual(new WindowReader(client, table).all()))
                .isEqualTo(Oracle.expected(readings, SETTINGS.windowMillis()));
    }

    @Test
    void unprocessedKeysAreRetried() throws InterruptedException {
        String table = "read_first_unprocessed";
        List<Reading> readings = seeded(table);

        Metrics m = new Metrics();
        KeyCounting flaky = new KeyCounting(client, 2);   // the first two requests answer half their keys
        assertThat(apply(flaky, table, m, true, deltas(readings, DEVICES, 2 * DEVICES)).ok()).isTrue();
        assertThat(flaky.requests.get()).isGreaterThan(3);
        assertThat(m.snapshot().throttled()).isEqualTo(2);
        assertThat(m.snapshot().conflicts()).isZero();
        assertThat(m.snapshot().reads()).isEqualTo(DEVICES);
        assertThat(Oracle.actual(new WindowReader(client, table).all()))
                .isEqualTo(Oracle.expected(readings, SETTINGS.windowMillis()));
    }

    @Test
    void keysStillUnprocessedAfterTheRetriesFallBackToAConditionalWrite() throws InterruptedException {
        String table = "read_first_gave_up";
        List<Reading> readings = seeded(table);

        Metrics m = new Metrics();
        KeyCounting never = new KeyCounting(client, Integer.MAX_VALUE);
        assertThat(apply(never, table, m, true, deltas(readings, DEVICES, 2 * DEVICES)).ok()).isTrue();
        // Each request answers half its keys; the other half ends as an unread guess "new", whose condition fails.
        assertThat(m.snapshot().reads()).isPositive().isLessThan(DEVICES);
        assertThat(m.snapshot().conflicts()).isEqualTo(DEVICES - m.snapshot().reads());
        assertThat(m.snapshot().writes()).isEqualTo(DEVICES);
        assertThat(Oracle.actual(new WindowReader(client, table).all()))
                .isEqualTo(Oracle.expected(readings, SETTINGS.windowMillis()));
    }

    /**
     * Creates the table and writes the first round of {@link #readings(int) two rounds} through a store without
     * read-first, so every item of the second round exists already; returns both rounds.
     */
    private static List<Reading> seeded(String table) throws InterruptedException {
        TableSetup.createIfMissing(client, table);
        List<Reading> readings = readings(2);
        apply(client, table, new Metrics(), false, deltas(readings, 0, DEVICES));
        return readings;
    }

    /** {@code rounds} readings per device, all in one window: round r of every device at offsets r*DEVICES... */
    private static List<Reading> readings(int rounds) {
        List<Reading> out = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (int d = 1; d <= DEVICES; d++) {
                out.add(new Reading(d, T0.plusSeconds(10L * r).plusMillis(d), 20 + r + d * 0.01));
            }
        }
        return out;
    }

    /** The item deltas of the readings at offsets {@code [from, to)} of partition 0. */
    private static Collection<ItemDelta> deltas(List<Reading> readings, int from, int to) {
        List<ConsumedRecord> recs = new ArrayList<>();
        for (int o = from; o < to; o++) {
            recs.add(new ConsumedRecord("readings", 0, o, ReadingJson.toBytes(readings.get(o))));
        }
        return new BatchPreparer(SETTINGS).prepare(List.of(new PartitionSlice("readings", 0,
                OffsetRanges.of(from, to - 1), PartitionSlice.NO_WATERMARK, recs))).deltas().values();
    }

    private static WindowStore.ApplyResult apply(DynamoDbClient c, String table, Metrics m, boolean readFirst,
                                                 Collection<ItemDelta> deltas) throws InterruptedException {
        try (WindowStore store = new WindowStore(c, table, SETTINGS, m, 4, new Backoff(1, 4, 4), Clock.systemUTC(),
                20_000, readFirst)) {
            return store.apply(deltas);
        }
    }

    /**
     * The real client, recording the size of each {@code BatchGetItem}; its first {@code halfAnswered} requests
     * pass only the first half of their keys on and report the rest as {@code UnprocessedKeys}, as DynamoDB does
     * when a request exceeds the table's throughput or the 16 MB response limit.
     */
    private static final class KeyCounting implements DynamoDbClient {
        private final DynamoDbClient real;
        private final int halfAnswered;
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger maxKeys = new AtomicInteger();

        KeyCounting(DynamoDbClient real, int halfAnswered) {
            this.real = real;
            this.halfAnswered = halfAnswered;
        }

        @Override
        public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
            int n = requests.incrementAndGet();
            Map.Entry<String, KeysAndAttributes> e = request.requestItems().entrySet().iterator().next();
            List<Map<String, AttributeValue>> keys = e.getValue().keys();
            maxKeys.accumulateAndGet(keys.size(), Math::max);
            if (n > halfAnswered || keys.size() < 2) {
                return real.batchGetItem(request);
            }
            int half = keys.size() / 2;
            BatchGetItemResponse got = real.batchGetItem(request.toBuilder().requestItems(Map.of(e.getKey(),
                    e.getValue().toBuilder().keys(keys.subList(0, half)).build())).build());
            return got.toBuilder().unprocessedKeys(Map.of(e.getKey(),
                    e.getValue().toBuilder().keys(keys.subList(half, keys.size())).build())).build();
        }

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            return real.putItem(request);
        }

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            return real.getItem(request);
        }

        @Override
        public String serviceName() {
            return real.serviceName();
        }

        @Override
        public void close() {
        }
    }
}
