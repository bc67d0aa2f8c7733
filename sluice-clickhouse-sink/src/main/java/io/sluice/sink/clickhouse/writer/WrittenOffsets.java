package io.sluice.sink.clickhouse.writer;

import io.sluice.sink.clickhouse.encode.RecordEncoder;
import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.Sql;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.util.Arrays;

/**
 * Reads which Kafka offsets of a partition are already rows of a table, from the table's {@code _kafka_topic},
 * {@code _kafka_partition} and {@code _kafka_offset} columns. This is the ground truth of exactly-once delivery:
 * the coordinates are written in the same insert as the row they describe, so a row and its coordinates land
 * together or not at all, on every ClickHouse version.
 */
public final class WrittenOffsets {

    private WrittenOffsets() {
    }

    /**
     * Returns true if the table has the columns needed for exactly-once delivery: {@code _kafka_partition} and
     * {@code _kafka_offset} (and {@code _kafka_topic}, needed only when several topics share the table).
     */
    public static boolean supported(TableSchema schema) {
        return schema.indexOf(RecordEncoder.KAFKA_PARTITION) >= 0 && schema.indexOf(RecordEncoder.KAFKA_OFFSET) >= 0;
    }

    /**
     * Returns the offsets in {@code [from, to]} of a partition that are rows of the table, sorted ascending and
     * distinct.
     *
     * @param client    the client
     * @param schema    the table; must be {@link #supported}
     * @param topic     the topic; used as a filter when the table has {@code _kafka_topic}
     * @param partition the partition
     * @param from      lowest offset, inclusive
     * @param to        highest offset, inclusive ({@code Long.MAX_VALUE} for no bound)
     * @throws ClickHouseException if the query fails
     */
    public static long[] query(ClickHouseClient client, TableSchema schema, String topic, int partition, long from,
                               long to) throws ClickHouseException {
        StringBuilder sql = new StringBuilder("SELECT DISTINCT ").append(RecordEncoder.KAFKA_OFFSET).append(" FROM ")
                .append(schema.qualifiedName()).append(" WHERE ").append(RecordEncoder.KAFKA_PARTITION).append(" = ")
                .append(partition).append(" AND ").append(RecordEncoder.KAFKA_OFFSET).append(" >= ").append(from);
        if (to != Long.MAX_VALUE) {
            sql.append(" AND ").append(RecordEncoder.KAFKA_OFFSET).append(" <= ").append(to);
        }
        if (schema.indexOf(RecordEncoder.KAFKA_TOPIC) >= 0) {
            sql.append(" AND ").append(RecordEncoder.KAFKA_TOPIC).append(" = ").append(Sql.quoteString(topic));
        }
        sql.append(" ORDER BY ").append(RecordEncoder.KAFKA_OFFSET).append(" FORMAT TabSeparated");
        String body = client.query(sql.toString());
        if (body.isEmpty()) {
            return new long[0];
        }
        long[] out = new long[16];
        int n = 0;
        int start = 0;
        for (int i = 0; i <= body.length(); i++) {
            if (i == body.length() || body.charAt(i) == '\n') {
                if (i > start) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, n * 2);
                    }
                    out[n++] = Long.parseLong(body, start, i, 10);
                }
                start = i + 1;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
