package io.sluice.aggregator.core;

import io.sluice.core.InvalidReadingException;
import io.sluice.core.ReadingJson;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The I/O-free first half of the aggregation core: decodes and validates each record, assigns it to its tumbling
 * window, applies the lateness rule against the partition watermark, and pre-aggregates per (device, window) so
 * that writes scale with distinct pairs rather than readings. Stateless and thread-safe.
 *
 * <p>It reads the clock once per batch: a reading more than {@link AggregatorSettings#maxClockSkew()} ahead of it
 * is rejected, and a watermark handed in that is beyond the same limit (written before this rule existed) is
 * discarded as unknown, so the watermark never runs ahead of the clock plus the skew.
 */
public final class BatchPreparer {

    private final AggregatorSettings settings;
    private final Clock clock;

    /** @param settings window length, allowed lateness and clock skew; the clock is the system's UTC clock */
    public BatchPreparer(AggregatorSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /**
     * @param settings window length, allowed lateness and clock skew
     * @param clock    the clock event times are checked against
     */
    public BatchPreparer(AggregatorSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Prepares a batch.
     *
     * <p>Per slice, records are visited in offset order. A record whose value fails {@link ReadingRules#check}, or
     * whose event time is more than the allowed clock skew ahead of the clock, is returned as a {@link Rejection}.
     * A slice's {@code watermarkBefore} beyond the clock plus the skew is treated as unknown. A valid reading is late when the watermark before it (the slice's
     * {@code watermarkBefore}, raised by each earlier valid reading of the slice) is at or past its window end plus
     * the allowed lateness; late readings are counted and skipped. Every valid reading, late or not, raises the
     * watermark to its event time.
     *
     * @param slices slices of distinct topic-partitions
     * @return the deltas, watermarks and counters
     * @throws IllegalArgumentException if two slices have the same topic-partition
     */
    public PreparedBatch prepare(List<PartitionSlice> slices) {
        Map<WindowKey, ItemDelta> deltas = new HashMap<>(capacity(slices.stream().mapToInt(x -> x.records().size()).sum()));
        Map<String, Long> watermarks = new HashMap<>();
        List<Rejection> rejected = new ArrayList<>();
        long accepted = 0;
        long late = 0;
        long window = settings.windowMillis();
        long lateness = settings.allowedLateness().toMillis();
        long now = clock.millis();
        long horizon = now + settings.maxClockSkew().toMillis();
        for (PartitionSlice slice : slices) {
            String source = slice.source();
            if (watermarks.containsKey(source)) {
                throw new IllegalArgumentException("two slices for " + source);
            }
            // Per slice first, so each reading costs one map lookup; merged per item after the slice.
            Map<WindowKey, Contribution.Builder> ofSlice = new HashMap<>(capacity(slice.records().size()));
            long wm = slice.watermarkBefore();
            if (wm > horizon) {
                wm = PartitionSlice.NO_WATERMARK;
            }
            for (ConsumedRecord r : slice.records()) {
                ReadingRules.Accepted a;
                try {
                    a = ReadingRules.check(r.value());
                } catch (InvalidReadingException e) {
                    rejected.add(new Rejection(r.topic(), r.partition(), r.offset(), e.field(), e.getMessage()));
                    continue;
                }
                if (a.eventMs() > horizon) {
                    rejected.add(new Rejection(r.topic(), r.partition(), r.offset(), ReadingJson.TIMESTAMP,
                            "event time " + Instant.ofEpochMilli(a.eventMs()) + " is more than "
                                    + settings.maxClockSkew() + " ahead of the clock (" + Instant.ofEpochMilli(now)
                                    + ")"));
                    continue;
                }
                long start = settings.windowStart(a.eventMs());
                boolean isLate = wm != PartitionSlice.NO_WATERMARK && wm >= start + window + lateness;
                wm = Math.max(wm, a.eventMs());
                if (isLate) {
                    late++;
                    continue;
                }
                accepted++;
                WindowKey key = new WindowKey(a.deviceId(), start);
                Contribution.Builder b = ofSlice.get(key);
                if (b == null) {
                    b = new Contribution.Builder(source, slice.claim());
                    ofSlice.put(key, b);
                }
                b.add(r.offset(), a.eventMs(), a.temperature());
            }
            watermarks.put(source, wm);
            for (Map.Entry<WindowKey, Contribution.Builder> e : ofSlice.entrySet()) {
                WindowKey key = e.getKey();
                deltas.merge(key, new ItemDelta(key, Map.of(source, e.getValue().build())), BatchPreparer::combine);
            }
        }
        return new PreparedBatch(deltas, watermarks, accepted, rejected, late);
    }

    /** Returns the delta holding the contributions of both; their sources are distinct (one slice per source). */
    private static ItemDelta combine(ItemDelta a, ItemDelta b) {
        Map<String, Contribution> c = new HashMap<>(a.contributions());
        c.putAll(b.contributions());
        return new ItemDelta(a.key(), c);
    }

    /**
     * Returns a {@link HashMap} capacity for up to {@code records} keys without rehashing, capped so that a large
     * batch of few items does not allocate a large table (distinct items are at most the records).
     */
    private static int capacity(int records) {
        return Math.min(records, 4096) * 4 / 3 + 1;
    }
}
