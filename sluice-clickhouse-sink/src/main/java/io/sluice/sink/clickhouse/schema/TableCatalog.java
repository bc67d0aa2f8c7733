package io.sluice.sink.clickhouse.schema;

import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and caches the insertable columns of target tables with {@code DESCRIBE TABLE}, whose first three
 * columns (name, type, default_type, default_expression) are the same on 18.16 and on current releases. The cache entry is dropped
 * with {@link #invalidate} when the server reports an unknown column or a changed structure.
 */
public final class TableCatalog {

    /** ClickHouse error code UNKNOWN_TABLE. */
    public static final int UNKNOWN_TABLE = 60;

    private final ClickHouseClient client;
    private final Map<String, TableSchema> cache = new HashMap<>();

    /** @param client the client used for DESCRIBE */
    public TableCatalog(ClickHouseClient client) {
        this.client = client;
    }

    /**
     * Returns the schema of a table, from the cache or the server.
     *
     * @param database database name
     * @param table    table name
     * @return the schema, or {@code null} if the table does not exist
     * @throws ClickHouseException      if the server cannot be asked
     * @throws IllegalArgumentException if a column type cannot be encoded, naming the column
     */
    public TableSchema get(String database, String table) throws ClickHouseException {
        String key = database + "." + table;
        TableSchema s = cache.get(key);
        if (s == null) {
            s = describe(database, table);
            if (s != null) {
                cache.put(key, s);
            }
        }
        return s;
    }

    /** Forgets the cached schema of a table, so the next {@link #get} reads it again. */
    public void invalidate(String database, String table) {
        cache.remove(database + "." + table);
    }

    private TableSchema describe(String database, String table) throws ClickHouseException {
        List<List<String>> rows;
        try {
            rows = client.queryRows("DESCRIBE TABLE " + Sql.quoteIdentifier(database) + "." + Sql.quoteIdentifier(table));
        } catch (ClickHouseException e) {
            if (e.code() == UNKNOWN_TABLE) {
                return null;
            }
            throw e;
        }
        List<Column> columns = new ArrayList<>();
        Map<String, String> constants = new HashMap<>();
        for (List<String> r : rows) {
            String kind = r.size() > 2 ? r.get(2) : "";
            if (kind.equals("MATERIALIZED") || kind.equals("ALIAS") || kind.equals("EPHEMERAL")) {
                String value = r.size() > 3 ? Sql.unquoteString(r.get(3)) : null;
                if (value != null) {
                    constants.put(r.get(0), value);
                }
                continue;
            }
            ClickHouseType type;
            try {
                type = ClickHouseTypeParser.parse(r.get(1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("column '" + r.get(0) + "' of " + database + "." + table + ": "
                        + e.getMessage(), e);
            }
            columns.add(new Column(r.get(0), type, kind.equals("DEFAULT")));
        }
        return new TableSchema(database, table, columns, constants);
    }
}
