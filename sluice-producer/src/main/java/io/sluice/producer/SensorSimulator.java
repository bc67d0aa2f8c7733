package io.sluice.producer;

import io.sluice.core.Reading;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.Random;

/**
 * Simulates a fleet of temperature sensors, as in the product brief.
 *
 * <p>Each device starts at a uniformly random temperature in 25.0..35.0 degrees Celsius with a resolution of 0.1
 * (one decimal), and each further reading takes a uniformly random step of -1, 0 or +1 degree. Temperatures are kept
 * as whole tenths internally, so the emitted values are exact one-decimal numbers (no floating-point drift). The walk
 * is unbounded, as in the brief: over a long run a device drifts by about the square root of its reading count.
 *
 * <p>Readings are emitted in ticks: in tick {@code k} every device emits one reading, in device order. With a rate
 * of {@code r} readings/s per device, the tick interval is {@code 1/r} seconds (10 readings/s, the default, is one
 * reading every 100 ms) and the devices of one tick are spread evenly across the interval, so that a fleet sends a
 * smooth stream rather than bursts. The reading of device {@code d} (0-based) in tick {@code k} is due at
 * {@code k * interval + d * interval / devices} after the start, and its timestamp is the start time plus that
 * offset, truncated to milliseconds (UTC).
 *
 * <p>Everything is derived from a {@link java.util.Random} seeded with the configured seed (its algorithm is fixed
 * by the Java specification), so the same settings and seed give an identical sequence of readings on any JVM,
 * timestamps included when a fixed start time is given.
 */
public final class SensorSimulator implements ReadingSource {

    /** Default rate per device in readings/s: one reading every 100 ms, as in the brief. */
    public static final double DEFAULT_RATE_PER_DEVICE = 10.0;
    /** Default id of the first simulated device. */
    public static final int DEFAULT_FIRST_DEVICE_ID = 1;
    /** Lowest starting temperature, in tenths of a degree Celsius (25.0). */
    static final int MIN_START_TENTHS = 250;
    /** Highest starting temperature, in tenths of a degree Celsius (35.0). */
    static final int MAX_START_TENTHS = 350;

    private final Settings settings;
    private final long intervalNanos;
    private final Random random;
    private final int[] tenths;
    private long emitted;

    private SensorSimulator(Settings settings) {
        this.settings = settings;
        this.intervalNanos = intervalNanos(settings.ratePerDevice());
        this.random = new Random(settings.seed());
        this.tenths = new int[settings.devices()];
        for (int d = 0; d < tenths.length; d++) {
            tenths[d] = MIN_START_TENTHS + random.nextInt(MAX_START_TENTHS - MIN_START_TENTHS + 1);
        }
    }

    /**
     * Starts a builder with the defaults: 10 devices with ids from 1, 10 readings/s per device, unbounded, paced,
     * a random seed and the current time as start time.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the tick interval for a rate per device, rounded to the nearest nanosecond.
     *
     * @param ratePerDevice readings/s per device, positive and finite
     * @return the interval between two readings of one device, in nanoseconds, at least 1
     * @throws IllegalArgumentException if the rate is not positive and finite
     */
    public static long intervalNanos(double ratePerDevice) {
        if (!(ratePerDevice > 0) || Double.isInfinite(ratePerDevice)) {
            throw new IllegalArgumentException("rate per device must be a positive number of readings/s, got "
                    + ratePerDevice);
        }
        return Math.max(1L, Math.round(1e9 / ratePerDevice));
    }

    /**
     * Returns how many readings a fleet emits in a given duration: every device emits one reading per started tick,
     * so the duration is rounded up to whole ticks. For example 10 devices at 10 readings/s for 60 s emit 6,000.
     *
     * @param devices       number of devices, positive
     * @param ratePerDevice readings/s per device, positive
     * @param duration      run length, positive
     * @return the total number of readings across all devices
     * @throws IllegalArgumentException if an argument is out of range
     * @throws ArithmeticException      if the count overflows a long
     */
    public static long readingsIn(int devices, double ratePerDevice, Duration duration) {
        if (devices <= 0) {
            throw new IllegalArgumentException("devices must be positive, got " + devices);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("duration must be positive, got " + duration);
        }
        long interval = intervalNanos(ratePerDevice);
        long nanos = duration.toNanos();
        long ticks = nanos / interval + (nanos % interval == 0 ? 0 : 1);
        return Math.multiplyExact(ticks, (long) devices);
    }

    /** Returns the effective settings, with the start time and seed resolved. */
    public Settings settings() {
        return settings;
    }

    @Override
    public boolean hasNext() {
        return settings.count() < 0 || emitted < settings.count();
    }

    @Override
    public long nextDueNanos() {
        if (!hasNext()) {
            throw new NoSuchElementException(name() + " is exhausted");
        }
        return settings.paced() ? offsetNanos(emitted) : 0L;
    }

    @Override
    public Reading next() {
        if (!hasNext()) {
            throw new NoSuchElementException(name() + " is exhausted");
        }
        long i = emitted++;
        int d = (int) (i % tenths.length);
        if (i >= tenths.length) {
            tenths[d] += (random.nextInt(3) - 1) * 10;
        }
        Instant ts = settings.startTime().plus(offsetNanos(i) / 1_000_000L, ChronoUnit.MILLIS);
        return new Reading(settings.firstDeviceId() + d, ts, tenths[d] / 10.0);
    }

