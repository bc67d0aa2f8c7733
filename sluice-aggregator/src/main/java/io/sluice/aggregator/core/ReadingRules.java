package io.sluice.aggregator.core;

import io.sluice.core.InvalidReadingException;
import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import java.math.BigDecimal;

/**
 * The aggregator's acceptance rules on top of {@link ReadingJson#parse(byte[])}: the JSON must be a valid reading,
 * and its values must lie in the range the exact arithmetic of {@link Stats} supports.
 */
public final class ReadingRules {

    /** Largest accepted absolute temperature: 1,000,000 (any unit). */
    public static final BigDecimal MAX_ABS_TEMPERATURE = BigDecimal.valueOf(1_000_000);
    /** Most decimal places accepted in a temperature (after stripping trailing zeros). */
    public static final int MAX_SCALE = 20;
    /** Earliest accepted event time: 1970-01-01T00:00:00Z, epoch ms. */
    public static final long MIN_EVENT_MS = 0L;
    /** Latest accepted event time: 9999-12-31T23:59:59.999Z, epoch ms. */
    public static final long MAX_EVENT_MS = 253_402_300_799_999L;

    /**
     * Recent accepted temperatures in exact form, by the bits of their double: {@link BigDecimal#valueOf(double)}
     * goes through {@code Double.toString} and was a tenth of the core's time (a miss now takes
     * {@link ReadingJson#decimalOf}, the same value without it in the common case), and the range and scale checks on the
     * {@code BigDecimal} another tenth at small batches, while a fleet repeats few distinct values (16k slots: the
     * simulator's random walks over 10 minutes of 100 devices reach several thousand). An entry holds a
     * value that passed {@link #checkTemperature}, which depends on the double alone, so a hit skips both. A
     * direct-mapped table of immutable entries: a racy read sees a complete entry or a miss, so it is thread-safe
     * and gives exactly what {@code BigDecimal.valueOf} gives.
     */
    private static final Exact[] EXACT = new Exact[16_384];

    private record Exact(long bits, BigDecimal value) {
    }

    private ReadingRules() {
    }

    /**
     * Returns {@code BigDecimal.valueOf(d)} after {@link #checkTemperature}, from {@link #EXACT} when it holds it.
     *
     * @throws InvalidReadingException as {@link #checkTemperature} does
     */
    static BigDecimal exact(double d) throws InvalidReadingException {
        long bits = Double.doubleToRawLongBits(d);
        int slot = (int) (bits ^ (bits >>> 29) ^ (bits >>> 41)) & (EXACT.length - 1);
        Exact e = EXACT[slot];
        if (e != null && e.bits == bits) {
            return e.value;
        }
        BigDecimal v = ReadingJson.decimalOf(d);
        checkTemperature(d, v);
        EXACT[slot] = new Exact(bits, v);
        return v;
    }

    /**
     * Checks a temperature's range and scale.
     *
     * @param d the temperature as read
     * @param t {@code BigDecimal.valueOf(d)}
     * @throws InvalidReadingException if {@code |t|} exceeds {@link #MAX_ABS_TEMPERATURE} or it has more than
     *                                 {@link #MAX_SCALE} decimals
     */
    private static void checkTemperature(double d, BigDecimal t) throws InvalidReadingException {
        if (t.abs().compareTo(MAX_ABS_TEMPERATURE) > 0) {
            throw new InvalidReadingException(ReadingJson.TEMPERATURE,
                    "out of range -" + MAX_ABS_TEMPERATURE + ".." + MAX_ABS_TEMPERATURE + ": " + d);
        }
        if (t.scale() > MAX_SCALE && t.stripTrailingZeros().scale() > MAX_SCALE) {
            throw new InvalidReadingException(ReadingJson.TEMPERATURE, "more than " + MAX_SCALE + " decimal places: " + d);
        }
    }

    /**
     * An accepted reading, in the aggregator's exact form.
     *
     * @param deviceId    device id, non-negative
     * @param eventMs     event time, epoch ms UTC
     * @param temperature exact temperature
     */
    public record Accepted(int deviceId, long eventMs, BigDecimal temperature) {
    }

    /**
     * Parses and checks one record value.
     *
     * @param value UTF-8 JSON bytes, or null
     * @return the accepted reading
     * @throws InvalidReadingException if the JSON is malformed, a field is missing or mistyped, or a value is out of
     *                                 range (negative or oversized device id, non-finite or oversized temperature,
     *                                 more than {@link #MAX_SCALE} decimals, event time outside 1970..9999)
     */
    public static Accepted check(byte[] value) throws InvalidReadingException {
        Reading r = ReadingJson.parse(value);
        long eventMs;
        try {
            eventMs = r.timestamp().toEpochMilli();
        } catch (ArithmeticException e) {
            throw new InvalidReadingException(ReadingJson.TIMESTAMP, "out of range: " + r.timestamp());
        }
        if (eventMs < MIN_EVENT_MS || eventMs > MAX_EVENT_MS) {
            throw new InvalidReadingException(ReadingJson.TIMESTAMP, "out of range 1970..9999: " + r.timestamp());
        }
        BigDecimal t = exact(r.temperature());
        return new Accepted(r.deviceId(), eventMs, t);
    }
}
