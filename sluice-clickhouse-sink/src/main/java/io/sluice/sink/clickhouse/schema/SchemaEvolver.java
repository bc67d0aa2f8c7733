package io.sluice.sink.clickhouse.schema;

import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
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
 *
 * <p>Problems of one record are {@link FieldRefusedException}s, so that with {@code errors.tolerance=all} the
 * task dead-letters that record and goes on (issue 13, case 8): a field name that cannot be a column
 * ({@link ColumnNames}, or one the server refuses with SYNTAX_ERROR, ILLEGAL_COLUMN or BAD_ARGUMENTS, remembered
 * per table so later records are refused without another ALTER), a field no column type fits, and new fields that
 * would take the table past {@code schema.evolution.max.columns}. These are checked before the task flushes the
 * batch for the ALTER, so a stream of such records costs no inserts.
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

    /** Server codes that refuse a column for its name: SYNTAX_ERROR, ILLEGAL_COLUMN (e.g. an ALIAS of that name), BAD_ARGUMENTS. */
    private static final Set<Integer> NAME_REFUSALS = Set.of(62, 44, 36);

    private static final Logger log = LoggerFactory.getLogger(SchemaEvolver.class);
    private static final int MAX_CACHED_SCHEMAS = 256;
    private static final int MAX_REMEMBERED_REFUSALS = 1024;

    private final ClickHouseClient client;
    private final TableCatalog catalog;
    private final String cluster;
    private final int maxColumns;
    /** Connect schemas known to have a column for every field, and the table schema they were checked against. */
    private final Map<Schema, TableSchema> complete = new IdentityHashMap<>();
    /** Field names the server refused as columns, per table ({@code db.table}), with the server's reason. */
    private final Map<String, Map<String, String>> refused = new HashMap<>();

    /**
     * @param client     client for ALTER TABLE
     * @param catalog    catalog to refresh after a change
     * @param maxColumns {@code schema.evolution.max.columns}: the most insertable columns a table may reach, {@code >= 1}
     */
    public SchemaEvolver(ClickHouseClient client, TableCatalog catalog, int maxColumns) {
        this(client, catalog, maxColumns, "");
    }

    /**
     * @param client     client for ALTER TABLE
     * @param catalog    catalog to refresh after a change
     * @param maxColumns {@code schema.evolution.max.columns}: the most insertable columns a table may reach, {@code >= 1}
     * @param cluster    {@code clickhouse.cluster}: when not empty, each ALTER runs {@code ON CLUSTER}, which returns
     *                   once every replica has the column, so the next DESCRIBE sees it whichever replica answers
     */
    public SchemaEvolver(ClickHouseClient client, TableCatalog catalog, int maxColumns, String cluster) {
        this.client = client;
        this.catalog = catalog;
        this.maxColumns = maxColumns;
        this.cluster = cluster;
    }

    /**
     * Returns true if the value has a field (with a value, for schemaless JSON) that the table has no column for,
     * and those fields can be added.
     *
     * @param table the table's current schema
     * @param value a Struct or a Map; anything else has no fields
     * @throws FieldRefusedException if a new field's name cannot be a column, or the new fields would take the
     *                                 table past {@code schema.evolution.max.columns}
     */
    public boolean hasNewFields(TableSchema table, Object value) throws FieldRefusedException {
        List<String> fresh = newFields(table, value);
        if (fresh.isEmpty()) {
            return false;
        }
        requireAddable(table, fresh);
        return true;
    }

    private List<String> newFields(TableSchema table, Object value) {
        List<String> fresh = List.of();
        if (value instanceof Struct) {
            Schema s = ((Struct) value).schema();
            if (complete.get(s) == table) {
                return fresh;
            }
            for (Field f : s.fields()) {
                if (table.indexOf(f.name()) < 0) {
                    fresh = add(fresh, f.name());
                }
            }
            if (fresh.isEmpty()) {
                if (complete.size() >= MAX_CACHED_SCHEMAS) {
                    complete.clear();
                }
                complete.put(s, table);
            }
        } else if (value instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                String name = String.valueOf(e.getKey());
                if (e.getValue() != null && table.indexOf(name) < 0) {
                    fresh = add(fresh, name);
                }
            }
        }
        return fresh;
    }

    private static List<String> add(List<String> list, String name) {
        List<String> out = list.isEmpty() ? new ArrayList<>() : list;
        out.add(name);
        return out;
    }

    private void requireAddable(TableSchema table, List<String> fresh) throws FieldRefusedException {
        Map<String, String> known = refused.get(table.toString());
        for (String name : fresh) {
            String why = ColumnNames.refusal(name);
            if (why == null && known != null) {
                why = known.get(name);
            }
            if (why != null) {
                throw new FieldRefusedException(null, "schema evolution cannot add a column for field '"
                        + abbreviate(name) + "': " + why);
            }
        }
        if (table.columns().size() + fresh.size() > maxColumns) {
            throw new FieldRefusedException(null, "schema evolution would take " + table + " from "
                    + table.columns().size() + " to " + (table.columns().size() + fresh.size()) + " columns (new fields "
                    + abbreviate(fresh.toString()) + "), past schema.evolution.max.columns=" + maxColumns
                    + "; no column was added. Raise the option if the table should grow, or drop such fields before "
                    + "the sink (a Single Message Transform such as ReplaceField)");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...(" + s.length() + " characters)";
    }

    /**
     * Adds a column for every new field of the value and returns the table's refreshed schema.
     *
     * @param table the table's current schema
     * @param value a Struct or a Map
     * @param typer chooses each new column's type
     * @return the schema read back from the server
     * @throws FieldRefusedException if the record's fields cannot be added (see {@link #hasNewFields}), no type
     *                                 fits a field, or the server refused a column for its name (the other new
     *                                 columns are added)
     * @throws ClickHouseException     if an ALTER fails otherwise and the column is still missing, or DESCRIBE fails
     */
    public TableSchema addColumns(TableSchema table, Object value, ColumnTyper typer)
            throws ClickHouseException, FieldRefusedException {
        requireAddable(table, newFields(table, value));
        Map<String, String> added = new LinkedHashMap<>();
        String typing = null;
        try {
            if (value instanceof Struct) {
                for (Field f : ((Struct) value).schema().fields()) {
                    if (table.indexOf(f.name()) < 0) {
                        typing = f.name();
                        added.put(f.name(), typer.typeOf(f.name(), f.schema()));
                    }
                }
            } else if (value instanceof Map) {
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    String name = String.valueOf(e.getKey());
                    if (e.getValue() != null && table.indexOf(name) < 0) {
                        typing = name;
                        added.put(name, typer.typeOf(name, e.getValue()));
                    }
                }
            }
        } catch (DataException e) {
            throw new FieldRefusedException(typing, "schema evolution cannot type the new field: " + e.getMessage());
        }
        Map<String, ClickHouseException> failed = new LinkedHashMap<>();
        for (Map.Entry<String, String> c : added.entrySet()) {
            String sql = "ALTER TABLE " + table.qualifiedName() + TableCreator.onCluster(cluster) + " ADD COLUMN "
                    + Sql.quoteIdentifier(c.getKey()) + " " + c.getValue();
            try {
                client.query(sql);
                log.info("Schema evolution: {}", sql);
            } catch (ClickHouseException e) {
                failed.put(c.getKey(), e); // perhaps added concurrently by another task; DESCRIBE decides
            }
        }
        catalog.invalidate(table.database(), table.table());
        TableSchema now = catalog.get(table.database(), table.table());
        if (now == null) {
            throw new IllegalStateException("table " + table + " disappeared while adding columns " + added.keySet());
        }
        String refusal = null;
        for (Map.Entry<String, ClickHouseException> f : failed.entrySet()) {
            if (now.indexOf(f.getKey()) >= 0) {
                continue;
            }
            ClickHouseException e = f.getValue();
            if (e.retriable() || !NAME_REFUSALS.contains(e.code())) {
                throw e;
            }
            String why = "ClickHouse refused it: " + e.getMessage();
            remember(table, f.getKey(), why);
            log.warn("Schema evolution: {} refused a column for field '{}': {}", table, abbreviate(f.getKey()),
                    e.getMessage());
            if (refusal == null) {
                refusal = "schema evolution cannot add a column for field '" + abbreviate(f.getKey()) + "': " + why;
            }
        }
        if (refusal != null) {
            throw new FieldRefusedException(null, refusal);
        }
        return now;
    }

    private void remember(TableSchema table, String name, String why) {
        Map<String, String> known = refused.computeIfAbsent(table.toString(), k -> new HashMap<>());
        if (known.size() >= MAX_REMEMBERED_REFUSALS) {
            known.clear();
        }
        known.put(name, why);
    }
}
