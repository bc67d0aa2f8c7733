package io.sluice.sink.clickhouse.cdc;

import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.SchemaEvolver;
import io.sluice.sink.clickhouse.schema.TableSchema;
import io.sluice.sink.clickhouse.schema.TypeMapping;
import io.sluice.sink.clickhouse.task.IngestMode;
import io.sluice.sink.clickhouse.writer.BoundedRetry;
import java.util.function.Function;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * What the sink task needs for {@code ingest.mode=debezium}, in one place: read a record's change event, turn it
 * into a row record for the table's encoder, name, create and check the table, and keep its current-state view.
 * The row record carries the original record's Kafka coordinates, so offsets, dead-lettering and error messages
 * work as in append mode. See ARCHITECTURE.md, "CDC into ClickHouse".
 */
public final class CdcIngest implements IngestMode<CdcIngest.Change> {

    /** A change event read from a record, with the row record the table's encoder takes. */
    public static final class Change {
        private final ChangeEvent event;
        private final SinkRecord row;

        Change(ChangeEvent event, SinkRecord row) {
            this.event = event;
            this.row = row;
        }

        /** Returns the change event. */
        public ChangeEvent event() {
            return event;
        }
    }

    private final EnvelopeReader reader = new EnvelopeReader();
    private final ChangeRowConverter rows = new ChangeRowConverter();
    private final TypeMapping types;
    private final CdcTables tables;
    private final OriginGuard origins;
    private final Function<String, String> mappedTables;
    private final String partitionBy;
    private final boolean manageView;

    /**
     * @param client       client for DDL
     * @param types        the type mapping for the server
     * @param retry        bounds retries of the requests of {@link #originChange}
     * @param mappedTables the table named for a topic in {@code topic.to.table}, or {@code null}
     * @param partitionBy  PARTITION BY of created tables, or empty for none
     * @param manageView   whether to create and refresh each table's {@code <table>_current} view
     *                     ({@code table.auto.create})
     */
    public CdcIngest(ClickHouseClient client, TypeMapping types, BoundedRetry retry,
            Function<String, String> mappedTables, String partitionBy, boolean manageView) {
        this.types = types;
        this.tables = new CdcTables(client, types);
        this.origins = new OriginGuard(client, retry);
        this.mappedTables = mappedTables;
        this.partitionBy = partitionBy;
        this.manageView = manageView;
    }

    /**
     * Reads a record's change event and its row: a record whose value is the event's row (column name to value,
     * with {@code _version} and {@code _deleted}) and whose topic, partition, offset and key are the original's.
     *
     * @throws RecordEncodingException if the record is not a usable change event (see {@link EnvelopeReader}), or
     *                                 a value does not have the shape its Debezium type promises
     */
    @Override
    public Change read(SinkRecord record) throws RecordEncodingException {
        ChangeEvent event = reader.read(record);
        try {
            return new Change(event, record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(),
                    record.key(), null, rows.toRow(event), record.timestamp()));
        } catch (RuntimeException e) {
            throw new RecordEncodingException(null, "cannot read the row of a change event for source table "
                    + event.sourceTable() + ": " + e);
        }
    }

    /** Returns the row record. */
    @Override
    public SinkRecord row(Change read) {
        return read.row;
    }

    /** Returns the event's row, whose fields schema evolution inspects. */
    @Override
    public Object fields(Change read) {
        return read.event.row();
    }

    /** Returns the table named for the topic in {@code topic.to.table}, else the source table's name. */
    @Override
    public String table(Change read, String topic) {
        String mapped = mappedTables.apply(topic);
        return mapped != null ? mapped : read.event.sourceTable();
    }

    /** Returns the DDL of a table for the event (see {@link CdcTables#createTableSql}). */
    @Override
    public String createTableSql(String database, String table, Change read) {
        return tables.createTableSql(database, table, read.event, partitionBy);
    }

    /**
     * Checks that a table takes change rows and, when managing views, creates or refreshes its
     * {@code <table>_current} view.
     *
     * @throws org.apache.kafka.connect.errors.DataException if the table lacks {@code _version} or {@code _deleted}
     * @throws ClickHouseException                           if the view cannot be created or replaced
     */
    @Override
    public void prepare(TableSchema schema) throws ClickHouseException {
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
    @Override
    public void requireSameOrigin(TableSchema schema, Change read, String topic) {
        CdcTables.requireSameSource(schema, read.event, topic);
    }

    /**
     * Checks that the event comes from the binlog its table's versions come from (see {@link OriginGuard}). Call it
     * for every event before its row is buffered; on a change, insert what was buffered before it, then stop.
     *
     * @return {@code null} if the origin is the table's (or the event names none), else the message naming both
     *         origins and how to re-snapshot
     * @throws org.apache.kafka.connect.errors.ConnectException if the table's origin cannot be read or stored
     */
    @Override
    public String originChange(TableSchema schema, Change read, SinkRecord record) {
        return origins.change(schema, read.event, record);
    }

    /** Returns the column typing for columns added by schema evolution. */
    @Override
    public SchemaEvolver.ColumnTyper typer() {
        return types;
    }
}
