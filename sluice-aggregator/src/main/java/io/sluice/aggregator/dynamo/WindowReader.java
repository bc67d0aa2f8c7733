package io.sluice.aggregator.dynamo;

import io.sluice.aggregator.core.ItemState;
import io.sluice.aggregator.core.Stats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads aggregates back from the table, for the CLI's demo output, for checks against ClickHouse, and for tests.
 * Uses strongly consistent reads.
 */
public final class WindowReader {

    private final DynamoDbClient client;
    private final String table;

    /**
     * @param client DynamoDB client (not closed here)
     * @param table  table name
     */
    public WindowReader(DynamoDbClient client, String table) {
        this.client = Objects.requireNonNull(client, "client");
        this.table = Objects.requireNonNull(table, "table");
    }

    /**
     * Returns one device's windows in ascending window order (DynamoDB {@code Query} on the partition key, all pages).
     *
     * @param deviceId device id
     * @throws software.amazon.awssdk.core.exception.SdkException on DynamoDB errors
     */
    public List<WindowRow> device(int deviceId) {
        List<WindowRow> rows = new ArrayList<>();
        client.queryPaginator(b -> b.tableName(table).consistentRead(true)
                        .keyConditionExpression("#d = :d")
                        .expressionAttributeNames(Map.of("#d", ItemCodec.DEVICE_ID))
                        .expressionAttributeValues(Map.of(":d", AttributeValue.fromN(Integer.toString(deviceId)))))
                .items().forEach(item -> rows.add(toRow(item)));
        return rows;
    }

    /**
     * Returns every window in the table, sorted by device then window start (DynamoDB {@code Scan}, all pages).
     * Meant for the local stack and tests; a scan reads the whole table.
     *
     * @throws software.amazon.awssdk.core.exception.SdkException on DynamoDB errors
     */
    public List<WindowRow> all() {
        List<WindowRow> rows = new ArrayList<>();
        client.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()
                .forEach(item -> rows.add(toRow(item)));
        rows.sort(Comparator.comparingInt(WindowRow::deviceId).thenComparing(WindowRow::windowStart));
        return rows;
    }

    /** Decodes one item into a row. */
    static WindowRow toRow(Map<String, AttributeValue> item) {
        ItemState s = ItemCodec.fromItem(item);
        Stats st = s.stats();
        return new WindowRow(s.key().deviceId(), Instant.ofEpochMilli(s.key().windowStartMs()),
                Instant.ofEpochMilli(s.windowEndMs()), st.count(), st.sum(), st.min(), st.max(),
                ItemCodec.dec(item, ItemCodec.MEAN), Instant.ofEpochMilli(st.firstEventMs()),
                Instant.ofEpochMilli(st.lastEventMs()), Instant.ofEpochMilli(s.updatedAtMs()));
    }
}
