package io.sluice.aggregator.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.aggregator.core.AggregatorSettings;
import io.sluice.aggregator.core.BatchPreparer;
import io.sluice.aggregator.core.Metrics;
import io.sluice.aggregator.core.OffsetRanges;
import io.sluice.aggregator.core.PartitionSlice;
import io.sluice.aggregator.core.PreparedBatch;
import io.sluice.aggregator.core.ConsumedRecord;
import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import io.sluice.local.server.DynamoDbLocalServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbLocalServerTest {

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
    void listensOnLoopbackOnly() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
            assertThat(s.isConnected()).isTrue();
        }
        List<InetAddress> others = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    others.add(a);
                }
            }
        }
        for (InetAddress a : others) {
            try (Socket s = new Socket()) {
                assertThatThrownBy(() -> s.connect(new InetSocketAddress(a, server.port()), 2000))
                        .as("DynamoDB Local must not accept connections on %s", a)
                        .isInstanceOf(ConnectException.class);
            }
        }
    }

    @Test
    void createIfMissingIsIdempotentAndTtlCanBeEnabled() {
        assertThat(TableSetup.createIfMissing(client, "setup_test")).isTrue();
        assertThat(TableSetup.createIfMissing(client, "setup_test")).isFalse();
        TableSetup.enableTtl(client, "setup_test");
        assertThat(client.describeTimeToLive(b -> b.tableName("setup_test")).timeToLiveDescription().attributeName())
                .isEqualTo(ItemCodec.EXPIRES_AT);
    }

    @Test
    void storeWritesItemsWithTtlAndSkipsReplays() throws InterruptedException {
        TableSetup.createIfMissing(client, "store_test");
        AggregatorSettings settings = new AggregatorSettings(Duration.ofMinutes(1), Duration.ofMinutes(5),
                Optional.of(Duration.ofDays(30)));
        Metrics metrics = new Metrics();
        List<ConsumedRecord> recs = new ArrayList<>();
        Instant t = Instant.parse("2026-11-21T07:00:05Z");
        for (int i = 0; i < 6; i++) {
            recs.add(new ConsumedRecord("readings", 0, i, ReadingJson.toBytes(new Reading(7, t.plusSeconds(i * 20L),
                    25.5 + i))));
        }
        PreparedBatch batch = new BatchPreparer(settings).prepare(List.of(
                new PartitionSlice("readings", 0, OffsetRanges.of(0, 5), PartitionSlice.NO_WATERMARK, recs)));
        try (WindowStore store = new WindowStore(client, "store_test", settings, metrics, 4, Backoff.DEFAULT,
                Clock.systemUTC(), 0, false)) {
            assertThat(store.apply(batch.deltas().values()).ok()).isTrue();
            assertThat(store.apply(batch.deltas().values()).ok()).isTrue();
        }
        // first apply: two items written; second apply: cache disabled, so the guess "new item" fails the
        // condition, the item comes back with the failure, and all six readings are recognised as duplicates.
        assertThat(metrics.snapshot().writes()).isEqualTo(2);
        assertThat(metrics.snapshot().applied()).isEqualTo(6);
        assertThat(metrics.snapshot().duplicates()).isEqualTo(6);
        assertThat(metrics.snapshot().conflicts()).isEqualTo(2);
        List<WindowRow> rows = new WindowReader(client, "store_test").device(7);
        assertThat(rows).hasSize(2);
        WindowRow w = rows.get(0);
        assertThat(w.windowStart()).isEqualTo(Instant.parse("2026-11-21T07:00:00Z"));
        assertThat(w.windowEnd()).isEqualTo(Instant.parse("2026-11-21T07:01:00Z"));
        assertThat(w.count()).isEqualTo(3);
        assertThat(w.sum()).isEqualByComparingTo("79.5");
        assertThat(w.mean()).isEqualByComparingTo("26.5");
        assertThat(w.min()).isEqualByComparingTo("25.5");
        assertThat(w.max()).isEqualByComparingTo("27.5");
        assertThat(w.firstEvent()).isEqualTo(t);
        assertThat(w.lastEvent()).isEqualTo(t.plusSeconds(40));
        Map<String, AttributeValue> raw = client.getItem(b -> b.tableName("store_test").key(Map.of(
                ItemCodec.DEVICE_ID, AttributeValue.fromN("7"),
                ItemCodec.WINDOW_START, AttributeValue.fromN(Long.toString(w.windowStart().toEpochMilli()))))).item();
        assertThat(raw.get(ItemCodec.EXPIRES_AT).n())
                .isEqualTo(Long.toString(w.windowEnd().getEpochSecond() + Duration.ofDays(30).toSeconds()));
        assertThat(raw.get(ItemCodec.APPLIED).m().get("readings-0").s()).isEqualTo("0-5");
        assertThat(raw.get(ItemCodec.VERSION).n()).isEqualTo("1");
    }
}
