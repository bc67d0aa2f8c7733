package io.sluice.aggregator.core;

/**
 * Identity of one aggregate item: a device and the start of one tumbling window. It is the DynamoDB primary key
 * (partition key {@code device_id}, sort key {@code window_start}).
 *
 * @param deviceId      device id, non-negative
 * @param windowStartMs window start, epoch milliseconds UTC, a multiple of the window length
 */
public record WindowKey(int deviceId, long windowStartMs) implements Comparable<WindowKey> {

    @Override
    public int compareTo(WindowKey o) {
        int c = Integer.compare(deviceId, o.deviceId);
        return c != 0 ? c : Long.compare(windowStartMs, o.windowStartMs);
    }
}
