package io.sluice.sink.clickhouse;

import io.sluice.sink.clickhouse.encode.RecordEncoder;
import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.http.ServerVersion;
import io.sluice.sink.clickhouse.schema.TableCatalog;
import io.sluice.sink.clickhouse.schema.TableCreator;
import io.sluice.sink.clickhouse.schema.TableSchema;
import io.sluice.sink.clickhouse.writer.BatchInserter;
import io.sluice.sink.clickhouse.writer.BoundedRetry;
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
 */
public final class ClickHouseSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(ClickHouseSinkTask.class);

    private ClickHouseSinkConfig config;
    private ClickHouseClient client;
    private TableCatalog catalog;
    private TableCreator creator;
    private BoundedRetry retry;
    private BatchInserter inserter;
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
     * @throws ConnectException if the configuration is invalid or the server cannot be reached within retry.timeout.ms
     */
    @Override
    public void start(Map<String, String> props) {
        config = new ClickHouseSinkConfig(props);
        client = new ClickHouseClient(config.endpoint());
        catalog = new TableCatalog(client);
        retry = new BoundedRetry(config.retryPolicy());
        inserter = new BatchInserter(client, retry, config.exactlyOnce());
        try {
            ServerVersion v = retry.call("Reading the server version", client::version);
            creator = new TableCreator(v);
            log.info("ClickHouse sink task started: {} (server {}), batches of up to {} rows / {} bytes / {} ms",
                    client.endpoint(), v, config.batchMaxRows(), config.batchMaxBytes(), config.flushIntervalMs());
        } catch (ClickHouseException e) {
            throw new ConnectException("cannot reach ClickHouse at " + client.endpoint().url() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while connecting to ClickHouse", e);
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
        for (SinkRecord r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.kafkaPartition());
            Long next = nextOffsets.get(tp);
            if (next != null && r.kafkaOffset() < next) {
                continue; // redelivered after a retriable failure: already buffered or written
            }
            if (r.value() == null) {
                log.debug("Skipping tombstone at {}-{}@{}", r.topic(), r.kafkaPartition(), r.kafkaOffset());
            } else {
                TableBatch batch = batchFor(r);
                if (config.exactlyOnce() && alreadyWritten(tp, r, batch.schema())) {
                    nextOffsets.put(tp, r.kafkaOffset() + 1);
                    continue;
                }
                try {
                    batch.add(r, tp, now);
                } catch (RecordEncodingException e) {
                    reject(r, batch.schema().toString(), e);
                }
                if (batch.rowCount() >= config.batchMaxRows() || batch.byteCount() >= config.batchMaxBytes()) {
                    flush(batch);
                }
            }
            nextOffsets.put(tp, r.kafkaOffset() + 1);
        }
        for (TableBatch b : batches.values()) {
            if (b.rowCount() > 0 && b.ageMs(now) >= config.flushIntervalMs()) {
                flush(b);
            }
        }
    }

    private boolean alreadyWritten(TopicPartition tp, SinkRecord r, TableSchema schema) {
        if (unchecked.remove(tp)) {
            try {
                long[] written = retry.call("Reading the written offsets of " + tp + " from " + schema,
                        () -> WrittenOffsets.query(client, schema, tp.topic(), tp.partition(), r.kafkaOffset(),
                                Long.MAX_VALUE));
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
            } catch (InterruptedException e) {
                unchecked.add(tp);
                Thread.currentThread().interrupt();
                throw new ConnectException("interrupted while reading written offsets of " + tp, e);
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

    private TableBatch batchFor(SinkRecord r) {
        TableBatch b = batchByTopic.get(r.topic());
        if (b != null) {
            return b;
        }
        String table = config.tableFor(r.topic());
        b = batches.get(table);
        if (b == null) {
            TableSchema schema = loadOrCreate(table, r);
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

    private TableSchema loadOrCreate(String table, SinkRecord first) {
        try {
            TableSchema s = retry.call("Reading the structure of " + table,
                    () -> catalog.get(config.database(), table));
            if (s != null) {
                return s;
            }
            if (!config.autoCreate()) {
                throw new ConnectException("table " + config.database() + "." + table + " (for topic " + first.topic()
                        + ") does not exist; create it, or set " + ClickHouseSinkConfig.AUTO_CREATE + "=true");
            }
            String ddl = creator.createTableSql(config.database(), table, first, config.orderBy(), config.partitionBy());
            log.info("Creating table: {}", ddl);
            retry.call("Creating " + table, () -> client.query(ddl));
            catalog.invalidate(config.database(), table);
            return retry.call("Reading the structure of " + table, () -> catalog.get(config.database(), table));
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
        recordsDeadLettered++;
    }

    private void flush(TableBatch batch) {
        int rows = batch.rowCount();
        long bytes = batch.byteCount();
        long start = System.nanoTime();
        try {
            for (TableBatch.Shape shape : batch.nonEmptyShapes()) {
                inserter.insert(batch.schema(), shape);
            }
        } catch (ClickHouseException e) {
            throw new ConnectException("insert of " + rows + " rows into " + batch.schema() + " failed; offsets stay "
                    + "uncommitted and the rows will be redelivered: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while inserting into " + batch.schema(), e);
        }
        batch.clear();
        rowsWritten += rows;
        batchesWritten++;
        log.debug("Inserted {} rows ({} bytes) into {} in {} ms", rows, bytes, batch.schema(),
                (System.nanoTime() - start) / 1_000_000);
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
                    flush(b);
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
