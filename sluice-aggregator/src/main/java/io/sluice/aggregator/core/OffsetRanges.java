package io.sluice.aggregator.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable set of Kafka offsets of one topic-partition, kept as sorted, disjoint, non-adjacent inclusive
 * intervals {@code [lo, hi]}.
 *
 * <p>It is the "applied" bookkeeping of a window item: for a source partition it names the offsets whose records
 * for that item have been decided (added to the aggregate, or judged too late) by some successful write. See the
 * design section of {@code sluice-aggregator/README.md}.
 *
 * <p>Text form, as stored in DynamoDB: {@code "lo-hi,lo-hi"} in ascending order, for example {@code "0-99,200-350"};
 * the empty set is the empty string. Offsets are non-negative longs.
 */
public final class OffsetRanges {

    /** The empty set. */
    public static final OffsetRanges EMPTY = new OffsetRanges(new long[0]);

    /** Pairs lo0, hi0, lo1, hi1, ... sorted, disjoint, with gaps of at least one offset between intervals. */
    private final long[] bounds;

    private OffsetRanges(long[] bounds) {
        this.bounds = bounds;
    }

    /**
     * Returns the single interval {@code [lo, hi]}.
     *
     * @throws IllegalArgumentException if {@code lo < 0} or {@code hi < lo}
     */
    public static OffsetRanges of(long lo, long hi) {
        if (lo < 0 || hi < lo) {
            throw new IllegalArgumentException("invalid offset interval [" + lo + ", " + hi + "]");
        }
        return new OffsetRanges(new long[] {lo, hi});
    }

    /**
     * Returns the runs of consecutive offsets in a list: {@code [3,4,5,9]} gives {@code 3-5,9-9}.
     *
     * @param offsets offsets in strictly ascending order
     * @throws IllegalArgumentException if the offsets are not strictly ascending or one is negative
     */
    public static OffsetRanges runsOf(long[] offsets) {
        if (offsets.length == 0) {
            return EMPTY;
        }
        List<Long> out = new ArrayList<>();
        long lo = offsets[0];
        long prev = lo;
        if (lo < 0) {
            throw new IllegalArgumentException("negative offset " + lo);
        }
        for (int i = 1; i < offsets.length; i++) {
            long o = offsets[i];
            if (o <= prev) {
                throw new IllegalArgumentException("offsets not strictly ascending at " + prev + ", " + o);
            }
            if (o != prev + 1) {
                out.add(lo);
                out.add(prev);
                lo = o;
            }
            prev = o;
        }
        out.add(lo);
        out.add(prev);
        return new OffsetRanges(out.stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * Parses the text form.
     *
     * @param text for example {@code "0-99,200-350"}, or empty or null for the empty set
     * @throws IllegalArgumentException if the text is not of that form, or intervals are unsorted or overlap
     */
    public static OffsetRanges parse(String text) {
        if (text == null || text.isEmpty()) {
            return EMPTY;
        }
        String[] parts = text.split(",");
        OffsetRanges result = EMPTY;
        long lastHi = -2;
        for (String part : parts) {
            int dash = part.indexOf('-');
            if (dash <= 0) {
                throw new IllegalArgumentException("invalid offset ranges '" + text + "'");
            }
            long lo;
            long hi;
            try {
                lo = Long.parseLong(part.substring(0, dash));
                hi = Long.parseLong(part.substring(dash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid offset ranges '" + text + "'", e);
            }
            if (lo <= lastHi) {
                throw new IllegalArgumentException("offset ranges not ascending: '" + text + "'");
            }
            lastHi = hi;
            result = result.union(of(lo, hi));
        }
        return result;
    }

    /** Returns the text form, for example {@code "0-99,200-350"}. */
    public String format() {
        StringBuilder sb = new StringBuilder(bounds.length * 8);
        for (int i = 0; i < bounds.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(bounds[i]).append('-').append(bounds[i + 1]);
        }
        return sb.toString();
    }

    /** Returns whether the set is empty. */
    public boolean isEmpty() {
        return bounds.length == 0;
    }

    /** Returns the number of disjoint intervals. */
    public int intervalCount() {
        return bounds.length / 2;
    }

    /** Returns whether the offset is in the set; O(log n). */
    public boolean contains(long offset) {
        int lo = 0;
        int hi = bounds.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (offset < bounds[2 * mid]) {
                hi = mid - 1;
            } else if (offset > bounds[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** Returns whether any offset in {@code [lo, hi]} is in the set. */
    public boolean intersects(long lo, long hi) {
        for (int i = 0; i < bounds.length; i += 2) {
            if (bounds[i] <= hi && bounds[i + 1] >= lo) {
                return true;
            }
        }
        return false;
    }

    /** Returns the union of this set and another, merging overlapping and adjacent intervals. */
    public OffsetRanges union(OffsetRanges other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        long[] all = new long[bounds.length + other.bounds.length];
        int n = 0;
        int i = 0;
        int j = 0;
        long curLo = 0;
        long curHi = 0;
        boolean have = false;
        while (i < bounds.length || j < other.bounds.length) {
            long lo;
            long hi;
            if (j >= other.bounds.length || (i < bounds.length && bounds[i] <= other.bounds[j])) {
                lo = bounds[i];
                hi = bounds[i + 1];
                i += 2;
            } else {
                lo = other.bounds[j];
                hi = other.bounds[j + 1];
                j += 2;
            }
            if (have && lo <= curHi + 1) {
                curHi = Math.max(curHi, hi);
            } else {
                if (have) {
                    all[n++] = curLo;
                    all[n++] = curHi;
                }
                curLo = lo;
                curHi = hi;
                have = true;
            }
        }
        all[n++] = curLo;
        all[n++] = curHi;
        return new OffsetRanges(Arrays.copyOf(all, n));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OffsetRanges r && Arrays.equals(bounds, r.bounds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bounds);
    }

    @Override
    public String toString() {
        return "[" + format() + "]";
    }
}
