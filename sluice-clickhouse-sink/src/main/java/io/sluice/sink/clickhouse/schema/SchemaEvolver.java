package io.sluice.sink.clickhouse.schema;

import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds columns to a table when records gain fields ({@code schema.evolution=add_columns}).
 *
 * <p>A field is new when the table has no column of its name. Struct fields are typed from their Connect schema;
 * schemaless JSON fields from their value, and a field whose value is null waits for a record with a value. Each
 * column is added with its own {@code ALTER TABLE ... ADD COLUMN}: ClickHouse 18.16 has no {@code IF NOT EXISTS}
 * there, so a column that another task added meanwhile (the ALTER fails) is accepted once {@code DESCRIBE} shows it.
 * Existing rows read the type's default (NULL for Nullable). Checks of Struct values are cached per Connect schema
 * object, which converters reuse, so the steady-state cost is one identity lookup per record.
 */
public final class SchemaEvolver {

    /** Chooses a column type for a new field. */
    public interface ColumnTyper {
        /**
         * Returns the ClickHouse type for a Struct field.
         *
         * @throws org.apache.kafka.connect.errors.DataException if no type fits
         */
        String typeOf(String column, Schema schema);

        /**
         * Returns the ClickHouse type for a schemaless JSON value (never null).
         *
         * @throws org.apache.kafka.connect.errors.DataException if no type fits
         */
        String typeOf(String column, Object value);
    }

    private static final Logger log = LoggerFactory.getLogger(SchemaEvolver.class);
    private static final int MAX_CACHED_SCHEMAS = 256;

    private final ClickHouseClient client;
    private final TableCatalog catalog;
    private final String cluster;
    /** Connect schemas known to have a column for every field, and the table schema they were checked against. */
    private final Map<Schema, TableSchema> complete = new IdentityHashMap<>();

    /**
     * @param client  client for ALTER TABLE
     * @param catalog catalog to refresh after a change
     */
    public SchemaEvolver(ClickHouseClient client, TableCatalog catalog) {
        this(client, catalog, "");
    }

    /**
     * @param client  client for ALTER TABLE
     * @param catalog catalog to refresh after a change
     * @param cluster {@code clickhouse.cluster}: when not empty, each ALTER runs {@code ON CLUSTER}, which returns
     *                once every replica has the column, so the next DESCRIBE sees it whichever replica answers
     */
    public SchemaEvolver(ClickHouseClient client, TableCatalog catalog, String cluster) {
        this.client = client;
        this.catalog = catalog;
        this.cluster = cluster;
    }

    /**
     * Returns true if the value has a field (with a value, for schemaless JSON) that the table has no column for.
     *
     * @param table the table's current schema
     * @param value a Struct or a Map; anything else has no fields
     */
    public boolean hasNewFields(TableSchema table, Object value) {
        if (value instanceof Struct) {
            Schema s = ((Struct) value).schema();
            if (complete.get(s) == table) {
                return false;
            }
            for (Field f : s.fields()) {
                if (table.indexOf(f.name()) < 0) {
                    return true;
                }
            }
            if (complete.size() >= MAX_CACHED_SCHEMAS) {
                complete.clear();
            }
            complete.put(s, table);
            return false;
        }
        if (value instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (e.getValue() != null && table.indexOf(String.valueOf(e.getKey())) < 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Adds a column for every new field of the value and returns the table's refreshed schema.
     *
     * @param table the table's current schema
     * @param value a Struct or a Map
     * @param typer chooses each new column's type
     * @return the schema read back from the server
     * @throws ClickHouseException if an ALTER fails and the column is still missing, or DESCRIBE fails
     * @throws org.apache.kafka.connect.errors.DataException if a field's type cannot be mapped
     */
    public TableSchema addColumns(TableSchema table, Object value, ColumnTyper typer) throws ClickHouseException {
        Map<String, String> added = new LinkedHashMap<>();
        if (value instanceof Struct) {
            for (Field f : ((Struct) value).schema().fields()) {
                if (table.indexOf(f.name()) < 0) {
                    added.put(f.name(), typer.typeOf(f.name(), f.schema()));
                }
            }
        } else if (value instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                String name = String.valueOf(e.getKey());
                if (e.getValue() != null && table.indexOf(name) < 0) {
                    added.put(name, typer.typeOf(name, e.getValue()));
                }
            }
        }
        List<String> failed = new ArrayList<>();
        ClickHouseException last = null;
        for (Map.Entry<String, String> c : added.entrySet()) {
            String sql = "ALTER TABLE " + table.qualifiedName() + TableCreator.onCluster(cluster) + " ADD COLUMN " + Sql.quoteIdentifier(c.getKey())
                    + " " + c.getValue();
            try {
                client.query(sql);
                log.info("Schema evolution: {}", sql);
            } catch (ClickHouseException e) {
                failed.add(c.getKey()); // perhaps added concurrently by another task; DESCRIBE decides
                last = e;
            }
        }
        catalog.invalidate(table.database(), table.table());
        TableSchema now = catalog.get(table.database(), table.table());
        if (now == null) {
            throw new IllegalStateException("table " + table + " disappeared while adding columns " + added.keySet());
        }
        for (String c : failed) {
            if (now.indexOf(c) < 0) {
                throw last;
            }
        }
        return now;
    }
}
