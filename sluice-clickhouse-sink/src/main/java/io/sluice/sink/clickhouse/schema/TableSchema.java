package io.sluice.sink.clickhouse.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The insertable columns of one ClickHouse table, in table order. {@code MATERIALIZED} and {@code ALIAS} columns
 * are excluded because the server computes them and rejects inserts into them.
 */
public final class TableSchema {

    private final String database;
    private final String table;
    private final List<Column> columns;
    private final Map<String, Integer> index = new HashMap<>();

    /**
     * @param database database name
     * @param table    table name
     * @param columns  insertable columns in table order; must not be empty
     * @throws IllegalArgumentException if there are no columns
     */
    public TableSchema(String database, String table, List<Column> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table " + database + "." + table + " has no insertable columns");
        }
        this.database = database;
        this.table = table;
        this.columns = List.copyOf(columns);
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
