package io.sluice.aggregator.core;

import java.util.Map;
import java.util.Objects;

/**
 * The full content of one aggregate item as stored in DynamoDB (see {@code io.sluice.aggregator.dynamo.ItemCodec}
 * for attribute names and types).
 *
 * @param key          device and window start
 * @param windowEndMs  window end, exclusive, epoch ms UTC
 * @param stats        statistics of the readings applied so far
 * @param applied      per source {@code topic-partition}: the offsets decided for this item
 * @param version      optimistic-lock version, 1 for a new item, incremented by every write
 * @param updatedAtMs  wall-clock time of the last write, epoch ms UTC
 * @param expiresAtSec DynamoDB TTL attribute value, epoch seconds, or null when TTL is off
 */
public record ItemState(WindowKey key, long windowEndMs, Stats stats, Map<String, OffsetRanges> applied,
                        long version, long updatedAtMs, Long expiresAtSec) {

    /** Copies the map. */
    public ItemState {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(stats, "stats");
        applied = Map.copyOf(applied);
    }

    /** Returns the offsets decided for a source, empty if none. */
    public OffsetRanges appliedFor(String source) {
        return applied.getOrDefault(source, OffsetRanges.EMPTY);
    }
}
