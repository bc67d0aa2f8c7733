package io.sluice.producer;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Summary of one device's readings, for comparing what landed downstream with what was sent.
 *
 * @param deviceId device id
 * @param count    number of readings
 * @param sum      exact sum of the temperatures as written in the source (degrees, the source's unit)
 * @param min      lowest temperature
 * @param max      highest temperature
 */
public record DeviceStats(int deviceId, long count, BigDecimal sum, double min, double max) {

    /** Returns the mean temperature, {@code sum / count}, or NaN when there are no readings. */
    public double mean() {
        return count == 0 ? Double.NaN : sum.divide(BigDecimal.valueOf(count), MathContext.DECIMAL64).doubleValue();
    }

    /** Returns the stats with one more reading of the given exact value added. */
    DeviceStats plus(BigDecimal value) {
        double v = value.doubleValue();
        return count == 0 ? new DeviceStats(deviceId, 1, value, v, v)
                : new DeviceStats(deviceId, count + 1, sum.add(value), Math.min(min, v), Math.max(max, v));
    }

    /** Returns empty stats for a device. */
    static DeviceStats empty(int deviceId) {
        return new DeviceStats(deviceId, 0, BigDecimal.ZERO, Double.NaN, Double.NaN);
    }
}
