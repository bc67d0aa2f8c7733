package io.sluice.sink.clickhouse.cdc;

import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.Sql;
import io.sluice.sink.clickhouse.schema.TableCatalog;
import io.sluice.sink.clickhouse.schema.TableEngine;
import io.sluice.sink.clickhouse.schema.TableSchema;
import io.sluice.sink.clickhouse.schema.TypeMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.errors.DataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ClickHouse side of a CDC table: its DDL and its current-state view.
 *
 * <p>Table: the row image's columns, then {@code _version UInt64}, {@code _deleted UInt8},
 * {@code _source_table String ALIAS '<database>.<table>'}, which names the one source table the table belongs to
 * (no bytes per row; {@link #requireSameSource}), and, when the first event names its binlog's origin,
 * {@code _binlog_origin String ALIAS '<origin>'} ({@link OriginGuard});
 * {@code ENGINE = ReplacingMergeTree(_version)} ordered by the key columns (ClickHouse docs, "ReplacingMergeTree":
 * rows with the same sorting key collapse to the one with the highest version, at merge time or with FINAL).
 * View {@code <table>_current}: {@code SELECT <data columns> FROM <table> FINAL WHERE _deleted = 0}. The view names
 * its columns, because a view's {@code SELECT *} is expanded when it is created (checked on 18.16); after a column
 * is added the view is replaced. 18.16 has neither {@code CREATE OR REPLACE VIEW} nor {@code EXCHANGE TABLES}, so
 * a new view is created under a temporary name and swapped in with one {@code RENAME TABLE}, which leaves no moment
 * without a view.
 */
public final class CdcTables {

    /** Suffix of the current-state view. */
    public static final String VIEW_SUFFIX = "_current";
    /** ALIAS column of created tables: the source table, {@code <database>.<table>}, whose rows the table holds. */
    public static final String SOURCE_TABLE = "_source_table";
    /** ALIAS column: the {@link BinlogOrigin} whose binlog the rows' {@code _version} comes from ({@link OriginGuard}). */
    public static final String ORIGIN = "_binlog_origin";

    private static final Logger log = LoggerFactory.getLogger(CdcTables.class);

    private final ClickHouseClient client;
    private final TypeMapping types;

    /**
     * @param client client for DDL and DESCRIBE
     * @param types  the type mapping for new columns
     */
    public CdcTables(ClickHouseClient client, TypeMapping types) {
        this.client = client;
        this.types = types;
    }

    /**
     * Returns the DDL of a CDC table shaped like the event's row image.
     *
     * @param database    database
     * @param table       table
     * @param event       the first event; its key columns become the sorting key
     * @param partitionBy PARTITION BY expression, or empty. Rows collapse only within a partition, so it must use
     *                    columns that never change (for example the key)
     * @throws DataException if a column's type cannot be mapped, or a key column is missing from the row image
     */
    public String createTableSql(String database, String table, ChangeEvent event, String partitionBy) {
        List<String> cols = new ArrayList<>();
        for (Field f : event.rowSchema().fields()) {
            boolean key = event.keyColumns().contains(f.name());
            cols.add(Sql.quoteIdentifier(f.name()) + " " + types.columnType(f.name(), f.schema(), key));
        }
        List<String> order = new ArrayList<>();
        for (String k : event.keyColumns()) {
            if (event.rowSchema().field(k) == null) {
                throw new DataException("key column '" + k + "' is not a column of the change events of "
                        + event.sourceTable());
            }
            order.add(Sql.quoteIdentifier(k));
        }
        cols.add(Sql.quoteIdentifier(ChangeRowConverter.VERSION) + " UInt64");
        cols.add(Sql.quoteIdentifier(ChangeRowConverter.DELETED) + " UInt8");
        cols.add(Sql.quoteIdentifier(SOURCE_TABLE) + " String ALIAS " + Sql.quoteString(sourceOf(event)));
        if (event.origin() != null) {
            cols.add(Sql.quoteIdentifier(ORIGIN) + " String ALIAS " + Sql.quoteString(event.origin().toString()));
        }
        return "CREATE TABLE IF NOT EXISTS " + Sql.quoteIdentifier(database) + "." + Sql.quoteIdentifier(table)
                + " (" + String.join(", ", cols) + ") ENGINE = ReplacingMergeTree(" + ChangeRowConverter.VERSION + ")"
                + (partitionBy.isEmpty() ? "" : " PARTITION BY " + partitionBy)
                + " ORDER BY (" + String.join(", ", order) + ")";
    }

    /**
     * Checks that a table can take change rows: it needs {@code _version} and {@code _deleted} columns.
     *
     * @throws DataException naming the table and the ALTER that fixes it
     */
    public static void requireCdcColumns(TableSchema schema) {
        if (schema.indexOf(ChangeRowConverter.VERSION) < 0 || schema.indexOf(ChangeRowConverter.DELETED) < 0) {
            throw new DataException("table " + schema + " has no _version and _deleted columns, which "
                    + "ingest.mode=debezium writes. Create it as a ReplacingMergeTree(_version) ordered by the source "
                    + "primary key with _version UInt64 and _deleted UInt8 columns, or drop it and set "
                    + "table.auto.create=true");
        }
    }

    /**
     * Checks that the event's source table is the one the table belongs to, when the table names it in
     * {@code _source_table}. Two source tables of one name in different databases ({@code shop.orders},
     * {@code billing.orders}) map to one ClickHouse table by default, where equal keys would overwrite each other.
     *
     * @throws DataException naming both source tables and the setting that separates them
     */
    public static void requireSameSource(TableSchema schema, ChangeEvent event, String topic) {
        String owner = schema.constant(SOURCE_TABLE);
        String source = sourceOf(event);
        if (owner != null && !owner.equals(source)) {
            throw new DataException("table " + schema + " holds the rows of source table " + owner + ", but topic "
                    + topic + " carries source table " + source + ": rows of equal keys would overwrite each other. "
                    + "Name a table per source table with topic.to.table (for example " + topic + "="
                    + event.sourceDatabase() + "_" + event.sourceTable() + ")");
        }
    }

    private static String sourceOf(ChangeEvent event) {
        return event.sourceDatabase() + "." + event.sourceTable();
    }

    /** Returns the current-state view SQL for a table: its data columns, FINAL, without deleted rows. */
    public static String viewSelect(TableSchema schema) {
        return "SELECT " + String.join(", ", quoted(dataColumns(schema))) + " FROM " + schema.qualifiedName()
                + " FINAL WHERE " + ChangeRowConverter.DELETED + " = 0";
    }

    /** Returns the table's columns other than {@code _version} and {@code _deleted}, in table order. */
    public static List<String> dataColumns(TableSchema schema) {
        List<String> names = new ArrayList<>();
        for (Column c : schema.columns()) {
            if (!c.name().equals(ChangeRowConverter.VERSION) && !c.name().equals(ChangeRowConverter.DELETED)) {
                names.add(c.name());
            }
        }
        return names;
    }

    /**
     * Creates the view {@code <table>_current}, or replaces it when its columns differ from the table's data
     * columns (after columns were added). Tasks that race converge: each re-reads both after replacing.
     *
     * @param schema the table's current schema
     * @throws ClickHouseException if the server refuses
     */
    public void ensureView(TableSchema schema) throws ClickHouseException {
        String view = schema.table() + VIEW_SUFFIX;
        String qualified = Sql.quoteIdentifier(schema.database()) + "." + Sql.quoteIdentifier(view);
        List<String> want = dataColumns(schema);
        for (int attempt = 0; attempt < 3; attempt++) {
            List<String> have = viewColumns(qualified);
            if (want.equals(have)) {
                return;
            }
            if (have == null) {
                client.query("CREATE VIEW IF NOT EXISTS " + qualified + " AS " + viewSelect(schema));
                log.info("Created view {}.{} of the current state of {}", schema.database(), view, schema);
                continue;
            }
            requireView(schema.database(), view);
            String suffix = "_sluice_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
            String fresh = Sql.quoteIdentifier(schema.database()) + "." + Sql.quoteIdentifier(view + suffix + "_new");
            String old = Sql.quoteIdentifier(schema.database()) + "." + Sql.quoteIdentifier(view + suffix + "_old");
            client.query("CREATE VIEW " + fresh + " AS " + viewSelect(schema));
            try {
                client.query("RENAME TABLE " + qualified + " TO " + old + ", " + fresh + " TO " + qualified);
                client.query("DROP TABLE IF EXISTS " + old);
                log.info("Replaced view {}.{}: columns {}", schema.database(), view, want);
            } catch (ClickHouseException e) {
                client.query("DROP TABLE IF EXISTS " + fresh); // another task swapped first; re-check
            }
        }
        List<String> have = viewColumns(qualified);
        if (!want.equals(have)) {
            throw ClickHouseException.fromServer(0, 0, "view " + qualified + " still has columns " + have
                    + " instead of " + want);
        }
    }

    /**
     * Refuses to replace anything but a view: a source table named {@code x_current}, or a user's table, must never
     * be renamed away and dropped.
     */
    private void requireView(String database, String name) throws ClickHouseException {
        TableEngine e = TableEngine.read(client, database, name);
        String engine = e == null ? "" : e.engine();
        if (!engine.equals("View")) {
            throw new DataException(database + "." + name + " is a " + engine + " table, not the current-state view "
                    + "the sink keeps for " + database + "." + name.substring(0, name.length() - VIEW_SUFFIX.length())
                    + "; the sink replaces only views. Rename that table, or map the source table to another name "
                    + "with topic.to.table");
        }
    }

    private List<String> viewColumns(String qualifiedView) throws ClickHouseException {
        List<List<String>> rows;
        try {
            rows = client.queryRows("DESCRIBE TABLE " + qualifiedView);
        } catch (ClickHouseException e) {
            if (e.code() == TableCatalog.UNKNOWN_TABLE) {
                return null;
            }
            throw e;
        }
        List<String> names = new ArrayList<>();
        for (List<String> r : rows) {
            names.add(r.get(0));
        }
        return names;
    }

    private static List<String> quoted(List<String> names) {
        List<String> q = new ArrayList<>();
        for (String n : names) {
            q.add(Sql.quoteIdentifier(n));
        }
        return q;
    }
}
