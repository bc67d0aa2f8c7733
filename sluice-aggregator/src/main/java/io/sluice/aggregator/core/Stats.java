package io.sluice.aggregator.core;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * Exact temperature statistics of a set of readings.
 *
 * <p>Temperatures are taken as the decimal a {@code double} prints as ({@link BigDecimal#valueOf(double)}, so
 * {@code 27.1} is exactly 27.1), and summed exactly in {@link BigDecimal}. The aggregator accepts only readings
 * with at most {@link ReadingRules#MAX_SCALE} decimal places and magnitude up to
 * {@link ReadingRules#MAX_ABS_TEMPERATURE}, so a sum of up to 10^8 readings stays within the 38 significant digits
 * of a DynamoDB Number.
 *
 * @param count        number of readings, at least 1
 * @param sum          exact sum of temperatures
 * @param min          smallest temperature
 * @param max          largest temperature
 * @param firstEventMs earliest event time, epoch ms UTC
 * @param lastEventMs  latest event time, epoch ms UTC
 */
public record Stats(long count, BigDecimal sum, BigDecimal min, BigDecimal max, long firstEventMs, long lastEventMs) {

    /** Precision of the stored mean: the 38 significant digits of a DynamoDB Number, rounded half-even. */
    public static final MathContext MEAN_CONTEXT = new MathContext(38, RoundingMode.HALF_EVEN);

    /** Validates the statistics. */
    public Stats {
        Objects.requireNonNull(sum, "sum");
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
    }

    /**
     * Returns the statistics of one reading.
     *
     * @param temperature exact temperature
     * @param eventMs     event time, epoch ms UTC
     */
    public static Stats of(BigDecimal temperature, long eventMs) {
        return new Stats(1, temperature, temperature, temperature, eventMs, eventMs);
    }

    /** Returns the statistics of the union of both sets of readings (commutative and associative). */
    public Stats merge(Stats o) {
        return new Stats(count + o.count, sum.add(o.sum), min.min(o.min), max.max(o.max),
                Math.min(firstEventMs, o.firstEventMs), Math.max(lastEventMs, o.lastEventMs));
    }

    /**
     * Returns the mean {@code sum / count}: exact when it has at most 38 significant digits, otherwise rounded
     * half-even to 38 significant digits; trailing zeros stripped.
     */
    public BigDecimal mean() {
        return sum.divide(BigDecimal.valueOf(count), MEAN_CONTEXT).stripTrailingZeros();
    }
}
