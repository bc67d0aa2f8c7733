package io.sluice.aggregator.core;

import java.util.List;
import java.util.Objects;

/**
 * The records of one topic-partition in one batch, with what the caller knows about that partition's history.
 *
 * @param topic           topic name
 * @param partition       partition number
 * @param claim           offsets that every item written from this slice records as decided: the runs of the
 *                        slice's own offsets, widened downwards to the start of the caller's session when the caller
 *                        has itself processed every record of the partition from there up to this slice (see the
 *                        design section of {@code sluice-aggregator/README.md}); must contain every record offset
 * @param watermarkBefore maximum event time (epoch ms) of the partition's records before this slice, or
 *                        {@link #NO_WATERMARK} when unknown
 * @param records         the records, in strictly ascending offset order, all of this topic-partition
 */
public record PartitionSlice(String topic, int partition, OffsetRanges claim, long watermarkBefore,
                             List<ConsumedRecord> records) {

    /** Watermark value meaning "unknown": no reading is judged late against it. */
    public static final long NO_WATERMARK = Long.MIN_VALUE;

    /**
     * Validates the slice.
     *
     * @throws IllegalArgumentException if the records are empty, not ascending, of another partition, or not all
     *                                  inside the claim
     */
    public PartitionSlice {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(claim, "claim");
        records = List.copyOf(records);
        if (records.isEmpty()) {
            throw new IllegalArgumentException("empty slice for " + ConsumedRecord.sourceName(topic, partition));
        }
        long prev = -1;
        for (ConsumedRecord r : records) {
            if (!r.topic().equals(topic) || r.partition() != partition) {
                throw new IllegalArgumentException("record of " + r.source() + " in slice of "
                        + ConsumedRecord.sourceName(topic, partition));
            }
            if (r.offset() <= prev) {
                throw new IllegalArgumentException("offsets not ascending in " + r.source() + " at " + r.offset());
            }
            if (!claim.contains(r.offset())) {
                throw new IllegalArgumentException("claim " + claim + " misses offset " + r.offset());
            }
            prev = r.offset();
        }
    }

    /** Returns {@code topic-partition}. */
    public String source() {
        return ConsumedRecord.sourceName(topic, partition);
    }

    /** Returns the first record's offset. */
    public long firstOffset() {
        return records.get(0).offset();
    }

    /** Returns the last record's offset. */
    public long lastOffset() {
        return records.get(records.size() - 1).offset();
    }

    /** Returns the record offsets, ascending. */
    public long[] offsets() {
        return records.stream().mapToLong(ConsumedRecord::offset).toArray();
    }
}
