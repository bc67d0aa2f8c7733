package io.sluice.aggregator.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one aggregator instance since it was created; thread-safe. The Lambda handler prints them per
 * invocation as CloudWatch Embedded Metric Format, the runner logs them; both expose {@link #snapshot()}.
 */
public final class Metrics {

    private final AtomicLong records = new AtomicLong();
    private final AtomicLong invalid = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong failedItems = new AtomicLong();

    /**
     * A point-in-time copy of the counters.
     *
     * @param records     Kafka records received
     * @param invalid     records skipped as invalid (malformed JSON, missing fields, out-of-range values)
     * @param late        valid readings skipped as later than the allowed lateness
     * @param applied     readings added to an item by a successful write
     * @param duplicates  readings skipped because their item had already decided their offset (redelivery)
     * @param writes      successful conditional item writes (PutItem)
     * @param conflicts   writes rejected by their condition (ConditionalCheckFailedException), then re-merged
     * @param reads       items read before writing them (BatchGetItem keys answered, found or not, and GetItem
     *                    after a failed condition that returned no item)
     * @param throttled   writes and reads retried after throttling or a transient error
     * @param failedItems item writes given up after bounded retries (their records are retried by the caller)
     */
    public record Snapshot(long records, long invalid, long late, long applied, long duplicates, long writes,
                           long conflicts, long reads, long throttled, long failedItems) {
    }

    /** Adds received records. */
    public void records(long n) {
        records.addAndGet(n);
    }

    /** Adds invalid records. */
    public void invalid(long n) {
        invalid.addAndGet(n);
    }

    /** Adds late readings. */
    public void late(long n) {
        late.addAndGet(n);
    }

    /** Adds a successful write that applied {@code fresh} readings and skipped {@code dup} already-applied ones. */
    public void written(long fresh, long dup) {
        writes.incrementAndGet();
        applied.addAndGet(fresh);
        duplicates.addAndGet(dup);
    }

    /** Adds readings skipped as duplicates without a write. */
    public void duplicates(long n) {
        duplicates.addAndGet(n);
    }

    /** Adds a failed write condition. */
    public void conflict() {
        conflicts.incrementAndGet();
    }

    /** Adds items read before writing. */
    public void reads(long n) {
        reads.addAndGet(n);
    }

    /** Adds a throttled or transiently failed write that will be retried. */
    public void throttled() {
        throttled.incrementAndGet();
    }

    /** Adds an item given up. */
    public void failedItem() {
        failedItems.incrementAndGet();
    }

    /** Returns the current counters. */
    public Snapshot snapshot() {
        return new Snapshot(records.get(), invalid.get(), late.get(), applied.get(), duplicates.get(), writes.get(),
                conflicts.get(), reads.get(), throttled.get(), failedItems.get());
    }
}
