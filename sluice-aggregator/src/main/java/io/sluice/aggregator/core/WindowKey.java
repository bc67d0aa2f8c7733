package io.sluice.aggregator.core;

/**
 * Identity of one aggregate item: a device and the start of one tumbling window. It is the DynamoDB primary key
 * (partition key {@code device_id}, sort key {@code window_start}).
 *
 * @param deviceId      device id, non-negative
 * @param windowStartMs window start, epoch milliseconds UTC, a multiple of the window length
 */
public record WindowKey(int deviceId, long windowStartMs) implements Comparable<WindowKey> {

    // Written out: the generated record methods go through ObjectMethods bootstraps that profiled slower on the
    // per-reading map lookups of BatchPreparer (JDK 17).
    @Override
    public boolean equals(Object o) {
        return o instanceof WindowKey k && k.deviceId == deviceId && k.windowStartMs == windowStartMs;
    }

    @Override
    public int hashCode() {
        return 31 * deviceId + Long.hashCode(windowStartMs);
    }

    @Override
    public int compareTo(WindowKey o) {
        int c = Integer.compare(deviceId, o.deviceId);
        return c != 0 ? c : Long.compare(windowStartMs, o.windowStartMs);
    }
}
