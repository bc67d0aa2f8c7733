package io.sluice.aggregator.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Semantics of the aggregation, shared by the Lambda handler and the standalone runner.
 *
 * <p>Windows are event-time tumbling windows aligned to the Unix epoch in UTC: a reading with event time {@code t}
 * (epoch milliseconds) belongs to the window starting at {@code floor(t / L) * L} and ending (exclusive) at
 * {@code start + L}, where {@code L} is the window length in milliseconds.
 *
 * <p>A reading is <em>too late</em> when the watermark of its Kafka partition just before it is at or past
 * {@code windowEnd + allowedLateness}; it is then counted in the {@code late} metric and skipped. The watermark
 * of a partition is the maximum event time among the records that precede it in that partition (see the design
 * section of {@code sluice-aggregator/README.md} for how it is carried across batches and restarts).
 *
 * @param windowLength    tumbling window length, at least 1 ms and at most 1 day (default 1 minute)
 * @param allowedLateness how long after a window's end readings still update it, zero or more (default 5 minutes)
 * <p>A reading whose event time is more than {@code maxClockSkew} ahead of the aggregator's clock is rejected as
 * invalid (a device with an unset or broken clock): it would otherwise raise the partition watermark into the future
 * and make every later reading of the partition late. The watermark therefore never runs ahead of the clock plus
 * the skew.
 *
 * @param windowLength    tumbling window length, at least 1 ms and at most 1 day (default 1 minute)
 * @param allowedLateness how long after a window's end readings still update it, zero or more (default 5 minutes)
 * @param ttl             if present, each item gets {@code expires_at = (windowEnd + ttl)} in epoch seconds, the
 *                        attribute DynamoDB Time to Live deletes on; empty for no TTL attribute
 * @param maxClockSkew    how far an event time may be ahead of the aggregator's clock, zero or more (default
 *                        1 minute); readings further ahead are rejected
 */
public record AggregatorSettings(Duration windowLength, Duration allowedLateness, Optional<Duration> ttl,
                                 Duration maxClockSkew) {

    /** Default window length: 1 minute. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    /** Default allowed lateness: 5 minutes. */
    public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofMinutes(5);
    /** Default allowed clock skew: 1 minute. */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(1);

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException if the window length is outside 1 ms..1 day, or a duration is negative
     */
    public AggregatorSettings {
        Objects.requireNonNull(windowLength, "windowLength");
        Objects.requireNonNull(allowedLateness, "allowedLateness");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(maxClockSkew, "maxClockSkew");
        if (windowLength.toMillis() < 1 || windowLength.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("window length must be between 1ms and 1 day, got " + windowLength);
        }
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowed lateness must be >= 0, got " + allowedLateness);
        }
        if (ttl.isPresent() && ttl.get().isNegative()) {
            throw new IllegalArgumentException("ttl must be >= 0, got " + ttl.get());
        }
        if (maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("max clock skew must be >= 0, got " + maxClockSkew);
        }
    }

    /**
     * Settings with the default allowed clock skew ({@link #DEFAULT_MAX_CLOCK_SKEW}).
     *
     * @param windowLength    tumbling window length
     * @param allowedLateness allowed lateness
     * @param ttl             optional item TTL
     */
    public AggregatorSettings(Duration windowLength, Duration allowedLateness, Optional<Duration> ttl) {
        this(windowLength, allowedLateness, ttl, DEFAULT_MAX_CLOCK_SKEW);
    }

    /** Returns a copy with another allowed clock skew. */
    public AggregatorSettings withMaxClockSkew(Duration skew) {
        return new AggregatorSettings(windowLength, allowedLateness, ttl, skew);
    }

    /** Returns the defaults: 1-minute windows, 5 minutes allowed lateness, no TTL, 1 minute allowed clock skew. */
    public static AggregatorSettings defaults() {
        return new AggregatorSettings(DEFAULT_WINDOW, DEFAULT_ALLOWED_LATENESS, Optional.empty());
    }

    /** Returns the window length in milliseconds. */
    public long windowMillis() {
        return windowLength.toMillis();
    }

    /** Returns the start (epoch ms UTC, inclusive) of the window holding an event time in epoch ms. */
    public long windowStart(long eventMs) {
        long len = windowMillis();
        return Math.floorDiv(eventMs, len) * len;
    }
}
