package io.sluice.aggregator;

import io.sluice.aggregator.core.AggregatorSettings;
import io.sluice.aggregator.core.BatchPreparer;
import io.sluice.aggregator.core.Contribution;
import io.sluice.aggregator.core.ItemDelta;
import io.sluice.aggregator.core.Metrics;
import io.sluice.aggregator.core.PartitionSlice;
import io.sluice.aggregator.core.PreparedBatch;
import io.sluice.aggregator.core.Rejection;
import io.sluice.aggregator.dynamo.WindowStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core both entry points share: prepares a batch ({@link BatchPreparer}) and applies it to DynamoDB
 * ({@link WindowStore}), logging every skipped record with its partition and offset.
 *
 * <p>Invalid records are logged at WARN as one JSON object per record, for example
 * {@code {"event":"invalid_reading","topic":"readings","partition":2,"offset":17,"field":"temperature",
 * "reason":"..."}}, and counted in {@link Metrics.Snapshot#invalid()}; they never fail a batch. Late readings are
 * counted in {@link Metrics.Snapshot#late()} and summarised per batch at INFO.
 */
public final class Aggregator {

    private static final Logger LOG = LoggerFactory.getLogger(Aggregator.class);

    private final BatchPreparer preparer;
    private final WindowStore store;
    private final Metrics metrics;

    /**
     * Outcome of one batch.
     *
     * @param watermarkAfter per {@code topic-partition}: the watermark after the slice (see
     *                       {@link PreparedBatch#watermarkAfter()})
     * @param failedFrom     per {@code topic-partition} that has readings in failed items: the smallest offset among
     *                       them; the partition must be redelivered from there. Empty on full success.
     */
    public record Outcome(Map<String, Long> watermarkAfter, Map<String, Long> failedFrom) {
        /** Copies the maps. */
        public Outcome {
            watermarkAfter = Map.copyOf(watermarkAfter);
            failedFrom = Map.copyOf(failedFrom);
        }

        /** Returns whether all items of the batch were applied. */
        public boolean ok() {
            return failedFrom.isEmpty();
        }
    }

    /**
     * @param settings aggregation semantics
     * @param store    where items are written
     * @param metrics  counters (shared with the store)
     */
    public Aggregator(AggregatorSettings settings, WindowStore store, Metrics metrics) {
        this(settings, store, metrics, Clock.systemUTC());
    }

    /**
     * @param settings aggregation semantics
     * @param store    where items are written
     * @param metrics  counters (shared with the store)
     * @param clock    the clock event times are checked against (readings too far ahead of it are rejected)
     */
    public Aggregator(AggregatorSettings settings, WindowStore store, Metrics metrics, Clock clock) {
        this.preparer = new BatchPreparer(settings, clock);
        this.store = Objects.requireNonNull(store, "store");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Returns the counters. */
    public Metrics metrics() {
        return metrics;
    }

    /**
     * Processes one batch: every slice (one per topic-partition) is prepared and all resulting items are written.
     *
     * @param slices the batch, one slice per topic-partition
     * @return watermarks and, on partial failure, where each affected partition must resume
     * @throws InterruptedException if interrupted while writing
     */
    public Outcome process(List<PartitionSlice> slices) throws InterruptedException {
        return process(slices, Set.of());
    }

    /**
     * Processes one batch, naming the partitions whose previous slice this process did not write.
     *
     * @param slices       the batch, one slice per topic-partition
     * @param staleSources {@code topic-partition} names whose cached items may be stale (see
     *                     {@link WindowStore#apply(java.util.Collection, Set)})
     * @return watermarks and, on partial failure, where each affected partition must resume
     * @throws InterruptedException if interrupted while writing
     */
    public Outcome process(List<PartitionSlice> slices, Set<String> staleSources) throws InterruptedException {
        metrics.records(slices.stream().mapToLong(s -> s.records().size()).sum());
        PreparedBatch batch = preparer.prepare(slices);
        for (Rejection r : batch.rejected()) {
            LOG.warn("{\"event\":\"invalid_reading\",\"topic\":\"{}\",\"partition\":{},\"offset\":{},"
                            + "\"field\":{},\"reason\":\"{}\"}",
                    r.topic(), r.partition(), r.offset(), r.field() == null ? "null" : "\"" + r.field() + "\"",
                    jsonEscape(r.reason()));
        }
        metrics.invalid(batch.rejected().size());
        if (batch.late() > 0) {
            metrics.late(batch.late());
            LOG.info("{\"event\":\"late_readings_skipped\",\"count\":{}}", batch.late());
        }
        WindowStore.ApplyResult result = store.apply(batch.deltas().values(), staleSources);
        Map<String, Long> failedFrom = new HashMap<>();
        for (ItemDelta d : result.failed()) {
            for (Contribution c : d.contributions().values()) {
                failedFrom.merge(c.source(), c.minOffset(), Math::min);
            }
        }
        return new Outcome(batch.watermarkAfter(), failedFrom);
    }

    static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
