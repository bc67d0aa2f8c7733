package io.sluice.aggregator.testing;

import io.sluice.aggregator.dynamo.WindowRow;
import io.sluice.core.Reading;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test oracle: per (device, window) aggregates computed directly from the readings that were produced, with its own
 * arithmetic (not the aggregator's classes), and a canonical text form to compare with what DynamoDB holds.
 */
public final class Oracle {

    private Oracle() {
    }

    /**
     * Computes the expected rows, keyed {@code "device/windowStartMs"}, valued by {@link #canonical}.
     *
     * @param readings  readings that should be counted (each once)
     * @param windowMs  window length in ms
     */
    public static Map<String, String> expected(Collection<Reading> readings, long windowMs) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, BigDecimal[]> sums = new TreeMap<>();
        for (Reading r : readings) {
            long t = r.timestamp().toEpochMilli();
            long start = t - Math.floorMod(t, windowMs);
            String k = r.deviceId() + "/" + start;
            BigDecimal v = new BigDecimal(Double.toString(r.temperature()));
            long[] c = counts.computeIfAbsent(k, x -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
            c[0]++;
            c[1] = Math.min(c[1], t);
            c[2] = Math.max(c[2], t);
            BigDecimal[] s = sums.computeIfAbsent(k, x -> new BigDecimal[] {BigDecimal.ZERO, v, v});
            s[0] = s[0].add(v);
            s[1] = s[1].min(v);
            s[2] = s[2].max(v);
        }
        Map<String, String> out = new TreeMap<>();
        for (String k : counts.keySet()) {
            long[] c = counts.get(k);
            BigDecimal[] s = sums.get(k);
            BigDecimal mean = s[0].divide(BigDecimal.valueOf(c[0]), new MathContext(38, RoundingMode.HALF_EVEN));
            long start = Long.parseLong(k.substring(k.indexOf('/') + 1));
            out.put(k, line(c[0], s[0], s[1], s[2], mean, c[1], c[2], start + windowMs));
        }
        return out;
    }

    /** Returns the rows read from DynamoDB in the same keyed, canonical form. */
    public static Map<String, String> actual(List<WindowRow> rows) {
        Map<String, String> out = new TreeMap<>();
        for (WindowRow w : rows) {
            out.put(w.deviceId() + "/" + w.windowStart().toEpochMilli(), canonical(w));
        }
        return out;
    }

    /** Canonical text of a row: count, sum, min, max, mean (trailing zeros stripped), first, last, end. */
    public static String canonical(WindowRow w) {
        return line(w.count(), w.sum(), w.min(), w.max(), w.mean(), w.firstEvent().toEpochMilli(),
                w.lastEvent().toEpochMilli(), w.windowEnd().toEpochMilli());
    }

    private static String line(long count, BigDecimal sum, BigDecimal min, BigDecimal max, BigDecimal mean,
                               long first, long last, long end) {
        return "count=" + count + " sum=" + plain(sum) + " min=" + plain(min) + " max=" + plain(max)
                + " mean=" + plain(mean) + " first=" + first + " last=" + last + " end=" + end;
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }
}
