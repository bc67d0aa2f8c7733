package io.sluice.sink.clickhouse.task;

import io.sluice.sink.clickhouse.ClickHouseSinkConfig;
import io.sluice.sink.clickhouse.encode.RecordEncoder;
import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.TableCatalog;
import io.sluice.sink.clickhouse.schema.TableEngine;
import io.sluice.sink.clickhouse.schema.TableSchema;
import io.sluice.sink.clickhouse.writer.BoundedRetry;
import io.sluice.sink.clickhouse.writer.EngineCheck;
import io.sluice.sink.clickhouse.writer.ReplicaConsistency;
import io.sluice.sink.clickhouse.writer.TableBuffer;
import io.sluice.sink.clickhouse.writer.WrittenOffsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each topic to its table's batch: at a topic's first record, reads the table's structure (or creates the
 * table with {@code table.auto.create}), checks that the table can take the topic's rows, and keeps one
 * {@link TableBuffer} per table. Under exactly-once the checks include the engine ({@link EngineCheck}) and the
 * coordinate columns ({@link WrittenOffsets#requireCoordinates}). Every refusal names the table and the fix.
 */
public final class TableRouter {

    private static final Logger log = LoggerFactory.getLogger(TableRouter.class);

    private final ClickHouseSinkConfig config;
    private final ClickHouseClient client;
    private final TableCatalog catalog;
    private final BoundedRetry retry;
    private final BiConsumer<TableSchema, ReplicaConsistency> consistencyFound;
    private final Map<String, TableBuffer> batches = new HashMap<>();
    private final Map<String, TableBuffer> batchByTopic = new HashMap<>();

    /**
     * @param config  database, auto-create, delivery guarantee and unknown-field handling
     * @param client  client for the engine check and DDL
     * @param catalog cached table structures
     * @param retry   retries reads and DDL up to {@code retry.timeout.ms}
     * @param consistencyFound told, under exactly-once, how each table is written and checked across replicas
     *                ({@link ReplicaConsistency}), before its first row
     */
    public TableRouter(ClickHouseSinkConfig config, ClickHouseClient client, TableCatalog catalog, BoundedRetry retry,
                       BiConsumer<TableSchema, ReplicaConsistency> consistencyFound) {
        this.config = config;
        this.client = client;
        this.catalog = catalog;
        this.retry = retry;
        this.consistencyFound = consistencyFound;
    }

    /** Returns the batch that a topic's records go to, or {@code null} before the topic's first record. */
    public TableBuffer forTopic(String topic) {
        return batchByTopic.get(topic);
    }

    /** Returns one batch per table. */
    public Collection<TableBuffer> batches() {
        return batches.values();
    }

    /** Returns an encoder for a table's current columns. */
    public RecordEncoder encoderFor(TableSchema table) {
        return new RecordEncoder(table, config.failOnUnknownFields(), config.timeNumbers());
    }

    /**
     * Returns the batch for a record's topic, reading, creating and checking its table at the topic's first record.
     *
     * @param record the original record
     * @param mode   the ingest mode that read it
     * @param read   the record as the mode read it
     * @throws ConnectException if the table is missing and {@code table.auto.create} is off, cannot be read or
     *                          created, or cannot take the topic's rows (each message says why and what to do)
     */
    public <R> TableBuffer route(SinkRecord record, IngestMode<R> mode, R read) {
        TableBuffer b = batchByTopic.get(record.topic());
        if (b != null) {
            return b;
        }
        String table = mode.table(read, record.topic());
        b = batches.get(table);
        if (b == null) {
            TableSchema schema = loadOrCreate(table, record, mode, read);
            if (config.exactlyOnce()) {
                requireSafeEngine(schema);
            }
            b = new TableBuffer(encoderFor(schema), config.toleratesErrors()); // records kept for the DLQ
            batches.put(table, b);
        }
        try {
            if (config.exactlyOnce()) {
                WrittenOffsets.requireCoordinates(b.schema(), record.topic());
            }
            mode.requireSameOrigin(b.schema(), read, record.topic());
        } catch (IllegalStateException | DataException e) {
            throw new ConnectException(e.getMessage());
        }
        log.info("Topic {} writes to {} ({} columns)", record.topic(), b.schema(), b.schema().columns().size());
        batchByTopic.put(record.topic(), b);
        return b;
    }

    private void requireSafeEngine(TableSchema schema) {
        try {
            ReplicaConsistency c = retry.call("Reading the engine of " + schema, () -> {
                TableEngine engine = EngineCheck.require(client, schema);
                return engine == null ? ReplicaConsistency.LOCAL
                        : ReplicaConsistency.of(client, schema, engine, config.insertQuorum());
            });
            consistencyFound.accept(schema, c);
            log.info("{} is written and checked for {}", schema, c);
        } catch (IllegalStateException e) {
            throw new ConnectException(e.getMessage());
        } catch (ClickHouseException e) {
            throw new ConnectException("cannot read the engine of " + schema + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while reading the engine of " + schema, e);
        }
    }

    private <R> TableSchema loadOrCreate(String table, SinkRecord first, IngestMode<R> mode, R read) {
        String db = config.database();
        try {
            TableSchema s = retry.call("Reading the structure of " + table, () -> catalog.get(db, table));
            if (s == null) {
                if (!config.autoCreate()) {
                    throw new ConnectException("table " + db + "." + table + " (for topic " + first.topic()
                            + ") does not exist; create it, or set " + ClickHouseSinkConfig.AUTO_CREATE + "=true");
                }
                String ddl = mode.createTableSql(db, table, read);
                log.info("Creating table: {}", ddl);
                retry.call("Creating " + table, () -> client.query(ddl));
                catalog.invalidate(db, table);
                s = retry.call("Reading the structure of " + table, () -> catalog.get(db, table));
                if (s == null) {
                    throw new ConnectException("table " + db + "." + table + " was created but the server that "
                            + "answered next does not have it; behind a load balancer, set clickhouse.cluster so the "
                            + "table is created ON CLUSTER, or create it on every server yourself");
                }
            }
            mode.prepare(s);
            return s;
        } catch (ClickHouseException e) {
            throw new ConnectException("cannot read or create table " + db + "." + table + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while reading table " + table, e);
        } catch (DataException | IllegalArgumentException e) {
            throw new ConnectException("cannot use table " + db + "." + table + ": " + e.getMessage(), e);
        }
    }

    /** Forgets every table, as the task stops. */
    public void clear() {
        batches.clear();
        batchByTopic.clear();
    }
}
