package io.sluice.sink.clickhouse.task;

import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.metrics.SinkTaskMetrics;
import io.sluice.sink.clickhouse.writer.RefusedRow;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records that cannot be written: sent to the dead-letter queue through Kafka Connect's
 * {@link ErrantRecordReporter} (KIP-610; the worker adds the reason to the record's {@code __connect.errors.*}
 * headers) when {@code errors.tolerance=all}, otherwise the task fails naming the record and the reason. Called on
 * the task thread only (the reporter's ordering before {@code preCommit} is promised for reports from {@code put}).
 */
public final class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final ErrantRecordReporter reporter;
    private final boolean tolerated;
    private final SinkTaskMetrics metrics;
    private final List<Future<Void>> pending = new ArrayList<>();

    /**
     * @param reporter  the worker's reporter, or {@code null} when errors are not tolerated or the worker predates
     *                  Kafka 2.6
     * @param tolerated whether {@code errors.tolerance=all}
     * @param metrics   counts dead-lettered records
     */
    public DeadLetters(ErrantRecordReporter reporter, boolean tolerated, SinkTaskMetrics metrics) {
        this.reporter = reporter;
        this.tolerated = tolerated;
        this.metrics = metrics;
    }

    /** Returns the dead letters of a task: with the context's reporter when errors are tolerated. */
    public static DeadLetters of(SinkTaskContext context, boolean tolerated, SinkTaskMetrics metrics) {
        ErrantRecordReporter reporter = null;
        if (tolerated) {
            try {
                reporter = context.errantRecordReporter();
            } catch (NoSuchMethodError | NoClassDefFoundError e) {
                reporter = null; // workers before Kafka 2.6
            }
        }
        return new DeadLetters(reporter, tolerated, metrics);
    }

    /**
     * Sends a record to the dead-letter queue with the reason.
     *
     * @param table where it was going, for the message ({@code db.table}, or "ClickHouse" before routing)
     * @throws ConnectException naming the record and the reason, when there is no dead-letter queue
     */
    public void reject(SinkRecord r, String table, RecordEncodingException e) {
        report(r, table, e.getMessage());
    }

    /**
     * Sends a row that the server refused alone to the dead-letter queue, with the server's message.
     *
     * @throws ConnectException naming the record and the server's message, when there is no dead-letter queue
     */
    public void refused(RefusedRow row) {
        report(row.record(), row.table(), row.reason());
    }

    private void report(SinkRecord r, String table, String reason) {
        String msg = "cannot write record " + r.topic() + "-" + r.kafkaPartition() + "@" + r.kafkaOffset() + " to "
                + table + ": " + reason;
        if (reporter == null) {
            throw new ConnectException(msg + (tolerated ? ""
                    : " (set errors.tolerance=all and errors.deadletterqueue.topic.name to dead-letter such records)"));
        }
        log.warn("Dead-lettering {}", msg);
        pending.add(reporter.report(r, new DataException(msg)));
        metrics.deadLettered();
    }

    /**
     * Waits until every dead-letter write so far is acknowledged, so their offsets may be committed.
     *
     * @throws ConnectException if a write failed or the wait was interrupted
     */
    public void awaitWritten() {
        for (Future<Void> f : pending) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new ConnectException("writing to the dead-letter queue failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException("interrupted while awaiting dead-letter writes", e);
            }
        }
        pending.clear();
    }
}
