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

    /**
     * Returns {@code mean().toPlainString()}, the text the item stores. When the sum's unscaled value fits 18 digits
     * (always, for the readings the aggregator accepts up to 10^11 of them) it is computed by long division, digit by
     * digit, without the 38-digit {@code BigDecimal} division and {@code BigInteger} printing that were a fifth of
     * the per-item encoding; otherwise through {@link #mean()}. {@code StatsTest} compares the two.
     */
    public String meanPlainString() {
        if (sum.signum() == 0) {
            return "0";
        }
        if (sum.precision() > 18 || sum.scale() < 0 || count > Long.MAX_VALUE / 10) {
            return mean().toPlainString();
        }
        long unscaled = sum.unscaledValue().longValue();
        long a = Math.abs(unscaled);
        long r = a % count;
        // digits[0] is a carry slot for rounding; then the integer part of a / count, then its fraction.
        String whole = a / count == 0 ? "" : Long.toString(a / count);
        int precision = MEAN_CONTEXT.getPrecision();
        char[] digits = new char[1 + whole.length() + precision + 20];
        digits[0] = '0';
        whole.getChars(0, whole.length(), digits, 1);
        int n = 1 + whole.length();
        int significant = whole.length();
        while (r != 0 && significant < precision) {
            r *= 10;
            int d = (int) (r / count);
            r %= count;
            digits[n++] = (char) ('0' + d);
            if (significant > 0 || d != 0) {
                significant++;
            }
        }
        // Round half-even on what is left: r / count of a unit in the last digit.
        if (r != 0 && (2 * r > count || 2 * r == count && (digits[n - 1] - '0') % 2 == 1)) {
            int i = n - 1;
            while (digits[i] == '9') {
                digits[i--] = '0';
            }
            digits[i]++;
        }
        // The decimal point of a / count is before index 1 + whole.length(); the scale moves it left.
        int point = 1 + whole.length() - sum.scale();
        int fractionFrom = Math.max(point, 0);
        int end = n;
        while (end > fractionFrom && digits[end - 1] == '0') {
            end--;
        }
        StringBuilder out = new StringBuilder(precision + 8);
        if (unscaled < 0) {
            out.append('-');
        }
        if (point <= 0) {
            out.append('0');
        } else {
            int i = 0;
            while (i < point - 1 && digits[i] == '0') {
                i++;
            }
            out.append(digits, i, point - i);
        }
        if (end > fractionFrom) {
            out.append('.');
            for (int i = point; i < 0; i++) {
                out.append('0');
            }
            out.append(digits, fractionFrom, end - fractionFrom);
        }
        return out.toString();
    }
}
