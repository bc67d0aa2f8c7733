package io.sluice.aggregator.core;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The I/O-free second half of the aggregation core: merges a batch's {@link ItemDelta} into the current state of
 * its item, leaving out readings whose offsets the item has already decided. Pure and thread-safe.
 */
public final class ItemMerger {

    private final long windowMillis;
    /** TTL in seconds, or null when TTL is off. */
    private final Long ttlSeconds;

    /** @param settings window length and TTL */
    public ItemMerger(AggregatorSettings settings) {
        Objects.requireNonNull(settings, "settings");
        this.windowMillis = settings.windowMillis();
        this.ttlSeconds = settings.ttl().map(Duration::toSeconds).orElse(null);
    }

    /**
     * Outcome of a merge.
     *
     * @param next       the new item state to write (version + 1), or null when the delta holds nothing new
     * @param fresh      readings the write adds
     * @param duplicates readings left out because the item already decided them
     */
    public record Result(ItemState next, long fresh, long duplicates) {
    }

    /**
     * Merges a delta.
     *
     * <p>For each contributing source, the readings not in the item's applied set for that source are added to the
     * statistics, and the contribution's claim is added to the applied set. If no reading is new, nothing is written
     * (the claim is then not recorded, which is safe: it only ever widens what counts as decided).
     *
     * @param current the item as last read or written, or null if it does not exist
     * @param delta   the batch's contribution to this item
     * @param nowMs   wall-clock time for {@code updated_at}, epoch ms
     * @return the new state and counts
     */
    public Result merge(ItemState current, ItemDelta delta, long nowMs) {
        Stats stats = current == null ? null : current.stats();
        Map<String, OffsetRanges> before = current == null ? Map.of() : current.applied();
        Map<String, Contribution> contributions = delta.contributions();
        long fresh = 0;
        long dup = 0;
        Map<String, OffsetRanges> applied;
        Contribution only = contributions.size() == 1 ? contributions.values().iterator().next() : null;
        if (only != null && (before.isEmpty() || before.size() == 1 && before.containsKey(only.source()))) {
            // One source before and after, the common case: an immutable one-entry map, no copy of the old one.
            OffsetRanges done = before.getOrDefault(only.source(), OffsetRanges.EMPTY);
            Contribution.Fresh f = only.select(done);
            fresh = f.fresh();
            dup = f.duplicates();
            if (f.stats() != null) {
                stats = stats == null ? f.stats() : stats.merge(f.stats());
            }
            applied = Map.of(only.source(), done.union(only.claim()));
        } else {
            applied = new HashMap<>(before);
            for (Contribution c : contributions.values()) {
                OffsetRanges done = applied.getOrDefault(c.source(), OffsetRanges.EMPTY);
                Contribution.Fresh f = c.select(done);
                fresh += f.fresh();
                dup += f.duplicates();
                if (f.stats() != null) {
                    stats = stats == null ? f.stats() : stats.merge(f.stats());
                }
                applied.put(c.source(), done.union(c.claim()));
            }
        }
        if (fresh == 0) {
            return new Result(null, 0, dup);
        }
        long end = delta.key().windowStartMs() + windowMillis;
        Long expires = ttlSeconds == null ? null : Math.floorDiv(end, 1000) + ttlSeconds;
        long version = current == null ? 1 : current.version() + 1;
        return new Result(new ItemState(delta.key(), end, stats, applied, version, nowMs, expires), fresh, dup);
    }
}
