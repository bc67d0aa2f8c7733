package io.sluice.sink.clickhouse.task;

import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.SchemaEvolver;
import io.sluice.sink.clickhouse.schema.TableSchema;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * How a record becomes a row ({@code ingest.mode}): {@link AppendIngest} writes each record as a row;
 * {@link io.sluice.sink.clickhouse.cdc.CdcIngest} turns a Debezium change event into a versioned row. The task
 * calls the same methods in both modes, so it holds no mode checks of its own.
 *
 * @param <R> a record as the mode has read it (the record itself, or its change event and row)
 */
public interface IngestMode<R> {

    /**
     * Reads a record that is not a tombstone.
     *
     * @throws RecordEncodingException if the record cannot be read (it goes to the dead-letter queue)
     */
    R read(SinkRecord record) throws RecordEncodingException;

    /** Returns the record to encode: its value holds the row, its coordinates are the original record's. */
    SinkRecord row(R read);

    /**
     * Returns the value whose fields schema evolution inspects: a Connect Struct, a Map, or {@code null} when the
     * value cannot be read (the encoder then rejects the record).
     */
    Object fields(R read);

    /** Returns the table that records of the topic go to, {@code read} being the first of them. */
    String table(R read, String topic);

    /**
     * Returns the {@code CREATE TABLE} statement for a table whose first record is {@code read}.
     *
     * @throws org.apache.kafka.connect.errors.DataException if no column can be derived from the record
     */
    String createTableSql(String database, String table, R read);

    /**
     * Checks that a table read or created for this mode can take its rows, and prepares what the mode keeps
     * beside it; called again after schema evolution changed the table.
     *
     * @throws org.apache.kafka.connect.errors.DataException if the table lacks a column the mode needs
     * @throws ClickHouseException                           if preparing it needs the server and the server fails
     */
    void prepare(TableSchema table) throws ClickHouseException;

    /**
     * Checks that a table may take the rows of this record's origin, before its topic is routed to the table.
     *
     * @throws org.apache.kafka.connect.errors.DataException if the table belongs to another origin
     */
    void requireSameOrigin(TableSchema table, R read, String topic);

    /**
     * Checks, for every record before its row is buffered, that the rows' versions still come from the table's
     * origin (CDC: the binlog's server and GTID domain; append mode has no versions).
     *
     * @param record the original record, for the message
     * @return {@code null} if they do, else a message naming both origins and what to do; the task then inserts
     *         what it buffered before the record and stops
     * @throws org.apache.kafka.connect.errors.ConnectException if the table's origin cannot be read or stored
     */
    String originChange(TableSchema table, R read, SinkRecord record);

    /** Returns the typing of columns that schema evolution adds. */
    SchemaEvolver.ColumnTyper typer();
}
