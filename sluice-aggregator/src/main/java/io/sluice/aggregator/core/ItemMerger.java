package io.sluice.aggregator.core;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The I/O-free second half of the aggregation core: merges a batch's {@link ItemDelta} into the current state of
 * its item, leaving out readings whose offsets the item has already decided. Pure and thread-safe.
 */
public final class ItemMerger {

    private final AggregatorSettings settings;

    /** @param settings window length and TTL */
    public ItemMerger(AggregatorSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
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
        Map<String, OffsetRanges> applied = current == null ? new HashMap<>() : new HashMap<>(current.applied());
        long fresh = 0;
        long dup = 0;
        for (Contribution c : delta.contributions().values()) {
            OffsetRanges done = applied.getOrDefault(c.source(), OffsetRanges.EMPTY);
            Contribution.Fresh f = c.select(done);
            fresh += f.fresh();
            dup += f.duplicates();
            if (f.stats() != null) {
                stats = stats == null ? f.stats() : stats.merge(f.stats());
            }
            applied.put(c.source(), done.union(c.claim()));
        }
        if (fresh == 0) {
            return new Result(null, 0, dup);
        }
        long start = delta.key().windowStartMs();
        long end = start + settings.windowMillis();
        Long expires = settings.ttl().map(t -> Math.floorDiv(end, 1000) + t.toSeconds()).orElse(null);
        long version = current == null ? 1 : current.version() + 1;
        return new Result(new ItemState(delta.key(), end, stats, applied, version, nowMs, expires), fresh, dup);
    }
}
