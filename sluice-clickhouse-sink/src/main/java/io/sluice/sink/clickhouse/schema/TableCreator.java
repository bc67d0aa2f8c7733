package io.sluice.sink.clickhouse.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Builds {@code CREATE TABLE IF NOT EXISTS ... ENGINE = MergeTree} (with {@code clickhouse.cluster}: {@code ON CLUSTER}
 * and ReplicatedMergeTree) for a table that does not exist yet, from the
 * first record's value, with column types from {@link TypeMapping}. The Kafka coordinate columns
 * {@code _kafka_topic}, {@code _kafka_partition} and {@code _kafka_offset} are added so that every row can be
 * traced to its record; a record field of one of those names gets no column (the sink fills it from Kafka).
 */
public final class TableCreator {

    private final TypeMapping types;
    private final String cluster;

    /** @param types the type mapping for the server */
    public TableCreator(TypeMapping types) {
        this(types, "");
    }

    /**
     * @param types   the type mapping for the server
     * @param cluster {@code clickhouse.cluster}: when not empty, tables are created {@code ON CLUSTER} as
     *                {@code ReplicatedMergeTree('/clickhouse/tables/{shard}/<database>/<table>', '{replica}')},
     *                which needs the {@code shard} and {@code replica} macros on every server
     */
    public TableCreator(TypeMapping types, String cluster) {
        this.types = types;
        this.cluster = cluster;
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
                + onCluster(cluster) + " (" + String.join(", ", cols) + ") ENGINE = " + engine(database, table)
                + (partitionBy.isEmpty() ? "" : " PARTITION BY " + partitionBy)
                + " ORDER BY " + order;
    }

    /** Returns {@code " ON CLUSTER `c`"} for a cluster name, or empty for none. */
    public static String onCluster(String cluster) {
        return cluster.isEmpty() ? "" : " ON CLUSTER " + Sql.quoteIdentifier(cluster);
    }

    /** MergeTree, or with a cluster its replicated form, one ZooKeeper path per table (ClickHouse docs, "Data Replication"). */
    private String engine(String database, String table) {
        return cluster.isEmpty() ? "MergeTree()" : "ReplicatedMergeTree("
                + Sql.quoteString("/clickhouse/tables/{shard}/" + database + "/" + table) + ", '{replica}')";
    }
}
