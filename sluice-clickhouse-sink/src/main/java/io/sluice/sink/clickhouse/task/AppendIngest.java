package io.sluice.sink.clickhouse.task;

import io.sluice.sink.clickhouse.encode.json.JsonRecordReader;
import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.schema.SchemaEvolver;
import io.sluice.sink.clickhouse.schema.TableCreator;
import io.sluice.sink.clickhouse.schema.TableSchema;
import io.sluice.sink.clickhouse.schema.TypeMapping;
import java.util.function.Function;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * {@code ingest.mode=append}: each record is one row of the table named for its topic ({@code topic.to.table}, or
 * the topic name made safe).
 */
public final class AppendIngest implements IngestMode<SinkRecord> {

    private final Function<String, String> tables;
    private final TypeMapping types;
    private final TableCreator creator;
    private final String orderBy;
    private final String partitionBy;

    /**
     * @param tables      the table for a topic ({@link io.sluice.sink.clickhouse.ClickHouseSinkConfig#tableFor})
     * @param types       the type mapping for created and added columns
     * @param orderBy     ORDER BY of created tables, or empty for the coordinate columns
     * @param partitionBy PARTITION BY of created tables, or empty for none
     * @param cluster     {@code clickhouse.cluster} for created tables ({@code ON CLUSTER}, ReplicatedMergeTree), or
     *                    empty for none
     */
    public AppendIngest(Function<String, String> tables, TypeMapping types, String orderBy, String partitionBy,
                        String cluster) {
        this.tables = tables;
        this.types = types;
        this.creator = new TableCreator(types, cluster);
        this.orderBy = orderBy;
        this.partitionBy = partitionBy;
    }

    /** Returns the record itself. */
    @Override
    public SinkRecord read(SinkRecord record) {
        return record;
    }

    /** Returns the record itself. */
    @Override
    public SinkRecord row(SinkRecord read) {
        return read;
    }

    /**
     * Returns JSON text parsed into a Map (an extra parse per record, paid only with schema evolution on), or
     * {@code null} for malformed text; any other value as it is.
     */
    @Override
    public Object fields(SinkRecord read) {
        Object value = read.value();
        if (value instanceof byte[] || value instanceof String) {
            try {
                return JsonRecordReader.toMap(value);
            } catch (RecordEncodingException e) {
                return null;
            }
        }
        return value;
    }

    /** Returns the table mapped to the topic, or the topic name made safe. */
    @Override
    public String table(SinkRecord read, String topic) {
        return tables.apply(topic);
    }

    /**
     * Returns the DDL that {@link TableCreator#createTableSql} derives from the record's value (JSON text parsed).
     *
     * @throws org.apache.kafka.connect.errors.DataException if the value is not a Struct, a Map or JSON object text
     */
    @Override
    public String createTableSql(String database, String table, SinkRecord read) {
        return creator.createTableSql(database, table, fields(read), orderBy, partitionBy);
    }

    /** Nothing to check: any table whose columns the encoder can fill takes appended rows. */
    @Override
    public void prepare(TableSchema table) {
    }

    /** Nothing to check here: the coordinate columns keep topics apart (see the resume check). */
    @Override
    public void requireSameOrigin(TableSchema table, SinkRecord read, String topic) {
    }

    /** Returns null: appended rows carry no versions. */
    @Override
    public String originChange(TableSchema table, SinkRecord read, SinkRecord record) {
        return null;
    }

    /** Returns the type mapping, which auto-create uses too. */
    @Override
    public SchemaEvolver.ColumnTyper typer() {
        return types;
    }
}