    @Override
    public String name() {
        return "simulator(" + settings.devices() + " devices, " + settings.ratePerDevice() + " readings/s each)";
    }

    @Override
    public OptionalLong size() {
        return settings.count() < 0 ? OptionalLong.empty() : OptionalLong.of(settings.count());
    }

    private long offsetNanos(long index) {
        long n = tenths.length;
        long tick = index / n;
        long device = index % n;
        return tick * intervalNanos + device * intervalNanos / n;
    }

    /**
     * Resolved simulator settings.
     *
     * @param devices       number of devices, positive
     * @param firstDeviceId id of the first device; devices get consecutive ids from here
     * @param ratePerDevice readings/s per device
     * @param count         total readings across all devices, or -1 for unbounded
     * @param seed          random seed
     * @param startTime     time of the first reading, UTC, millisecond precision
     * @param paced         {@code true} to send at the configured rate; {@code false} to send as fast as possible
     *                      (timestamps still advance by the nominal interval)
     */
    public record Settings(int devices, int firstDeviceId, double ratePerDevice, long count, long seed,
                           Instant startTime, boolean paced) {

        /** Returns the total rate of the fleet in readings/s: devices times the rate per device. */
        public double totalRate() {
            return devices * ratePerDevice;
        }
    }

    /** Builds a {@link SensorSimulator}; every setter returns this builder. Not thread-safe. */
    public static final class Builder {
        private int devices = 10;
        private int firstDeviceId = DEFAULT_FIRST_DEVICE_ID;
        private Double ratePerDevice;
        private Double totalRate;
        private Long count;
        private Duration duration;
        private Long seed;
        private Instant startTime;
        private boolean paced = true;

        private Builder() {
        }

        /** Sets the number of devices (default 10). */
        public Builder devices(int devices) {
            this.devices = devices;
            return this;
        }

        /** Sets the id of the first device (default 1); device ids are consecutive from it. */
        public Builder firstDeviceId(int firstDeviceId) {
            this.firstDeviceId = firstDeviceId;
            return this;
        }

        /** Sets the rate per device in readings/s (default 10). Exclusive with {@link #totalRate}. */
        public Builder ratePerDevice(double readingsPerSecond) {
            this.ratePerDevice = readingsPerSecond;
            return this;
        }

        /** Sets the rate of the whole fleet in readings/s, shared evenly by the devices. Exclusive with {@link #ratePerDevice}. */
        public Builder totalRate(double readingsPerSecond) {
            this.totalRate = readingsPerSecond;
            return this;
        }

        /** Stops after this many readings in total across all devices. Exclusive with {@link #duration}. */
        public Builder count(long count) {
            this.count = count;
            return this;
        }

        /** Stops after the readings of this duration, see {@link SensorSimulator#readingsIn}. Exclusive with {@link #count}. */
        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        /** Sets the random seed (default: a random one, available afterwards from {@link SensorSimulator#settings()}). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Sets the timestamp of the first reading, truncated to milliseconds (default: now). */
        public Builder startTime(Instant startTime) {
            this.startTime = startTime;
            return this;
        }

        /** Chooses between sending at the configured rate ({@code true}, default) and as fast as possible. */
        public Builder paced(boolean paced) {
            this.paced = paced;
            return this;
        }

        /**
         * Validates the settings and builds the simulator.
         *
         * @return the simulator
         * @throws IllegalArgumentException with a message naming the setting, if devices is not positive, the first
         *                                  device id is negative or the ids overflow, both or neither rate forms are
         *                                  inconsistent, a rate is not positive, the count is negative, or both
         *                                  count and duration are given
         */
        public SensorSimulator build() {
            if (devices <= 0) {
                throw new IllegalArgumentException("devices must be at least 1, got " + devices);
            }
            if (firstDeviceId < 0 || (long) firstDeviceId + devices - 1 > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("device ids " + firstDeviceId + ".." + ((long) firstDeviceId + devices - 1)
                        + " must lie in 0.." + Integer.MAX_VALUE);
            }
            if (ratePerDevice != null && totalRate != null) {
                throw new IllegalArgumentException("give either a rate per device or a total rate, not both");
            }
            double perDevice = ratePerDevice != null ? ratePerDevice
                    : totalRate != null ? totalRate / devices : DEFAULT_RATE_PER_DEVICE;
            if (!(perDevice > 0) || Double.isInfinite(perDevice)) {
                throw new IllegalArgumentException("rate must be a positive number of readings/s, got "
                        + (ratePerDevice != null ? ratePerDevice : totalRate));
            }
            if (count != null && duration != null) {
                throw new IllegalArgumentException("give either a count or a duration, not both");
            }
            if (count != null && count < 0) {
                throw new IllegalArgumentException("count must be >= 0, got " + count);
            }
            long total = count != null ? count : duration != null ? readingsIn(devices, perDevice, duration) : -1L;
            long s = seed != null ? seed : new Random().nextLong();
            Instant start = (startTime != null ? startTime : Instant.now()).truncatedTo(ChronoUnit.MILLIS);
            return new SensorSimulator(new Settings(devices, firstDeviceId, perDevice, total, s, start, paced));
        }
    }
}
