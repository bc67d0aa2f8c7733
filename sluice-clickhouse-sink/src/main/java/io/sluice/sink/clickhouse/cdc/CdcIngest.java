package io.sluice.sink.clickhouse.cdc;

import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.http.ServerVersion;
import io.sluice.sink.clickhouse.schema.SchemaEvolver;
import io.sluice.sink.clickhouse.schema.TableSchema;
import io.sluice.sink.clickhouse.writer.BoundedRetry;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * What the sink task needs for {@code ingest.mode=debezium}, in one place: read a record's change event, turn it
 * into a row record for the table's encoder, name, create and check the table, and keep its current-state view.
 * The row record carries the original record's Kafka coordinates, so offsets, dead-lettering and error messages
 * work as in append mode. See ARCHITECTURE.md, "CDC into ClickHouse".
 */
public final class CdcIngest {

    private final EnvelopeReader reader = new EnvelopeReader();
    private final ChangeRowConverter rows = new ChangeRowConverter();
    private final CdcTypeMapper types;
    private final CdcTables tables;
    private final OriginGuard origins;

    /**
     * @param client  client for DDL
     * @param version server version, for the type mapping
     * @param retry   bounds retries of the requests of {@link #requireOrigin}
     */
    public CdcIngest(ClickHouseClient client, ServerVersion version, BoundedRetry retry) {
        this.types = new CdcTypeMapper(version);
        this.tables = new CdcTables(client, types);
        this.origins = new OriginGuard(client, retry);
    }

    /**
     * Reads a record's change event.
     *
     * @throws RecordEncodingException if the record is not a usable change event (see {@link EnvelopeReader})
     */
    public ChangeEvent read(SinkRecord record) throws RecordEncodingException {
        return reader.read(record);
    }

    /**
     * Returns a record whose value is the event's row (column name to value, with {@code _version} and
     * {@code _deleted}) and whose topic, partition, offset and key are the original's.
     *
     * @throws RecordEncodingException if a value does not have the shape its Debezium type promises
     */
    public SinkRecord rowRecord(SinkRecord record, ChangeEvent event) throws RecordEncodingException {
        try {
            return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(), null,
                    rows.toRow(event), record.timestamp());
        } catch (RuntimeException e) {
            throw new RecordEncodingException(null, "cannot read the row of a change event for source table "
                    + event.sourceTable() + ": " + e);
        }
    }

    /**
     * Returns the table for an event: the one named in {@code topic.to.table}, else the source table's name.
     *
     * @param mapped the table named for the topic in {@code topic.to.table}, or {@code null}
     */
    public String tableFor(ChangeEvent event, String mapped) {
        return mapped != null ? mapped : event.sourceTable();
    }

    /** Returns the DDL of a table for the event (see {@link CdcTables#createTableSql}). */
    public String createTableSql(String database, String table, ChangeEvent event, String partitionBy) {
        return tables.createTableSql(database, table, event, partitionBy);
    }

    /**
     * Checks that a table takes change rows and, when {@code manageView}, creates or refreshes its
     * {@code <table>_current} view.
     *
     * @throws org.apache.kafka.connect.errors.DataException if the table lacks {@code _version} or {@code _deleted}
     * @throws ClickHouseException                           if the view cannot be created or replaced
     */
    public void prepare(TableSchema schema, boolean manageView) throws ClickHouseException {
        CdcTables.requireCdcColumns(schema);
        if (manageView) {
            tables.ensureView(schema);
        }
    }

    /**
     * Checks that a table takes the rows of the event's source table (see {@link CdcTables#requireSameSource}).
     *
     * @throws org.apache.kafka.connect.errors.DataException if the table belongs to another source table
     */
    public void requireSameSource(TableSchema schema, ChangeEvent event, String topic) {
        CdcTables.requireSameSource(schema, event, topic);
    }

    /**
     * Checks that the event comes from the binlog its table's versions come from (see {@link OriginGuard}). Call it
     * for every event before its row is buffered; on a change, insert what was buffered before it, then stop.
     *
     * @return {@code null} if the origin is the table's (or the event names none), else the message naming both
     *         origins and how to re-snapshot
     * @throws org.apache.kafka.connect.errors.ConnectException if the table's origin cannot be read or stored
     */
    public String originChange(TableSchema schema, ChangeEvent event, SinkRecord record) {
        return origins.change(schema, event, record);
    }

    /** Returns the column typing for columns added by schema evolution. */
    public SchemaEvolver.ColumnTyper typer() {
        return types;
    }
}
