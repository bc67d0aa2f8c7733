package io.sluice.sink.clickhouse.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The insertable columns of one ClickHouse table, in table order. {@code MATERIALIZED} and {@code ALIAS} columns
 * are excluded because the server computes them and rejects inserts into them. Those whose expression is a string
 * literal are kept as constants: they bind the table to one topic ({@link #boundTopic}) or, for CDC tables, to one
 * source table.
 */
public final class TableSchema {

    private final String database;
    private final String table;
    private final List<Column> columns;
    private final Map<String, String> constants;
    private final Map<String, Integer> index = new HashMap<>();

    /**
     * A table not bound to a topic.
     *
     * @param database database name
     * @param table    table name
     * @param columns  insertable columns in table order; must not be empty
     * @throws IllegalArgumentException if there are no columns
     */
    public TableSchema(String database, String table, List<Column> columns) {
        this(database, table, columns, Map.of());
    }

    /**
     * @param database   database name
     * @param table      table name
     * @param columns    insertable columns in table order; must not be empty
     * @param constants  column name to value, for the ALIAS or MATERIALIZED columns whose expression is a string
     *                   literal
     * @throws IllegalArgumentException if there are no columns
     */
    public TableSchema(String database, String table, List<Column> columns, Map<String, String> constants) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table " + database + "." + table + " has no insertable columns");
        }
        this.database = database;
        this.table = table;
        this.columns = List.copyOf(columns);
        this.constants = Map.copyOf(constants);
        for (int i = 0; i < columns.size(); i++) {
            index.put(columns.get(i).name(), i);
        }
    }

    /** Returns the database name. */
    public String database() {
        return database;
    }

    /** Returns the table name. */
    public String table() {
        return table;
    }

    /**
     * Returns the topic this table is bound to by {@code _kafka_topic String ALIAS '<topic>'} (or MATERIALIZED): a
     * table that only that topic may write exactly once, without storing the topic in every row. {@code null} when
     * the table has no such column.
     */
    public String boundTopic() {
        return constants.get(KafkaCoordinates.TOPIC);
    }

    /**
     * Returns the value of an ALIAS or MATERIALIZED column whose expression is a string literal, or {@code null}
     * if the table has no such column.
     */
    public String constant(String column) {
        return constants.get(column);
    }

    /** Returns the insertable columns in table order. */
    public List<Column> columns() {
        return columns;
    }

    /** Returns the column types in table order. */
    public List<ClickHouseType> columnTypes() {
        List<ClickHouseType> types = new ArrayList<>(columns.size());
        for (Column c : columns) {
            types.add(c.type());
        }
        return types;
    }

    /** Returns the position of a column, or -1 if the table has no insertable column of that name. */
    public int indexOf(String column) {
        Integer i = index.get(column);
        return i == null ? -1 : i;
    }

    /** Returns {@code `database`.`table`}, quoted for SQL. */
    public String qualifiedName() {
        return Sql.quoteIdentifier(database) + "." + Sql.quoteIdentifier(table);
    }

    @Override
    public String toString() {
        return database + "." + table;
    }
}
