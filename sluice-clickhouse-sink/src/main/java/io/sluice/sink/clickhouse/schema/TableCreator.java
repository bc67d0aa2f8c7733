package io.sluice.sink.clickhouse.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Builds {@code CREATE TABLE IF NOT EXISTS ... ENGINE = MergeTree} for a table that does not exist yet, from the
 * first record's value, with column types from {@link TypeMapping}. The Kafka coordinate columns
 * {@code _kafka_topic}, {@code _kafka_partition} and {@code _kafka_offset} are added so that every row can be
 * traced to its record; a record field of one of those names gets no column (the sink fills it from Kafka).
 */
public final class TableCreator {

    private final TypeMapping types;

    /** @param types the type mapping for the server */
    public TableCreator(TypeMapping types) {
        this.types = types;
    }

    /**
     * Returns the DDL for a table shaped like the value.
     *
     * @param database    database
     * @param table       table
     * @param value       the first record's value: a Struct, or a Map (JSON text already parsed)
     * @param orderBy     ORDER BY expression, or empty for the Kafka coordinates
     * @param partitionBy PARTITION BY expression, or empty
     * @throws DataException if the value is neither, or a field's type cannot be mapped
     */
    public String createTableSql(String database, String table, Object value, String orderBy, String partitionBy) {
        List<String> cols = new ArrayList<>();
        // A field named like a coordinate column gets no column of its own: the sink fills that column from Kafka.
        if (value instanceof Struct) {
            for (Field f : ((Struct) value).schema().fields()) {
                if (!KafkaCoordinates.isCoordinate(f.name())) {
                    cols.add(Sql.quoteIdentifier(f.name()) + " " + types.typeOf(f.name(), f.schema()));
                }
            }
        } else if (value instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                String name = String.valueOf(e.getKey());
                if (!KafkaCoordinates.isCoordinate(name)) {
                    cols.add(Sql.quoteIdentifier(name) + " " + types.typeOf(name, e.getValue()));
                }
            }
        } else {
            throw new DataException("cannot create a table from a record whose value is "
                    + (value == null ? "null or not JSON object text" : value.getClass().getSimpleName()));
        }
        cols.add(Sql.quoteIdentifier(KafkaCoordinates.TOPIC) + " String");
        cols.add(Sql.quoteIdentifier(KafkaCoordinates.PARTITION) + " UInt32");
        cols.add(Sql.quoteIdentifier(KafkaCoordinates.OFFSET) + " UInt64");
        String order = orderBy.isEmpty()
                ? "(" + KafkaCoordinates.TOPIC + ", " + KafkaCoordinates.PARTITION + ", " + KafkaCoordinates.OFFSET + ")"
                : orderBy;
        return "CREATE TABLE IF NOT EXISTS " + Sql.quoteIdentifier(database) + "." + Sql.quoteIdentifier(table)
                + " (" + String.join(", ", cols) + ") ENGINE = MergeTree()"
                + (partitionBy.isEmpty() ? "" : " PARTITION BY " + partitionBy)
                + " ORDER BY " + order;
    }
}
