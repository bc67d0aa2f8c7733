package io.sluice.sink.clickhouse.writer;

import io.sluice.sink.clickhouse.encode.RecordEncoder;
import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.encode.rowbinary.RowBinaryBuffer;
import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.KafkaCoordinates;
import io.sluice.sink.clickhouse.schema.Sql;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Tells whether the row a table holds under a record's coordinates is that record. Exactly-once skips a record
 * whose coordinates are already a row; that is only right while a topic partition's offsets name one record
 * each. A re-created topic, a replaced cluster or a MirrorMaker failover starts offsets at 0 again, and the
 * table's rows at those offsets are other records (issue 13, case 4). The record is encoded as it would be
 * inserted and compared byte for byte with the stored row read back as RowBinary (ClickHouse docs, "Formats",
 * RowBinary) over the same columns. The row is read as the written offsets are ({@link ReplicaConsistency#readBytes}),
 * so a replica that has not yet fetched it refuses instead of answering "no such row", which would stop the task as if
 * the offsets had started again.
 */
public final class StoredRow {

    private StoredRow() {
    }

    /**
     * Returns true if the table's row under the record's topic, partition and offset holds exactly the values the
     * record encodes to; false if it holds others, or if the record no longer encodes (the stored one did).
     *
     * @param client      the client
     * @param consistency how the table is read (after pending quorums, sequentially consistent on replicas)
     * @param encoder     the encoder for the table's current columns
     * @param record      a record whose coordinates the written offsets hold
     * @throws ClickHouseException if the row cannot be read, or (retriably) while a quorum insert into the table is
     *                             pending or the answering replica lacks a confirmed part
     */
    public static boolean matches(ClickHouseClient client, ReplicaConsistency consistency, RecordEncoder encoder,
                                  SinkRecord record)
            throws ClickHouseException {
        TableSchema table = encoder.schema();
        RowBinaryBuffer encoded = new RowBinaryBuffer(256);
        BitSet omitted = new BitSet();
        try {
            encoder.encode(record, encoded, omitted);
        } catch (RecordEncodingException e) {
            return false;
        }
        List<String> columns = new ArrayList<>();
        List<Column> all = table.columns();
        for (int i = 0; i < all.size(); i++) {
            if (!omitted.get(i)) {
                columns.add(Sql.quoteIdentifier(all.get(i).name()));
            }
        }
        String sql = "SELECT " + String.join(", ", columns) + " FROM " + table.qualifiedName() + " WHERE "
                + KafkaCoordinates.PARTITION + " = " + record.kafkaPartition() + " AND " + KafkaCoordinates.OFFSET
                + " = " + record.kafkaOffset()
                + (table.boundTopic() == null
                        ? " AND " + KafkaCoordinates.TOPIC + " = " + Sql.quoteString(record.topic()) : "")
                + consistency.visibleParts(client)
                + " LIMIT 1 FORMAT RowBinary";
        byte[] stored = consistency.readBytes(client, table, sql);
        return Arrays.equals(stored, Arrays.copyOf(encoded.array(), encoded.size()));
    }
}
