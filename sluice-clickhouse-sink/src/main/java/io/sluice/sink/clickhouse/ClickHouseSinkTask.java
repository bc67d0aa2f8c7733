package io.sluice.sink.clickhouse;

import io.sluice.sink.clickhouse.cdc.CdcIngest;
import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.encode.rowbinary.TimeText;
import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.http.ServerVersion;
import io.sluice.sink.clickhouse.metrics.MetricsRegistration;
import io.sluice.sink.clickhouse.metrics.SinkTaskMetrics;
import io.sluice.sink.clickhouse.metrics.SummaryLog;
import io.sluice.sink.clickhouse.schema.SchemaEvolver;
import io.sluice.sink.clickhouse.schema.TableCatalog;
import io.sluice.sink.clickhouse.schema.TableSchema;
import io.sluice.sink.clickhouse.schema.TypeMapping;
import io.sluice.sink.clickhouse.task.AppendIngest;
import io.sluice.sink.clickhouse.task.BatchDispatcher;
import io.sluice.sink.clickhouse.task.DeadLetters;
import io.sluice.sink.clickhouse.task.IngestMode;
import io.sluice.sink.clickhouse.task.PartitionOffsets;
import io.sluice.sink.clickhouse.task.ResumeCheck;
import io.sluice.sink.clickhouse.task.SchemaRecovery;
import io.sluice.sink.clickhouse.task.StaleInserts;
import io.sluice.sink.clickhouse.task.TableRouter;
import io.sluice.sink.clickhouse.writer.BatchInserter;
import io.sluice.sink.clickhouse.writer.BoundedRetry;
import io.sluice.sink.clickhouse.writer.BackgroundInserts;
import io.sluice.sink.clickhouse.writer.ServerProcesses;
import io.sluice.sink.clickhouse.writer.StoredRow;
import io.sluice.sink.clickhouse.writer.TableBuffer;
import io.sluice.sink.clickhouse.writer.WrittenOffsets;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes SinkRecords to ClickHouse; a coordinator of the parts in {@code task/}. The path of one record through
 * {@link #put}: its {@link IngestMode} reads it; {@link TableRouter} finds its table's buffer; under exactly-once,
 * {@link ResumeCheck} skips it if an earlier task already wrote it (once {@link StaleInserts} has seen the inserts
 * running into its table end, when its partition was just assigned); {@link SchemaRecovery} adds columns for new
 * fields; the buffer encodes it (RowBinary, in memory); {@link BatchDispatcher} sends full and due buffers, as batches, to the
 * {@link BackgroundInserts} (background inserts, one per table at a time), pausing partitions while a full batch
 * waits. {@link #preCommit} lets Kafka Connect commit each partition only up to its first row not yet in
 * ClickHouse ({@link PartitionOffsets}). A record that cannot be written goes to {@link DeadLetters}.
 * See ARCHITECTURE.md, "Delivery guarantees" and "CDC into ClickHouse".
 */
public final class ClickHouseSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(ClickHouseSinkTask.class);
    /** Most written offsets a partition's resume check holds at once (about 1 MB with the answer's text). */
    private static final int WRITTEN_OFFSETS_WINDOW = 100_000;

    private IngestMode<?> mode;
    private TableRouter router;
    private final PartitionOffsets offsets = new PartitionOffsets();
    private ResumeCheck resume;
    private StaleInserts stale;
    private SchemaRecovery recovery;
    private BatchDispatcher dispatcher;
    private DeadLetters deadLetters;
    private BackgroundInserts inserts;
    private SinkTaskMetrics metrics;
    private MetricsRegistration metricsRegistration;
    private SummaryLog summary;
    private final AtomicLong pendingRecords = new AtomicLong();
    private final AtomicLong pausedPartitions = new AtomicLong();

    /** Returns the connector version. */
    @Override
    public String version() {
        return Versions.version();
    }

    /**
     * Connects to ClickHouse, checks the server version and wires the task's parts.
     *
     * @throws ConnectException if the configuration is invalid or the server cannot be reached within retry.timeout.ms
     */
    @Override
    public void start(Map<String, String> props) {
        ClickHouseSinkConfig config = new ClickHouseSinkConfig(props);
        ClickHouseClient client = new ClickHouseClient(config.endpoint());
        TableCatalog catalog = new TableCatalog(client);
        BoundedRetry retry = new BoundedRetry(config.retryPolicy());
        String connector = props.getOrDefault("name", "clickhouse-sink");
        String taskId = props.getOrDefault(ClickHouseSinkConnector.TASK_ID, "0");
        metrics = new SinkTaskMetrics(pendingRecords::get, pausedPartitions::get);
        BatchInserter inserter = new BatchInserter(client,
                ServerProcesses.of(client, config.cluster()), retry, config.exactlyOnce(), config.toleratesErrors());
        inserts = new BackgroundInserts(inserter, metrics, config.insertMaxInFlight(), "sluice-insert-" + connector
                + "-" + taskId, row -> deadLetters.refused(row)); // a lambda: deadLetters is made below
        summary = new SummaryLog(metrics, connector + "-" + taskId, config.logSummaryIntervalMs(),
                System.currentTimeMillis());
        ServerVersion version = serverVersion(client, retry);
        TypeMapping types = new TypeMapping(version, text -> TimeText.parse(text, ZoneOffset.UTC) != null);
        mode = config.debeziumMode()
                ? new CdcIngest(client, types, retry, config::mappedTable, config.partitionBy(), config.autoCreate())
                : new AppendIngest(config::tableFor, types, config.orderBy(), config.partitionBy(), config.cluster());
        router = new TableRouter(config, client, catalog, retry, inserter::use);
        resume = new ResumeCheck((tp, table, from) -> WrittenOffsets.open((start, limit) -> retry.call(
                "Reading the written offsets of " + tp + " from " + table, () -> WrittenOffsets.query(client,
                        inserter.consistency(table), table, tp.topic(), tp.partition(), start, Long.MAX_VALUE,
                        limit)), from, WRITTEN_OFFSETS_WINDOW),
                (record, table) -> retry.call("Reading the row of " + record.topic() + "-" + record.kafkaPartition()
                        + "@" + record.kafkaOffset() + " from " + table,
                        () -> StoredRow.matches(client, inserter.consistency(table), router.encoderFor(table),
                                record)),
                config.exactlyOnce(), metrics::skipped);
        stale = new StaleInserts(new StaleInserts.Server() {
            @Override
            public Set<String> insertsInto(TableSchema table) throws ClickHouseException {
                return inserter.insertsRunningInto(table);
            }

            @Override
            public Set<String> stillRunning(TableSchema table, Set<String> queryIds) throws ClickHouseException {
                return inserter.stillRunning(table, queryIds);
            }
        }, context);
        dispatcher = new BatchDispatcher(inserts, context, router::forTopic, config.batchMaxRows(),
                config.batchMaxBytes(), config.flushIntervalMs(), config.flushMinIntervalMs());
        SchemaEvolver evolver = config.addColumns()
                ? new SchemaEvolver(client, catalog, config.schemaEvolutionMaxColumns(), config.cluster()) : null;
        recovery = new SchemaRecovery(context, catalog, evolver, inserts, dispatcher, offsets, resume, router, mode);
        deadLetters = DeadLetters.of(context, config.toleratesErrors(), metrics);
        metricsRegistration = MetricsRegistration.register(context, metrics, connector, taskId);
        log.info("ClickHouse sink task started: {} (server {}), batches of up to {} rows / {} bytes / {} ms; metrics "
                + "through {}", client.endpoint(), version, config.batchMaxRows(), config.batchMaxBytes(),
                config.flushIntervalMs(), metricsRegistration.where());
    }

    private static ServerVersion serverVersion(ClickHouseClient client, BoundedRetry retry) {
        try {
            return retry.call("Reading the server version", client::version);
        } catch (ClickHouseException e) {
            throw new ConnectException("cannot reach ClickHouse at " + client.endpoint().url() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while connecting to ClickHouse", e);
        }
    }

    /**
     * Reads, routes, checks and buffers records, sending every batch that is full or due.
     *
     * @throws ConnectException if a record cannot be written and errors are not tolerated, if a table is missing
     *                          and {@code table.auto.create} is off, or if an insert fails after retries
     */
    @Override
    public void put(Collection<SinkRecord> records) {
        long now = System.currentTimeMillis();
        recovery.startPut();
        recovery.collect();
        stale.release();
        metrics.received(records.size());
        write(mode, records, now);
        dispatcher.flushDue(router.batches(), now, records.isEmpty());
        dispatcher.relieve(now);
        updateGauges(now);
    }

    private <R> void write(IngestMode<R> mode, Collection<SinkRecord> records, long now) {
        TopicPartition tp = null;
        PartitionOffsets.Position position = null;
        TableBuffer buffer = null;
        for (SinkRecord r : records) {
            // Records come in runs of one partition (one topic, so one table): look its state up once per run.
            if (tp == null || r.kafkaPartition() != tp.partition() || !r.topic().equals(tp.topic())) {
                tp = new TopicPartition(r.topic(), r.kafkaPartition());
                position = offsets.of(tp);
                buffer = null;
            }
            if (stale.holds(tp)) {
                stale.redeliver(tp); // comes again once the inserts it waits for have ended
                continue;
            }
            if (recovery.rewound(tp) || position.handled(r.kafkaOffset())) {
                continue; // redelivered after a rewind or a retriable failure: already handled
            }
            if (r.value() != null) { // a tombstone has no row
                R read;
                try {
                    read = mode.read(r);
                } catch (RecordEncodingException e) {
                    deadLetters.reject(r, "ClickHouse", e);
                    position.advance(r.kafkaOffset());
                    continue;
                }
                if (buffer == null) {
                    buffer = router.route(r, mode, read);
                }
                if (!resume.idle()) {
                    if (resume.unchecked(tp) && stale.mustWait(tp, buffer.schema(), r.kafkaOffset())) {
                        continue; // held back, and delivered again from this record
                    }
                    if (resume.written(tp, mode.row(read), buffer.schema())) {
                        position.advance(r.kafkaOffset());
                        continue;
                    }
                }
                String originChange = mode.originChange(buffer.schema(), read, r);
                if (originChange != null) {
                    inserts.flush(buffer); // the rows before this record land, so the committed offset stops here
                    throw new ConnectException(originChange);
                }
                if (recovery.evolving()) {
                    try {
                        recovery.evolve(buffer, mode.fields(read));
                    } catch (RecordEncodingException e) {
                        deadLetters.reject(r, buffer.schema().toString(), e); // a field that cannot become a column
                        position.advance(r.kafkaOffset());
                        continue;
                    }
                    if (recovery.rewound(tp)) {
                        continue;
                    }
                }
                try {
                    buffer.add(mode.row(read), tp, now);
                } catch (RecordEncodingException e) {
                    deadLetters.reject(r, buffer.schema().toString(), e);
                }
                dispatcher.offer(buffer, now);
            }
            position.advance(r.kafkaOffset());
        }
    }

    private void updateGauges(long now) {
        long pending = inserts.rowsInFlight();
        for (TableBuffer b : router.batches()) {
            pending += b.rowCount();
        }
        pendingRecords.set(pending);
        pausedPartitions.set(dispatcher.pausedPartitions());
        summary.maybeLog(now);
    }

    /**
     * Reports, per partition, the offset up to which every record is in ClickHouse or in the dead-letter queue
     * ({@link PartitionOffsets#committable}); rows being inserted count as unwritten. Finished inserts are collected
     * first (dead-lettering the rows the server refused alone), then every dead-letter write is awaited. After a
     * failed insert nothing more is reported.
     *
     * @throws ConnectException if a dead-letter write failed
     */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        try {
            inserts.collect(); // dead-letters the rows that finished inserts refused
        } catch (ConnectException e) {
            return new HashMap<>(); // put() fails the task with this failure
        }
        deadLetters.awaitWritten();
        updateGauges(System.currentTimeMillis());
        return offsets.committable(currentOffsets.keySet(), tp -> {
            TableBuffer b = router.forTopic(tp.topic());
            if (b == null) {
                return null;
            }
            Long inserting = inserts.firstOffset(b, tp);
            return inserting != null ? inserting : b.firstOffset(tp);
        });
    }

    /** Marks newly assigned partitions to be checked against the table before their first record is written. */
    @Override
    public void open(Collection<TopicPartition> partitions) {
        resume.assigned(partitions);
        offsets.forget(partitions);
    }

    /** Unused: offsets are reported through {@link #preCommit}. */
    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    }

    /**
     * Gives the partitions up without writing anything more for them. Kafka Connect calls this after
     * {@link #preCommit} when partitions are revoked (the offsets it commits then were already reported), and
     * without it when they are lost (the consumer was ejected from its group, and another task may own them
     * already). Either way, any row of these partitions written from now on could be written by their next owner
     * too. So their buffered rows are dropped (uncommitted: the next owner reads them again), and running inserts
     * holding their rows are interrupted so they make no further attempt ({@link BackgroundInserts#abandon}); an
     * attempt already sent may still run on the server, and the next owner waits for it before checking
     * ({@link StaleInserts}). Rows of partitions this task keeps that were in such an insert are delivered again
     * from their first offset. Never waits for ClickHouse, so a rebalance is not held up by a slow server.
     */
    @Override
    public void close(Collection<TopicPartition> partitions) {
        if (inserts.failure() == null) {
            Map<TopicPartition, Long> orphaned = inserts.abandon(partitions);
            for (Map.Entry<TopicPartition, Long> e : orphaned.entrySet()) {
                TopicPartition tp = e.getKey();
                TableBuffer b = router.forTopic(tp.topic());
                if (b != null) {
                    b.drop(List.of(tp));
                }
                context.offset(tp, e.getValue());
                offsets.rewind(tp, e.getValue());
                resume.recheck(tp);
            }
        }
        for (TableBuffer b : router.batches()) {
            int dropped = b.drop(partitions);
            if (dropped > 0) {
                log.debug("Dropped {} buffered rows of closed partitions {} for {}", dropped, partitions, b.schema());
            }
        }
        dispatcher.forget(partitions);
        offsets.forget(partitions);
        resume.forget(partitions);
        stale.forget(partitions);
    }

    /**
     * Drops unwritten rows (their offsets are uncommitted, so they are redelivered), stops the insert threads and
     * waits, up to {@link BackgroundInserts#STOP_WAIT_MS}, until none of this task's inserts runs on the server any
     * more (ClickHouse 18.16 cannot kill an INSERT: it is waited for), so that no insert outlives the task; removes
     * the metrics and logs totals. Kafka Connect gives a stopping task {@code task.shutdown.graceful.timeout.ms}
     * (5 s by default) before it abandons it; a worker that exits sooner leaves such an insert running, and the
     * partitions' next owner then waits for it ({@link StaleInserts}).
     */
    @Override
    public void stop() {
        if (metrics != null) {
            log.info("ClickHouse sink task stopping: {} rows in {} batches written, {} records dead-lettered, {} "
                    + "records skipped as already written", metrics.value("records-inserted"),
                    metrics.value("batches-inserted"), metrics.value("records-dead-lettered"),
                    metrics.value("records-skipped"));
        }
        if (inserts != null) {
            Set<String> left = inserts.close(BackgroundInserts.STOP_WAIT_MS);
            if (!left.isEmpty()) {
                log.warn("Inserts {} still run on the server {} ms after the task stopped; the next owner of their "
                        + "partitions waits for them before checking", left, BackgroundInserts.STOP_WAIT_MS);
            }
        }
        if (metricsRegistration != null) {
            metricsRegistration.close();
        }
        if (router != null) {
            router.clear();
            dispatcher.clear();
        }
    }
}
