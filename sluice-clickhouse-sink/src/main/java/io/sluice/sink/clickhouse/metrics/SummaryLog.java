package io.sluice.sink.clickhouse.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one INFO line per interval with what a task did since the previous line, so the log says what the sink
 * is doing without a line per batch.
 */
public final class SummaryLog {

    private static final Logger log = LoggerFactory.getLogger(SummaryLog.class);

    private final SinkTaskMetrics metrics;
    private final String task;
    private final long intervalMs;
    private long lastMs;
    private long received;
    private long inserted;
    private long batches;
    private long deadLettered;
    private long skipped;

    /**
     * @param metrics    the task's metrics
     * @param task       the task's name for the log, for example {@code readings-sink-0}
     * @param intervalMs interval in milliseconds; 0 for no summary
     * @param nowMs      current time in milliseconds
     */
    public SummaryLog(SinkTaskMetrics metrics, String task, long intervalMs, long nowMs) {
        this.metrics = metrics;
        this.task = task;
        this.intervalMs = intervalMs;
        this.lastMs = nowMs;
    }

    /** Logs the summary if the interval has passed since the last one. */
    public void maybeLog(long nowMs) {
        if (intervalMs <= 0 || nowMs - lastMs < intervalMs) {
            return;
        }
        long r = metrics.value("records-received").longValue();
        long i = metrics.value("records-inserted").longValue();
        long b = metrics.value("batches-inserted").longValue();
        long d = metrics.value("records-dead-lettered").longValue();
        long s = metrics.value("records-skipped").longValue();
        log.info("Sink task {}, last {} s: {} records received, {} rows inserted in {} batches (insert latency avg {} "
                        + "ms, max {} ms since start), {} dead-lettered, {} skipped as already written; {} pending, "
                        + "{} partitions paused", task, (nowMs - lastMs) / 1000, r - received, i - inserted,
                b - batches, Math.round(metrics.value("insert-latency-avg-ms").doubleValue()),
                metrics.value("insert-latency-max-ms"), d - deadLettered, s - skipped, metrics.value("records-pending"),
                metrics.value("partitions-paused"));
        lastMs = nowMs;
        received = r;
        inserted = i;
        batches = b;
        deadLettered = d;
        skipped = s;
    }
}
