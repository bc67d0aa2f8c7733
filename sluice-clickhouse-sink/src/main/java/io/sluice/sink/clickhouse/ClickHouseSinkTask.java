package io.sluice.sink.clickhouse;

import io.sluice.sink.clickhouse.cdc.CdcIngest;
import io.sluice.sink.clickhouse.cdc.ChangeEvent;
import io.sluice.sink.clickhouse.encode.RecordEncoder;
import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.http.ServerVersion;
import io.sluice.sink.clickhouse.schema.SchemaEvolver;
import io.sluice.sink.clickhouse.schema.TableCatalog;
import io.sluice.sink.clickhouse.schema.TableCreator;
import io.sluice.sink.clickhouse.schema.TableSchema;
import io.sluice.sink.clickhouse.writer.BatchInserter;
import io.sluice.sink.clickhouse.writer.PartitionLedger;
import io.sluice.sink.clickhouse.writer.TableBatch;
import io.sluice.sink.clickhouse.writer.WrittenOffsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes SinkRecords to ClickHouse. The path of one record: {@link #put} encodes it into its table's
 * {@link TableBatch} (RowBinary, in memory); the batch is inserted when it reaches {@code batch.max.rows},
 * {@code batch.max.bytes} or {@code flush.interval.ms}; {@link #preCommit} then lets Kafka Connect commit offsets
 * only up to the first row not yet in ClickHouse. A record that cannot be written goes to the dead-letter queue
 * when {@code errors.tolerance=all}, or fails the task with its topic, partition, offset, column and value.
 *
 * <p>Exactly-once ({@code delivery.guarantee=exactly_once}, the default): every row carries its record's Kafka
 * partition and offset. When a partition is assigned ({@link #open}), the first record delivered sits at the
 * committed offset; the task reads which offsets from there on are already rows (written by a task that failed
 * before its offsets were committed) and skips those records. An insert with an unknown outcome is retried only
 * for the rows that did not land ({@link BatchInserter}). See ARCHITECTURE.md, "Delivery guarantees".
 *
 * <p>With {@code ingest.mode=debezium}, {@link CdcIngest} turns each change event into a versioned row first
 * (ARCHITECTURE.md, "CDC into ClickHouse"). With schema evolution on, a record with a new field flushes its batch,
 * adds the column ({@link SchemaEvolver}) and goes on. An insert that the server refuses because a cached column
 * is gone (NO_SUCH_COLUMN_IN_TABLE) re-reads the table and rewinds the batch's partitions once, so its records are
 * encoded again for the current columns.
 */
public final class ClickHouseSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(ClickHouseSinkTask.class);
    /** ClickHouse error code NO_SUCH_COLUMN_IN_TABLE ("No such column x in table t"). */
    private static final int NO_SUCH_COLUMN_IN_TABLE = 16;

    private ClickHouseSinkConfig config;
    private ClickHouseClient client;
    private TableCatalog catalog;
    private TableCreator creator;
    private BatchInserter inserter;
    private CdcIngest cdc;
    private SchemaEvolver evolver;
    private ErrantRecordReporter reporter;
    private final Map<String, TableBatch> batches = new HashMap<>();
    private final Map<String, TableBatch> batchByTopic = new HashMap<>();
    /** Per partition, the offset after the last record handled (buffered, written, dead-lettered or skipped). */
    private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
    private final List<Future<Void>> pendingReports = new ArrayList<>();
    /** Partitions assigned but not yet checked against the table (exactly-once). */
    private final Set<TopicPartition> unchecked = new HashSet<>();
    /** Offsets already in the table after the resume position, per partition (exactly-once). */
    private final Map<TopicPartition, PartitionLedger> ledgers = new HashMap<>();
    /** Partitions rewound in this put() after a NO_SUCH_COLUMN_IN_TABLE; their later records come again. */
    private final Set<TopicPartition> rewound = new HashSet<>();
    /** Tables re-read after NO_SUCH_COLUMN_IN_TABLE and not inserted into since; a second refusal fails the task. */
    private final Set<String> refreshedTables = new HashSet<>();
    private long recordsAlreadyWritten;
    private long rowsWritten;
    private long batchesWritten;
    private long recordsDeadLettered;

    /** Returns the connector version. */
    @Override
    public String version() {
        return Versions.version();
    }

    /**
     * Connects to ClickHouse and checks the server version.
     *
     * @throws ConnectException if the configuration is invalid or the server cannot be reached
     */
    @Override
    public void start(Map<String, String> props) {
        config = new ClickHouseSinkConfig(props);
        client = new ClickHouseClient(config.endpoint());
        catalog = new TableCatalog(client);
        inserter = new BatchInserter(client, config.retryPolicy(), config.exactlyOnce());
        try {
            ServerVersion v = client.version();
            creator = new TableCreator(v);
            cdc = config.debeziumMode() ? new CdcIngest(client, v) : null;
            evolver = config.addColumns() ? new SchemaEvolver(client, catalog) : null;
            log.info("ClickHouse sink task started: {} (server {}), batches of up to {} rows / {} bytes / {} ms",
                    client.endpoint(), v, config.batchMaxRows(), config.batchMaxBytes(), config.flushIntervalMs());
        } catch (ClickHouseException e) {
            throw new ConnectException("cannot reach ClickHouse at " + client.endpoint().url() + ": " + e.getMessage(), e);
        }
        if (config.toleratesErrors()) {
            try {
                reporter = context.errantRecordReporter();
            } catch (NoSuchMethodError | NoClassDefFoundError e) {
                reporter = null; // workers before Kafka 2.6
            }
        }
    }

    /**
     * Encodes and buffers records, inserting every batch that is full or due.
     *
     * @throws ConnectException if a record cannot be written and errors are not tolerated, if a table is missing
     *                          and {@code table.auto.create} is off, or if an insert fails after retries
     */
    @Override
    public void put(Collection<SinkRecord> records) {
        long now = System.currentTimeMillis();
        rewound.clear();
        for (SinkRecord r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.kafkaPartition());
            if (rewound.contains(tp)) {
                continue; // redelivered from the rewind position after this put()
            }
            Long next = nextOffsets.get(tp);
            if (next != null && r.kafkaOffset() < next) {
                continue; // redelivered after a retriable failure: already buffered or written
            }
            if (r.value() == null) {
                log.debug("Skipping tombstone at {}-{}@{}", r.topic(), r.kafkaPartition(), r.kafkaOffset());
            } else {
                ChangeEvent event = null;
                SinkRecord row = r;
                if (cdc != null) {
                    try {
                        event = cdc.read(r);
                        row = cdc.rowRecord(r, event);
                    } catch (RecordEncodingException e) {
                        reject(r, "ClickHouse", e);
                        nextOffsets.put(tp, r.kafkaOffset() + 1);
                        continue;
                    }
                }
                TableBatch batch = batchFor(r, event);
                if (config.exactlyOnce() && alreadyWritten(tp, r, batch.schema())) {
                    nextOffsets.put(tp, r.kafkaOffset() + 1);
                    continue;
                }
                if (evolver != null) {
                    evolve(batch, event != null ? event.row() : r.value());
                    if (rewound.contains(tp)) {
                        continue;
                    }
                }
                try {
                    batch.add(row, tp, now);
                } catch (RecordEncodingException e) {
                    reject(r, batch.schema().toString(), e);
                }
                if (batch.rowCount() >= config.batchMaxRows() || batch.byteCount() >= config.batchMaxBytes()) {
                    flush(batch, true);
                }
            }
            nextOffsets.put(tp, r.kafkaOffset() + 1);
        }
        for (TableBatch b : batches.values()) {
            if (b.rowCount() > 0 && b.ageMs(now) >= config.flushIntervalMs()) {
                flush(b, true);
            }
        }
    }

    private boolean alreadyWritten(TopicPartition tp, SinkRecord r, TableSchema schema) {
        if (unchecked.remove(tp)) {
            try {
                long[] written = WrittenOffsets.query(client, schema, tp.topic(), tp.partition(), r.kafkaOffset(),
                        Long.MAX_VALUE);
                if (written.length > 0) {
                    PartitionLedger ledger = new PartitionLedger(written);
                    ledgers.put(tp, ledger);
                    log.info("{} resumes at offset {}; {} already has {} of its later records, which are skipped",
                            tp, r.kafkaOffset(), schema, ledger);
                }
            } catch (ClickHouseException e) {
                unchecked.add(tp);
                throw new ConnectException("cannot read written offsets of " + tp + " from " + schema + ": "
                        + e.getMessage(), e);
            }
        }
        PartitionLedger ledger = ledgers.get(tp);
        if (ledger == null) {
            return false;
        }
        boolean written = ledger.contains(r.kafkaOffset());
        if (written) {
            recordsAlreadyWritten++;
        }
        if (ledger.exhausted()) {
            ledgers.remove(tp);
        }
        return written;
    }

    private TableBatch batchFor(SinkRecord r, ChangeEvent event) {
        TableBatch b = batchByTopic.get(r.topic());
        if (b != null) {
            return b;
        }
        String table = cdc != null ? cdc.tableFor(event, config.mappedTable(r.topic())) : config.tableFor(r.topic());
        b = batches.get(table);
        if (b == null) {
            TableSchema schema = loadOrCreate(table, r, event);
            if (config.exactlyOnce() && !WrittenOffsets.supported(schema)) {
                throw new ConnectException("table " + schema + " has no _kafka_partition and _kafka_offset columns, "
                        + "which " + ClickHouseSinkConfig.DELIVERY_GUARANTEE + "=exactly_once needs. Add them with "
                        + "ALTER TABLE " + schema.qualifiedName() + " ADD COLUMN _kafka_partition UInt32, ADD COLUMN "
                        + "_kafka_offset UInt64 (and _kafka_topic String if several topics share the table), or set "
                        + ClickHouseSinkConfig.DELIVERY_GUARANTEE + "=at_least_once");
            }
            b = new TableBatch(new RecordEncoder(schema, config.failOnUnknownFields()));
            batches.put(table, b);
            log.info("Topic {} writes to {} ({} columns)", r.topic(), schema, schema.columns().size());
        }
        batchByTopic.put(r.topic(), b);
        return b;
    }

    private TableSchema loadOrCreate(String table, SinkRecord first, ChangeEvent event) {
        try {
            TableSchema s = catalog.get(config.database(), table);
            if (s == null) {
                if (!config.autoCreate()) {
                    throw new ConnectException("table " + config.database() + "." + table + " (for topic "
                            + first.topic() + ") does not exist; create it, or set " + ClickHouseSinkConfig.AUTO_CREATE
                            + "=true");
                }
                String ddl = event != null
                        ? cdc.createTableSql(config.database(), table, event, config.partitionBy())
                        : creator.createTableSql(config.database(), table, first, config.orderBy(), config.partitionBy());
                log.info("Creating table: {}", ddl);
                client.query(ddl);
                catalog.invalidate(config.database(), table);
                s = catalog.get(config.database(), table);
            }
            if (cdc != null) {
                cdc.prepare(s, config.autoCreate());
            }
            return s;
        } catch (ClickHouseException e) {
            throw new ConnectException("cannot read or create table " + config.database() + "." + table + ": "
                    + e.getMessage(), e);
        } catch (DataException | IllegalArgumentException e) {
            throw new ConnectException("cannot use table " + config.database() + "." + table + ": " + e.getMessage(), e);
        }
    }

    private void reject(SinkRecord r, String table, RecordEncodingException e) {
        String msg = "cannot write record " + r.topic() + "-" + r.kafkaPartition() + "@" + r.kafkaOffset() + " to "
                + table + ": " + e.getMessage();
        if (reporter == null) {
            throw new ConnectException(msg + (config.toleratesErrors() ? ""
                    : " (set errors.tolerance=all and errors.deadletterqueue.topic.name to dead-letter such records)"));
        }
        log.warn("Dead-lettering {}", msg);
        pendingReports.add(reporter.report(r, new DataException(msg)));
        recordsDeadLettered++;
    }

    /**
     * Adds columns for the value's new fields (schema evolution): inserts what the batch holds, alters the table,
     * and switches the batch to the new columns.
     */
    private void evolve(TableBatch batch, Object value) {
        if (!evolver.hasNewFields(batch.schema(), value)) {
            return;
        }
        flush(batch, true);
        TableSchema old = batch.schema();
        try {
            TableSchema s = evolver.addColumns(old, value, cdc != null ? cdc.typer() : creator);
            if (cdc != null) {
                cdc.prepare(s, config.autoCreate());
            }
            batch.setEncoder(new RecordEncoder(s, config.failOnUnknownFields()));
        } catch (ClickHouseException e) {
            throw new ConnectException("cannot add columns for new fields to " + old + ": " + e.getMessage(), e);
        } catch (DataException | IllegalStateException e) {
            throw new ConnectException("cannot add columns for new fields to " + old + ": " + e.getMessage()
                    + "; add them with ALTER TABLE yourself", e);
        }
    }

    private void flush(TableBatch batch, boolean mayRewind) {
        int rows = batch.rowCount();
        long bytes = batch.byteCount();
        long start = System.nanoTime();
        try {
            for (TableBatch.Shape shape : batch.nonEmptyShapes()) {
                inserter.insert(batch.schema(), shape);
            }
        } catch (ClickHouseException e) {
            if (e.code() == NO_SUCH_COLUMN_IN_TABLE) {
                TableSchema old = batch.schema();
                catalog.invalidate(old.database(), old.table());
                if (mayRewind && refreshedTables.add(old.toString())) {
                    rewind(batch, e);
                    return;
                }
            }
            throw new ConnectException("insert of " + rows + " rows into " + batch.schema() + " failed; offsets stay "
                    + "uncommitted and the rows will be redelivered: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while inserting into " + batch.schema(), e);
        }
        batch.clear();
        refreshedTables.remove(batch.schema().toString());
        rowsWritten += rows;
        batchesWritten++;
        log.debug("Inserted {} rows ({} bytes) into {} in {} ms", rows, bytes, batch.schema(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Drops a batch that the server refused because a cached column no longer exists, re-reads the table, and asks
     * Kafka Connect to deliver the batch's records again from each partition's first buffered offset; they are then
     * encoded for the current columns. Shapes inserted before the refusal are found by the exactly-once check.
     */
    private void rewind(TableBatch batch, ClickHouseException cause) {
        TableSchema old = batch.schema();
        TableSchema s;
        try {
            s = catalog.get(old.database(), old.table());
        } catch (ClickHouseException e) {
            throw new ConnectException("cannot re-read " + old + " after: " + cause.getMessage(), e);
        }
        if (s == null) {
            throw new ConnectException("table " + old + " no longer exists: " + cause.getMessage());
        }
        Map<TopicPartition, Long> first = batch.firstOffsets();
        batch.clear();
        batch.setEncoder(new RecordEncoder(s, config.failOnUnknownFields()));
        for (Map.Entry<TopicPartition, Long> e : first.entrySet()) {
            TopicPartition tp = e.getKey();
            context.offset(tp, e.getValue());
            nextOffsets.put(tp, e.getValue());
            rewound.add(tp);
            ledgers.remove(tp);
            if (config.exactlyOnce()) {
                unchecked.add(tp);
            }
        }
        log.warn("{} refused a column the sink had cached ({}); re-read its columns {} and rewound {}", old,
                cause.getMessage(), s.columns(), first);
    }

    /**
     * Reports, per partition, the offset up to which every record is in ClickHouse or in the dead-letter queue:
     * the first buffered offset if rows of the partition are waiting, otherwise the offset after the last record
     * handled. Dead-letter writes are awaited first.
     *
     * @throws ConnectException if a dead-letter write failed
     */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        awaitReports();
        Map<TopicPartition, OffsetAndMetadata> safe = new HashMap<>();
        for (TopicPartition tp : currentOffsets.keySet()) {
            Long next = nextOffsets.get(tp);
            if (next == null) {
                continue;
            }
            TableBatch b = batchByTopic.get(tp.topic());
            Long buffered = b == null ? null : b.firstOffset(tp);
            safe.put(tp, new OffsetAndMetadata(buffered != null ? buffered : next));
        }
        return safe;
    }

    private void awaitReports() {
        for (Future<Void> f : pendingReports) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new ConnectException("writing to the dead-letter queue failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException("interrupted while awaiting dead-letter writes", e);
            }
        }
        pendingReports.clear();
    }

    /**
     * Marks newly assigned partitions to be checked against the table before their first record is written
     * (exactly-once).
     */
    @Override
    public void open(Collection<TopicPartition> partitions) {
        if (config.exactlyOnce()) {
            unchecked.addAll(partitions);
        }
        for (TopicPartition tp : partitions) {
            ledgers.remove(tp);
            nextOffsets.remove(tp);
        }
    }

    /** Unused: offsets are reported through {@link #preCommit}. */
    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    }

    /**
     * Inserts the batches holding rows of the closed partitions, so a rebalance hands over as little uncommitted
     * work as possible, and forgets the partitions.
     */
    @Override
    public void close(Collection<TopicPartition> partitions) {
        for (TableBatch b : batches.values()) {
            for (TopicPartition tp : partitions) {
                if (b.holds(tp)) {
                    flush(b, false);
                    break;
                }
            }
        }
        for (TopicPartition tp : partitions) {
            nextOffsets.remove(tp);
            unchecked.remove(tp);
            ledgers.remove(tp);
        }
    }

    /** Drops unwritten rows (their offsets are uncommitted, so they are redelivered) and logs totals. */
    @Override
    public void stop() {
        log.info("ClickHouse sink task stopping: {} rows in {} batches written, {} records dead-lettered, {} records "
                + "skipped as already written", rowsWritten, batchesWritten, recordsDeadLettered, recordsAlreadyWritten);
        batches.clear();
        batchByTopic.clear();
    }
}
