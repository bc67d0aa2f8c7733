package io.sluice.producer;

import java.util.Locale;

/**
 * How fast a replay emits recorded readings.
 *
 * <p>Written as {@code recorded} (the gaps between recorded timestamps are kept), {@code fast} (as fast as the
 * producer can send) or {@code <factor>x} (gaps divided by the factor, for example {@code 3600x} replays one
 * recorded hour per second and {@code 0.5x} replays at half speed).
 *
 * @param factor speed-up factor: 1 for recorded pace, {@link Double#POSITIVE_INFINITY} for as fast as possible,
 *               otherwise any positive finite number
 */
public record Pace(double factor) {

    /** Recorded pace: the gaps between recorded timestamps are kept. */
    public static final Pace RECORDED = new Pace(1.0);
    /** As fast as possible: every reading is due at once. */
    public static final Pace FAST = new Pace(Double.POSITIVE_INFINITY);

    /**
     * Validates the factor.
     *
     * @throws IllegalArgumentException if the factor is not positive
     */
    public Pace {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("pace factor must be positive, got " + factor);
        }
    }

    /**
     * Parses {@code recorded}, {@code fast} or {@code <factor>x} (case-insensitive).
     *
     * @param text the pace text
     * @return the pace
     * @throws IllegalArgumentException with the accepted forms, if the text is none of them or the factor is not a
     *                                  positive finite number
     */
    public static Pace parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("recorded")) {
            return RECORDED;
        }
        if (s.equals("fast")) {
            return FAST;
        }
        if (s.endsWith("x") && s.length() > 1) {
            try {
                double f = Double.parseDouble(s.substring(0, s.length() - 1));
                if (f > 0 && Double.isFinite(f)) {
                    return new Pace(f);
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new IllegalArgumentException("invalid pace '" + text + "': use recorded, fast or a positive factor such as 60x or 0.5x");
    }

    /** Returns whether this pace sends as fast as possible. */
    public boolean isFast() {
        return Double.isInfinite(factor);
    }

    /**
     * Returns when a reading recorded {@code recordedOffsetNanos} after the first recorded reading is due.
     *
     * @param recordedOffsetNanos recorded gap from the first reading, in nanoseconds, 0 or more
     * @return due offset from the start of the replay, in nanoseconds (0 for {@link #FAST})
     */
    public long dueNanos(long recordedOffsetNanos) {
        if (isFast()) {
            return 0L;
        }
        return factor == 1.0 ? recordedOffsetNanos : (long) (recordedOffsetNanos / factor);
    }

    @Override
    public String toString() {
        return isFast() ? "fast" : factor == 1.0 ? "recorded" : factor + "x";
    }
}
