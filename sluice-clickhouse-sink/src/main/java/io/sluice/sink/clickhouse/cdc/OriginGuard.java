package io.sluice.sink.clickhouse.cdc;

import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.Sql;
import io.sluice.sink.clickhouse.schema.TableSchema;
import io.sluice.sink.clickhouse.writer.BoundedRetry;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the task before it writes a change whose binlog origin differs from the one its table's versions come from
 * (issue 13, case 11; ARCHITECTURE.md, "CDC into ClickHouse", "Binlog origin").
 *
 * <p>The origin is remembered in the table itself, as {@code _binlog_origin String ALIAS '<origin>'}: written into
 * the DDL when the first event that names an origin creates the table, or added with one
 * {@code ALTER TABLE ... ADD COLUMN} by the first such event of a table without it (created by an older sink, by a
 * snapshot, or by hand). It costs no bytes per row, every task reads it with the table's structure at start, so a
 * restarted or rebalanced task checks against it too, and two tasks racing to add it converge: the second ALTER
 * fails and both re-read the one the server kept. The operator can accept a new origin by changing the alias
 * (the message says how). Events without an origin (snapshot reads, {@code server_id} 0) are not checked.
 */
public final class OriginGuard {

    private static final Logger log = LoggerFactory.getLogger(OriginGuard.class);

    private final ClickHouseClient client;
    private final BoundedRetry retry;
    /** Fast path: the origin of the table a schema object describes. */
    private final Map<TableSchema, BinlogOrigin> bySchema = new IdentityHashMap<>();
    /** The origin per table ({@code db.table}), across schema objects replaced by schema evolution. */
    private final Map<String, BinlogOrigin> byTable = new HashMap<>();

    /**
     * @param client client for reading and adding the origin column
     * @param retry  bounds retries of those requests ({@code retry.timeout.ms})
     */
    public OriginGuard(ClickHouseClient client, BoundedRetry retry) {
        this.client = client;
        this.retry = retry;
    }

    /**
     * Checks that an event's binlog origin is its table's; records the origin in the table if it has none yet.
     * Costs an identity lookup per event once the table's origin is known.
     *
     * @param schema the table's schema (its constants carry a stored origin)
     * @param event  the change event
     * @param record the record carrying it, for the message
     * @return {@code null} if the origins agree or the event names none; else a message naming both origins and
     *         how to re-snapshot
     * @throws ConnectException if the origin cannot be read or stored within {@code retry.timeout.ms}
     */
    public String change(TableSchema schema, ChangeEvent event, SinkRecord record) {
        BinlogOrigin origin = event.origin();
        if (origin == null) {
            return null;
        }
        BinlogOrigin table = bySchema.get(schema);
        if (table == null) {
            table = tableOrigin(schema, origin);
            if (bySchema.size() > 1000) {
                bySchema.clear();
            }
            bySchema.put(schema, table);
        }
        return table.sameAs(origin) ? null : changed(schema, table, event, record);
    }

    private BinlogOrigin tableOrigin(TableSchema schema, BinlogOrigin first) {
        String stored = schema.constant(CdcTables.ORIGIN);
        if (stored != null) {
            BinlogOrigin o = BinlogOrigin.parse(stored);
            if (o == null) {
                throw new ConnectException("column " + CdcTables.ORIGIN + " of " + schema + " is '" + stored + "', not "
                        + "of the form '" + first + "'; fix it with ALTER TABLE " + schema.qualifiedName()
                        + " MODIFY COLUMN " + CdcTables.ORIGIN + " String ALIAS " + Sql.quoteString(first.toString()));
            }
            return o;
        }
        BinlogOrigin known = byTable.get(schema.toString());
        if (known != null) {
            return known;
        }
        try {
            BinlogOrigin o = retry.call("Recording the binlog origin of " + schema, () -> claim(schema, first));
            byTable.put(schema.toString(), o);
            return o;
        } catch (ClickHouseException e) {
            throw new ConnectException("cannot record the binlog origin of " + schema + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while recording the binlog origin of " + schema, e);
        }
    }

    /** Adds the origin column unless another task did, and returns the origin the table now names. */
    private BinlogOrigin claim(TableSchema schema, BinlogOrigin first) throws ClickHouseException {
        BinlogOrigin stored = read(schema);
        if (stored != null) {
            return stored;
        }
        String alter = "ALTER TABLE " + schema.qualifiedName() + " ADD COLUMN " + Sql.quoteIdentifier(CdcTables.ORIGIN)
                + " String ALIAS " + Sql.quoteString(first.toString());
        String refused = null;
        try {
            client.query(alter);
            log.info("Table {} takes changes from binlog origin {}", schema, first);
        } catch (ClickHouseException e) {
            if (e.retriable()) {
                throw e;
            }
            refused = e.getMessage(); // perhaps another task added it first: read which
        }
        stored = read(schema);
        if (stored == null) {
            throw ClickHouseException.fromServer(0, 0, "column " + CdcTables.ORIGIN + " of " + schema + ", which "
                    + "records the binlog origin of its versions, is missing or not of the form '" + first + "'"
                    + (refused == null ? "" : " (" + refused + ")") + "; run " + alter);
        }
        return stored;
    }

    private BinlogOrigin read(TableSchema schema) throws ClickHouseException {
        for (List<String> r : client.queryRows("DESCRIBE TABLE " + schema.qualifiedName())) {
            if (r.get(0).equals(CdcTables.ORIGIN) && r.size() > 3) {
                return BinlogOrigin.parse(Sql.unquoteString(r.get(3)));
            }
        }
        return null;
    }

    private static String changed(TableSchema schema, BinlogOrigin table, ChangeEvent event, SinkRecord record) {
        String source = event.sourceDatabase() + "." + event.sourceTable();
        return "binlog origin changed: table " + schema + " holds changes of " + source + " versioned by the binlog of "
                + table + ", but record " + record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset()
                + " is a change from " + event.origin() + " (" + event.binlogFile() + "), as after a failover, a "
                + "replica promotion or an Aurora blue/green switchover. Binlog positions of different servers do not "
                + "compare, so its _version could be lower than that of the rows it replaces, and it would silently "
                + "lose in ReplacingMergeTree. The task stopped before writing it. To re-snapshot: stop this "
                + "connector; drop " + schema + " and " + schema.database() + "." + schema.table()
                + CdcTables.VIEW_SUFFIX + " in ClickHouse (or map the topic to a new table with topic.to.table); "
                + "take a new snapshot of " + source + " from the new server (a Debezium incremental snapshot, or a "
                + "source connector under a new name with snapshot.mode=initial); then resume this connector. If "
                + "only the server's id changed and its binlog went on, accept the new origin instead: ALTER TABLE "
                + schema.qualifiedName() + " MODIFY COLUMN " + CdcTables.ORIGIN + " String ALIAS "
                + Sql.quoteString(event.origin().toString()) + ", then restart the task";
    }
}
