package io.sluice.producer;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;

/**
 * How to read a recorded data file as readings.
 *
 * <p>Timestamps are read as ISO-8601: with an offset or {@code Z} ({@code 2010-01-01T01:00:00Z}), without one
 * ({@code 2010-01-01T01:00:00} or {@code 2010-01-01 01:00:00}, read in {@link #zone()}), as a date only
 * ({@code 2012-01-01}, midnight in {@link #zone()}), or as an integer number of milliseconds since the epoch.
 * With a zone that has daylight saving time, local times in a gap or overlap are resolved as
 * {@link java.time.ZonedDateTime#of} does; a fixed offset avoids that.
 *
 * @param format        CSV (first line is the header) or JSON lines (one object per line)
 * @param timeField     column or JSON field holding the timestamp
 * @param valueField    column or JSON field holding the temperature (a number, emitted unchanged, in the file's unit)
 * @param seriesField   column or JSON field naming the station or series, or {@code null} when the file holds one
 *                      series; each distinct value becomes a device
 * @param zone          zone for timestamps without an offset
 * @param firstDeviceId device id of the first series; further series get consecutive ids in order of first
 *                      appearance in the file
 */
public record ReplaySpec(Format format, String timeField, String valueField, String seriesField, ZoneId zone,
                         int firstDeviceId) {

    /** Default id of the first replayed device, far from the simulator's default ids (1..). */
    public static final int DEFAULT_FIRST_DEVICE_ID = 1000;

    /** Replay file formats. */
    public enum Format {
        /** Comma-separated values with a header line; fields may be double-quoted (RFC 4180, no line breaks in fields). */
        CSV,
        /** JSON lines: one JSON object per line. */
        JSONL;

        /**
         * Guesses the format from a file name: {@code .jsonl}, {@code .ndjson} and {@code .json} are JSON lines,
         * anything else is CSV.
         *
         * @param file the file
         * @return the format
         */
        public static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            return name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json") ? JSONL : CSV;
        }
    }

    /**
     * Validates the spec.
     *
     * @throws NullPointerException     if format, a field name other than the series or the zone is null
     * @throws IllegalArgumentException if a field name is blank or the first device id is negative
     */
    public ReplaySpec {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(zone, "zone");
        requireName("time field", timeField);
        requireName("value field", valueField);
        if (seriesField != null) {
            requireName("series field", seriesField);
        }
        if (firstDeviceId < 0) {
            throw new IllegalArgumentException("first device id must be >= 0, got " + firstDeviceId);
        }
    }

    /**
     * Returns a spec with a single series, UTC for local timestamps and devices from {@link #DEFAULT_FIRST_DEVICE_ID}.
     *
     * @param format     the format
     * @param timeField  timestamp column or field
     * @param valueField temperature column or field
     * @return the spec
     */
    public static ReplaySpec of(Format format, String timeField, String valueField) {
        return new ReplaySpec(format, timeField, valueField, null, ZoneOffset.UTC, DEFAULT_FIRST_DEVICE_ID);
    }

    /** Returns a copy with the given series column or field ({@code null} for a single series). */
    public ReplaySpec withSeriesField(String field) {
        return new ReplaySpec(format, timeField, valueField, field, zone, firstDeviceId);
    }

    /** Returns a copy that reads local timestamps in the given zone. */
    public ReplaySpec withZone(ZoneId z) {
        return new ReplaySpec(format, timeField, valueField, seriesField, z, firstDeviceId);
    }

    /** Returns a copy whose first series becomes the given device id. */
    public ReplaySpec withFirstDeviceId(int id) {
        return new ReplaySpec(format, timeField, valueField, seriesField, zone, id);
    }

    private static void requireName(String what, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
