package io.sluice.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One temperature reading from one device, the unit that flows through every Sluice pipeline.
 *
 * <p>On the wire it is the JSON object {@code {"device_id": int, "timestamp": ISO-8601, "temperature": number}}
 * described in the product brief; see {@link ReadingJson}. The Kafka record key is the device id in decimal.
 *
 * @param deviceId    device identifier, non-negative
 * @param timestamp   event time of the measurement, UTC, millisecond precision on the wire
 * @param temperature measured temperature in the unit of the source (degrees; the simulator uses Celsius,
 *                    replayed datasets keep their own unit); finite
 */
public record Reading(int deviceId, Instant timestamp, double temperature) {

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if the device id is negative or the temperature is not finite
     * @throws NullPointerException     if the timestamp is null
     */
    public Reading {
        if (deviceId < 0) {
            throw new IllegalArgumentException("device_id must be >= 0, got " + deviceId);
        }
        Objects.requireNonNull(timestamp, "timestamp");
        if (!Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number, got " + temperature);
        }
    }

    /** Returns the Kafka record key for this reading: the device id in decimal, so that one device stays on one partition. */
    public String key() {
        return Integer.toString(deviceId);
    }
}
