package io.sluice.sink.clickhouse;

import io.sluice.sink.clickhouse.cdc.CdcIngest;
import io.sluice.sink.clickhouse.cdc.ChangeEvent;
import io.sluice.sink.clickhouse.encode.JsonRecordReader;
import io.sluice.sink.clickhouse.encode.RecordEncoder;
import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.http.ServerVersion;
import io.sluice.sink.clickhouse.schema.SchemaEvolver;
import io.sluice.sink.clickhouse.metrics.MetricsRegistration;
import io.sluice.sink.clickhouse.metrics.SinkTaskMetrics;
import io.sluice.sink.clickhouse.metrics.SummaryLog;
import io.sluice.sink.clickhouse.schema.TableCatalog;
import io.sluice.sink.clickhouse.schema.TableCreator;
import io.sluice.sink.clickhouse.schema.TableSchema;
import io.sluice.sink.clickhouse.writer.BatchInserter;
import io.sluice.sink.clickhouse.writer.BoundedRetry;
import io.sluice.sink.clickhouse.writer.EngineCheck;
import io.sluice.sink.clickhouse.writer.InsertPipeline;
import io.sluice.sink.clickhouse.writer.PartitionLedger;
import io.sluice.sink.clickhouse.writer.TableBatch;
import io.sluice.sink.clickhouse.writer.WrittenOffsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
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
 * {@code batch.max.bytes} or {@code flush.interval.ms}, or as soon as a poll finds nothing new (caught up: while
 * rows are buffered, polls last at most {@value #CAUGHT_UP_POLL_MS} ms), in the background ({@link InsertPipeline}:
 * one insert per table at a time, tables in parallel; a full batch whose table is still inserting pauses that
 * table's partitions);
 * {@link #preCommit} then lets Kafka Connect commit offsets only up to the first row not yet in ClickHouse.
 * A record that cannot be written goes to the dead-letter queue when {@code errors.tolerance=all}, or fails the
 * task with its topic, partition, offset, column and value.
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
    /** Most written offsets a partition's resume ledger holds at once (about 1 MB with the answer's text). */
    private static final int LEDGER_WINDOW = 100_000;
    /**
     * Longest poll while rows are buffered ({@code SinkTaskContext.timeout}). A poll that waited this long and got
     * nothing means the task is caught up, and its buffered rows are inserted without waiting for the flush interval.
     */
    private static final long CAUGHT_UP_POLL_MS = 100;

    private ClickHouseSinkConfig config;
    private ClickHouseClient client;
    private TableCatalog catalog;
    private TableCreator creator;
    private BoundedRetry retry;
    private BatchInserter inserter;
    private CdcIngest cdc;
    private SchemaEvolver evolver;
    private ErrantRecordReporter reporter;
    private final Map<String, TableBatch> batches = new HashMap<>();
    private final Map<String, TableBatch> batchByTopic = new HashMap<>();
    /** Per partition, the offset after the last record handled (buffered, written, dead-lettered or skipped). */
    private final Map<TopicPartition, NextOffset> nextOffsets = new HashMap<>();
    private final List<Future<Void>> pendingReports = new ArrayList<>();
    /** Partitions assigned but not yet checked against the table (exactly-once). */
    private final Set<TopicPartition> unchecked = new HashSet<>();
    /** Offsets already in the table after the resume position, per partition (exactly-once). */
    private final Map<TopicPartition, PartitionLedger> ledgers = new HashMap<>();
    /** Partitions rewound in this put() after a NO_SUCH_COLUMN_IN_TABLE; their later records come again. */
    private final Set<TopicPartition> rewound = new HashSet<>();
    /** Tables re-read after NO_SUCH_COLUMN_IN_TABLE and not inserted into since; a second refusal fails the task. */
    private final Set<String> refreshedTables = new HashSet<>();
    private InsertPipeline pipeline;
    /** Tables whose batch is full while their insert runs, with the partitions paused for them (back pressure). */
    private final Map<TableBatch, List<TopicPartition>> paused = new IdentityHashMap<>();
    private final AtomicLong pendingRecords = new AtomicLong();
    private final AtomicLong pausedPartitions = new AtomicLong();
    private SinkTaskMetrics metrics;
    private MetricsRegistration metricsRegistration;
    // Read once in start(): put() consults them for every record.
    private boolean exactlyOnce;
    private int batchMaxRows;
    private long batchMaxBytes;
    private int flushIntervalMs;
    private SummaryLog summary;

    /** Returns the connector version. */
    @Override
    public String version() {
        return Versions.version();
    }

    /**
     * Connects to ClickHouse and checks the server version.
     *
     * @throws ConnectException if the configuration is invalid or the server cannot be reached within retry.timeout.ms
     */
    @Override
    public void start(Map<String, String> props) {
        config = new ClickHouseSinkConfig(props);
        exactlyOnce = config.exactlyOnce();
        batchMaxRows = config.batchMaxRows();
        batchMaxBytes = config.batchMaxBytes();
        flushIntervalMs = config.flushIntervalMs();
        client = new ClickHouseClient(config.endpoint());
        catalog = new TableCatalog(client);
        retry = new BoundedRetry(config.retryPolicy());
        inserter = new BatchInserter(client, retry, exactlyOnce);
        String taskName = props.getOrDefault("name", "clickhouse-sink") + "-"
                + props.getOrDefault(ClickHouseSinkConnector.TASK_ID, "0");
        metrics = new SinkTaskMetrics(pendingRecords::get, pausedPartitions::get);
        pipeline = new InsertPipeline(inserter, metrics, config.insertMaxInFlight(), "sluice-insert-" + taskName);
        summary = new SummaryLog(metrics, taskName, config.logSummaryIntervalMs(), System.currentTimeMillis());
        try {
            ServerVersion v = retry.call("Reading the server version", client::version);
            creator = new TableCreator(v);
            cdc = config.debeziumMode() ? new CdcIngest(client, v) : null;
            evolver = config.addColumns() ? new SchemaEvolver(client, catalog) : null;
            log.info("ClickHouse sink task started: {} (server {}), batches of up to {} rows / {} bytes / {} ms",
                    client.endpoint(), v, config.batchMaxRows(), config.batchMaxBytes(), config.flushIntervalMs());
        } catch (ClickHouseException e) {
            throw new ConnectException("cannot reach ClickHouse at " + client.endpoint().url() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while connecting to ClickHouse", e);
        }
        metricsRegistration = MetricsRegistration.register(context, metrics,
                props.getOrDefault("name", "clickhouse-sink"), props.getOrDefault(ClickHouseSinkConnector.TASK_ID, "0"));
        log.info("Sink task {} publishes its metrics through {}", taskName, metricsRegistration.where());
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
        collect();
        metrics.received(records.size());
        TopicPartition tp = null;
        NextOffset next = null;
        TableBatch runBatch = null;
        for (SinkRecord r : records) {
            // Records come in runs of one partition: look its state up once per run, not per record.
            if (tp == null || r.kafkaPartition() != tp.partition() || !r.topic().equals(tp.topic())) {
                tp = new TopicPartition(r.topic(), r.kafkaPartition());
                next = nextOffsets.computeIfAbsent(tp, k -> new NextOffset());
                runBatch = null;
            }
            if (!rewound.isEmpty() && rewound.contains(tp)) {
                continue; // redelivered from the rewind position after this put()
            }
            if (r.kafkaOffset() < next.value) {
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
                        next.value = r.kafkaOffset() + 1;
                        continue;
                    }
                }
                if (runBatch == null) {
                    runBatch = batchFor(r, event); // one table per topic: the same for the whole run
                }
                TableBatch batch = runBatch;
                if (exactlyOnce && (!unchecked.isEmpty() || !ledgers.isEmpty())
                        && alreadyWritten(tp, r, batch.schema())) {
                    next.value = r.kafkaOffset() + 1;
                    continue;
                }
                if (evolver != null) {
                    evolve(batch, event != null ? event.row() : fieldsOf(r.value()));
                    if (rewound.contains(tp)) {
                        continue;
                    }
                }
                try {
                    batch.add(row, tp, now);
                } catch (RecordEncodingException e) {
                    reject(r, batch.schema().toString(), e);
                }
                if (full(batch)) {
                    dispatch(batch, true);
                }
            }
            next.value = r.kafkaOffset() + 1;
        }
        boolean buffered = false;
        for (TableBatch b : batches.values()) {
            if (b.rowCount() > 0 && (records.isEmpty() || b.ageMs(now) >= flushIntervalMs)) {
                dispatch(b, full(b));
            }
            buffered |= b.rowCount() > 0;
        }
        if (buffered) {
            // The worker polls for up to offset.flush.interval.ms (60 s by default); come back soon instead.
            context.timeout(CAUGHT_UP_POLL_MS);
        }
        relievePressure(records);
        updateGauges(now);
    }

    private boolean full(TableBatch b) {
        return b.rowCount() >= batchMaxRows || b.byteCount() >= batchMaxBytes;
    }

    /** Starts inserting a due batch, or, if it is full and cannot start yet, pauses its table's partitions. */
    private void dispatch(TableBatch b, boolean full) {
        if (pipeline.canSubmit(b)) {
            pipeline.submit(b);
        } else if (full && !paused.containsKey(b)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (TopicPartition tp : context.assignment()) {
                if (batchByTopic.get(tp.topic()) == b) {
                    tps.add(tp);
                }
            }
            context.pause(tps.toArray(new TopicPartition[0]));
            paused.put(b, tps);
        }
    }

    /**
     * Resumes paused tables whose batch can now be inserted. If no other partition delivered records in this
     * {@code put}, waits for the running inserts first: the consumer would otherwise sit in poll until the next
     * offset commit before the task could resume anything.
     */
    private void relievePressure(Collection<SinkRecord> records) {
        if (paused.isEmpty()) {
            return;
        }
        resumeReady();
        if (!paused.isEmpty() && !othersFlowing(records)) {
            try {
                pipeline.awaitAll();
            } catch (ConnectException e) {
                recoverColumnRefusal(e);
            }
            resumeReady();
        }
    }

    private void resumeReady() {
        for (java.util.Iterator<Map.Entry<TableBatch, List<TopicPartition>>> it = paused.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<TableBatch, List<TopicPartition>> e = it.next();
            if (pipeline.canSubmit(e.getKey())) {
                if (e.getKey().rowCount() > 0) {
                    pipeline.submit(e.getKey());
                }
                context.resume(e.getValue().toArray(new TopicPartition[0]));
                it.remove();
            }
        }
    }

    private boolean othersFlowing(Collection<SinkRecord> records) {
        for (SinkRecord r : records) {
            if (!paused.containsKey(batchByTopic.get(r.topic()))) {
                return true;
            }
        }
        return false;
    }

    private void updateGauges(long now) {
        long pending = pipeline.rowsInFlight();
        for (TableBatch b : batches.values()) {
            pending += b.rowCount();
        }
        pendingRecords.set(pending);
        long p = 0;
        for (List<TopicPartition> tps : paused.values()) {
            p += tps.size();
        }
        pausedPartitions.set(p);
        summary.maybeLog(now);
    }

    private boolean alreadyWritten(TopicPartition tp, SinkRecord r, TableSchema schema) {
        try {
            if (unchecked.remove(tp)) {
                PartitionLedger ledger = PartitionLedger.open((from, limit) -> retry.call(
                        "Reading the written offsets of " + tp + " from " + schema,
                        () -> WrittenOffsets.query(client, schema, tp.topic(), tp.partition(), from, Long.MAX_VALUE,
                                limit)), r.kafkaOffset(), LEDGER_WINDOW);
                if (ledger != null) {
                    ledgers.put(tp, ledger);
                    log.info("{} resumes at offset {}; {} already has {} of its later records, which are skipped",
                            tp, r.kafkaOffset(), schema, ledger);
                }
            }
            PartitionLedger ledger = ledgers.get(tp);
            if (ledger == null) {
                return false;
            }
            boolean written = ledger.contains(r.kafkaOffset());
            if (written) {
                metrics.skipped();
            }
            if (ledger.exhausted()) {
                ledgers.remove(tp);
            }
            return written;
        } catch (ClickHouseException e) {
            ledgers.remove(tp);
            unchecked.add(tp);
            throw new ConnectException("cannot read written offsets of " + tp + " from " + schema + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            ledgers.remove(tp);
            unchecked.add(tp);
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while reading written offsets of " + tp, e);
        }
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
            if (exactlyOnce) {
                requireSafeEngine(schema);
            }
            b = new TableBatch(new RecordEncoder(schema, config.failOnUnknownFields()));
            batches.put(table, b);
        }
        try {
            if (exactlyOnce) {
                WrittenOffsets.requireCoordinates(b.schema(), r.topic());
            }
            if (cdc != null) {
                cdc.requireSameSource(b.schema(), event, r.topic());
            }
        } catch (IllegalStateException | DataException e) {
            throw new ConnectException(e.getMessage());
        }
        log.info("Topic {} writes to {} ({} columns)", r.topic(), b.schema(), b.schema().columns().size());
        batchByTopic.put(r.topic(), b);
        return b;
    }

    private void requireSafeEngine(TableSchema schema) {
        try {
            retry.call("Reading the engine of " + schema, () -> {
                EngineCheck.require(client, schema);
                return null;
            });
        } catch (IllegalStateException e) {
            throw new ConnectException(e.getMessage());
        } catch (ClickHouseException e) {
            throw new ConnectException("cannot read the engine of " + schema + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while reading the engine of " + schema, e);
        }
    }

    private TableSchema loadOrCreate(String table, SinkRecord first, ChangeEvent event) {
        try {
            TableSchema s = retry.call("Reading the structure of " + table,
                    () -> catalog.get(config.database(), table));
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
                retry.call("Creating " + table, () -> client.query(ddl));
                catalog.invalidate(config.database(), table);
                s = retry.call("Reading the structure of " + table, () -> catalog.get(config.database(), table));
            }
            if (cdc != null) {
                cdc.prepare(s, config.autoCreate());
            }
            return s;
        } catch (ClickHouseException e) {
            throw new ConnectException("cannot read or create table " + config.database() + "." + table + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while reading table " + table, e);
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
        metrics.deadLettered();
    }

    /**
     * Returns a value whose fields schema evolution can inspect: JSON text parsed into a Map (an extra parse per
     * record, paid only with schema evolution on), anything else as is. Malformed text gives null; the encoder
     * rejects the record.
     */
    private static Object fieldsOf(Object value) {
        if (value instanceof byte[] || value instanceof String) {
            try {
                return JsonRecordReader.toMap(value);
            } catch (RecordEncodingException e) {
                return null;
            }
        }
        return value;
    }

    /**
     * Adds columns for the value's new fields (schema evolution): inserts what the batch holds, alters the table,
     * and switches the batch to the new columns.
     */
    private void evolve(TableBatch batch, Object value) {
        if (!evolver.hasNewFields(batch.schema(), value)) {
            return;
        }
        try {
            flushNow(batch);
        } catch (ConnectException e) {
            boolean mine = pipeline.failedTable() == batch;
            recoverColumnRefusal(e);
            if (mine) {
                return; // rewound: the record comes again and is encoded for the re-read columns
            }
            flushNow(batch); // another table's refusal was recovered; finish this one
        }
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

    /** Inserts a table's running and buffered rows and waits until they are in ClickHouse. */
    private void flushNow(TableBatch batch) {
        pipeline.await(batch);
        if (batch.rowCount() > 0) {
            if (!pipeline.canSubmit(batch)) {
                pipeline.awaitAll();
            }
            pipeline.submit(batch);
            pipeline.await(batch);
        }
    }

    /** Finishes done inserts; recovers from a refused cached column (see {@link #recoverColumnRefusal}). */
    private void collect() {
        try {
            pipeline.collect();
        } catch (ConnectException e) {
            recoverColumnRefusal(e);
        }
        refreshedTables.removeAll(pipeline.drainInserted());
    }

    /**
     * Handles a failed insert: when the server refused it because a cached column no longer exists
     * (NO_SUCH_COLUMN_IN_TABLE) and the table was not just re-read, rewinds the table's partitions; otherwise
     * rethrows.
     *
     * @throws ConnectException {@code failure}, unless it was recovered
     */
    private void recoverColumnRefusal(ConnectException failure) {
        TableBatch table = pipeline.failedTable();
        if (table == null || !(failure.getCause() instanceof ClickHouseException)
                || ((ClickHouseException) failure.getCause()).code() != NO_SUCH_COLUMN_IN_TABLE) {
            throw failure;
        }
        TableSchema old = table.schema();
        catalog.invalidate(old.database(), old.table());
        if (!refreshedTables.add(old.toString())) {
            throw failure;
        }
        TableBatch refused = pipeline.discardFailed();
        List<TopicPartition> pausedFor = paused.remove(table);
        if (pausedFor != null) {
            context.resume(pausedFor.toArray(new TopicPartition[0]));
        }
        rewind(table, refused, (ClickHouseException) failure.getCause());
    }

    /**
     * Drops an insert that the server refused because a cached column no longer exists ({@code refused}) and the
     * rows buffered after it ({@code batch}), re-reads the table, and asks Kafka Connect to deliver their records
     * again from each partition's first such offset; they are then encoded for the current columns.
     * Shapes inserted before the refusal are found by the exactly-once check.
     */
    private void rewind(TableBatch batch, TableBatch refused, ClickHouseException cause) {
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
        Map<TopicPartition, Long> first = new HashMap<>(batch.firstOffsets());
        for (Map.Entry<TopicPartition, Long> e : refused.firstOffsets().entrySet()) {
            first.merge(e.getKey(), e.getValue(), Math::min);
        }
        batch.clear();
        batch.setEncoder(new RecordEncoder(s, config.failOnUnknownFields()));
        for (Map.Entry<TopicPartition, Long> e : first.entrySet()) {
            TopicPartition tp = e.getKey();
            context.offset(tp, e.getValue());
            nextOffsets.computeIfAbsent(tp, k -> new NextOffset()).value = e.getValue();
            rewound.add(tp);
            ledgers.remove(tp);
            if (exactlyOnce) {
                unchecked.add(tp);
            }
        }
        log.warn("{} refused a column the sink had cached ({}); re-read its columns {} and rewound {}", old,
                cause.getMessage(), s.columns(), first);
    }

    /**
     * Reports, per partition, the offset up to which every record is in ClickHouse or in the dead-letter queue:
     * the first buffered offset if rows of the partition are waiting, otherwise the offset after the last record
     * handled; rows being inserted count as buffered. Dead-letter writes are awaited first. After a failed insert
     * nothing more is reported.
     *
     * @throws ConnectException if a dead-letter write failed
     */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        awaitReports();
        Map<TopicPartition, OffsetAndMetadata> safe = new HashMap<>();
        try {
            pipeline.collect();
        } catch (ConnectException e) {
            return safe; // put() fails the task with this failure
        }
        updateGauges(System.currentTimeMillis());
        for (TopicPartition tp : currentOffsets.keySet()) {
            NextOffset next = nextOffsets.get(tp);
            if (next == null || next.value < 0) {
                continue;
            }
            TableBatch b = batchByTopic.get(tp.topic());
            Long buffered = b == null ? null : b.firstOffset(tp);
            Long inserting = b == null ? null : pipeline.firstOffset(b, tp);
            long first = inserting != null ? inserting : buffered != null ? buffered : next.value;
            safe.put(tp, new OffsetAndMetadata(first));
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
        if (exactlyOnce) {
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
        if (pipeline.failure() == null) {
            for (TableBatch b : batches.values()) {
                for (TopicPartition tp : partitions) {
                    if (b.holds(tp) || pipeline.holds(b, tp)) {
                        flushNow(b);
                        break;
                    }
                }
            }
        }
        for (List<TopicPartition> tps : paused.values()) {
            tps.removeAll(partitions);
        }
        for (TopicPartition tp : partitions) {
            nextOffsets.remove(tp);
            unchecked.remove(tp);
            ledgers.remove(tp);
        }
    }

    /**
     * Drops unwritten rows (their offsets are uncommitted, so they are redelivered), stops the insert threads,
     * removes the metrics and logs totals.
     */
    @Override
    public void stop() {
        if (metrics != null) {
            log.info("ClickHouse sink task stopping: {} rows in {} batches written, {} records dead-lettered, {} "
                    + "records skipped as already written", metrics.value("records-inserted"),
                    metrics.value("batches-inserted"), metrics.value("records-dead-lettered"),
                    metrics.value("records-skipped"));
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (metricsRegistration != null) {
            metricsRegistration.close();
        }
        batches.clear();
        batchByTopic.clear();
        paused.clear();
    }

    /** The offset after the last record handled in a partition; -1 until one is. Mutable: updated per record. */
    private static final class NextOffset {
        long value = -1;
    }
}
