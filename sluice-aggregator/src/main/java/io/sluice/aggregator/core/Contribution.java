package io.sluice.aggregator.core;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * The readings one topic-partition contributes to one item in one batch: the pre-aggregated total, plus each
 * reading's offset so that readings already applied by an earlier (overlapping) delivery can be left out exactly.
 */
public final class Contribution {

    private final String source;
    private final OffsetRanges claim;
    private final long[] offsets;
    private final long[] eventMs;
    private final BigDecimal[] temperatures;
    private final Stats total;

    private Contribution(String source, OffsetRanges claim, long[] offsets, long[] eventMs,
                         BigDecimal[] temperatures, Stats total) {
        this.source = source;
        this.claim = claim;
        this.offsets = offsets;
        this.eventMs = eventMs;
        this.temperatures = temperatures;
        this.total = total;
    }

    /**
     * Which of the contribution's readings are new to an item.
     *
     * @param stats      statistics of the new readings, or null if there are none
     * @param fresh      number of new readings
     * @param duplicates number of readings the item has already decided
     */
    public record Fresh(Stats stats, int fresh, int duplicates) {
    }

    /** Returns {@code topic-partition} of the contribution. */
    public String source() {
        return source;
    }

    /** Returns the offsets every write of this contribution marks as decided (see {@link PartitionSlice#claim()}). */
    public OffsetRanges claim() {
        return claim;
    }

    /** Returns the number of readings. */
    public int size() {
        return offsets.length;
    }

    /** Returns the smallest reading offset. */
    public long minOffset() {
        return offsets[0];
    }

    /** Returns the pre-aggregated statistics of all readings of the contribution. */
    public Stats total() {
        return total;
    }

    /**
     * Selects the readings whose offsets are not in {@code applied}.
     *
     * @param applied offsets of this source already decided for the item
     * @return the new readings' statistics and counts; O(1) when no offset of the contribution is applied
     */
    public Fresh select(OffsetRanges applied) {
        if (applied.isEmpty() || !applied.intersects(offsets[0], offsets[offsets.length - 1])) {
            return new Fresh(total, offsets.length, 0);
        }
        Stats s = null;
        int fresh = 0;
        for (int i = 0; i < offsets.length; i++) {
            if (!applied.contains(offsets[i])) {
                Stats one = Stats.of(temperatures[i], eventMs[i]);
                s = s == null ? one : s.merge(one);
                fresh++;
            }
        }
        return new Fresh(s, fresh, offsets.length - fresh);
    }

    /** Accumulates the readings of one source for one item, in ascending offset order. Not thread-safe. */
    public static final class Builder {
        private final String source;
        private final OffsetRanges claim;
        private long[] offsets = new long[8];
        private long[] eventMs = new long[8];
        private BigDecimal[] temperatures = new BigDecimal[8];
        private int n;
        // The running total, kept unboxed; equal to merging Stats.of(reading) in order (see Stats#merge).
        private BigDecimal sum;
        private BigDecimal min;
        private BigDecimal max;
        private long firstEventMs;
        private long lastEventMs;

        /**
         * @param source {@code topic-partition}
         * @param claim  the slice's claim
         */
        public Builder(String source, OffsetRanges claim) {
            this.source = source;
            this.claim = claim;
        }

        /**
         * Adds one reading.
         *
         * @param offset      record offset, greater than the previous one added
         * @param eventMs     event time, epoch ms UTC
         * @param temperature exact temperature
         */
        public void add(long offset, long eventMs, BigDecimal temperature) {
            if (n == offsets.length) {
                offsets = Arrays.copyOf(offsets, n * 2);
                this.eventMs = Arrays.copyOf(this.eventMs, n * 2);
                temperatures = Arrays.copyOf(temperatures, n * 2);
            }
            offsets[n] = offset;
            this.eventMs[n] = eventMs;
            temperatures[n] = temperature;
            if (n == 0) {
                sum = temperature;
                min = temperature;
                max = temperature;
                firstEventMs = eventMs;
                lastEventMs = eventMs;
            } else {
                sum = sum.add(temperature);
                min = min.min(temperature);
                max = max.max(temperature);
                firstEventMs = Math.min(firstEventMs, eventMs);
                lastEventMs = Math.max(lastEventMs, eventMs);
            }
            n++;
        }

        /** Returns the contribution; at least one reading must have been added. */
        public Contribution build() {
            if (n == 0) {
                throw new IllegalStateException("empty contribution");
            }
            return new Contribution(source, claim, Arrays.copyOf(offsets, n), Arrays.copyOf(eventMs, n),
                    Arrays.copyOf(temperatures, n), new Stats(n, sum, min, max, firstEventMs, lastEventMs));
        }
    }
}
