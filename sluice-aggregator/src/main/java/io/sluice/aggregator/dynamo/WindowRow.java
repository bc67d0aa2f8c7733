package io.sluice.aggregator.dynamo;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One per-device window aggregate as read back from the table, without the exactly-once bookkeeping.
 *
 * @param deviceId    device id
 * @param windowStart window start (inclusive), UTC; stored as epoch ms in {@code window_start}
 * @param windowEnd   window end (exclusive), UTC
 * @param count       number of readings
 * @param sum         exact sum of temperatures
 * @param min         smallest temperature
 * @param max         largest temperature
 * @param mean        {@code sum / count} to 38 significant digits
 * @param firstEvent  earliest event time in the window
 * @param lastEvent   latest event time in the window
 * @param updatedAt   wall-clock time of the last write
 */
public record WindowRow(int deviceId, Instant windowStart, Instant windowEnd, long count, BigDecimal sum,
                        BigDecimal min, BigDecimal max, BigDecimal mean, Instant firstEvent, Instant lastEvent,
                        Instant updatedAt) {
}
