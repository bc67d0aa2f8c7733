package io.sluice.aggregator.core;

import java.util.List;
import java.util.Map;

/**
 * A batch after decoding, validation, windowing, lateness and pre-aggregation, before any I/O.
 *
 * @param deltas          one delta per distinct (device, window) in the batch
 * @param watermarkAfter  per {@code topic-partition}: the watermark after the slice's last record (epoch ms, or
 *                        {@link PartitionSlice#NO_WATERMARK})
 * @param accepted        number of valid, timely readings
 * @param rejected        records skipped as invalid
 * @param late            number of valid readings skipped as too late
 */
public record PreparedBatch(Map<WindowKey, ItemDelta> deltas, Map<String, Long> watermarkAfter, long accepted,
                            List<Rejection> rejected, long late) {

    /** Copies the collections. */
    public PreparedBatch {
        deltas = Map.copyOf(deltas);
        watermarkAfter = Map.copyOf(watermarkAfter);
        rejected = List.copyOf(rejected);
    }
}
