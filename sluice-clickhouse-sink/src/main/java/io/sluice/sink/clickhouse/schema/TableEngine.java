package io.sluice.sink.clickhouse.schema;

import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import java.util.List;

/**
 * A table's engine and sort key as {@code system.tables} gives them (columns {@code engine} and
 * {@code sorting_key}, present on 18.16 and on current releases), for example {@code ReplacingMergeTree} and
 * {@code _kafka_topic, _kafka_partition, _kafka_offset}; a view's engine is {@code View}.
 */
public final class TableEngine {

    private final String engine;
    private final String sortingKey;

    private TableEngine(String engine, String sortingKey) {
        this.engine = engine;
        this.sortingKey = sortingKey;
    }

    /**
     * Reads a table's engine.
     *
     * @return the engine, or {@code null} if no such table exists
     * @throws ClickHouseException if the server cannot be asked
     */
    public static TableEngine read(ClickHouseClient client, String database, String table) throws ClickHouseException {
        List<List<String>> rows = client.queryRows("SELECT engine, sorting_key FROM system.tables WHERE database = "
                + Sql.quoteString(database) + " AND name = " + Sql.quoteString(table));
        return rows.isEmpty() ? null : new TableEngine(rows.get(0).get(0), rows.get(0).size() > 1 ? rows.get(0).get(1) : "");
    }

    /** Returns the engine name. */
    public String engine() {
        return engine;
    }

    /** Returns the sort key expressions, comma-separated; empty for engines without one. */
    public String sortingKey() {
        return sortingKey;
    }
}
