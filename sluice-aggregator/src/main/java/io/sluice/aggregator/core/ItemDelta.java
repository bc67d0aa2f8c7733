package io.sluice.aggregator.core;

import java.util.Map;

/**
 * Everything one batch contributes to one item: one {@link Contribution} per source topic-partition.
 *
 * @param key           the item
 * @param contributions contributions by {@code topic-partition}, at least one
 */
public record ItemDelta(WindowKey key, Map<String, Contribution> contributions) {

    /** Copies the map. */
    public ItemDelta {
        contributions = Map.copyOf(contributions);
        if (contributions.isEmpty()) {
            throw new IllegalArgumentException("no contributions for " + key);
        }
    }

    /** Returns the number of readings in the delta. */
    public int readings() {
        return contributions.values().stream().mapToInt(Contribution::size).sum();
    }
}
