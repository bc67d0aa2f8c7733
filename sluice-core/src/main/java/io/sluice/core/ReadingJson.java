package io.sluice.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * JSON serde for {@link Reading}: written by hand (one fixed shape, see {@link #toBytes}), parsed with Jackson's
 * streaming parser.
 *
 * <p>Format: a UTF-8 JSON object {@code {"device_id": 7, "timestamp": "2026-11-21T07:00:00.100Z",
 * "temperature": 27.5}}. Timestamps are written as ISO-8601 instants in UTC ({@link DateTimeFormatter#ISO_INSTANT})
 * and read from ISO-8601 with any offset or {@code Z}, with or without fractions. Unknown fields are ignored on
 * read so producers can add fields without breaking consumers. Instances are thread-safe.
 */
public final class ReadingJson {

    /** Field name of the device id. */
    public static final String DEVICE_ID = "device_id";
    /** Field name of the event time. */
    public static final String TIMESTAMP = "timestamp";
    /** Field name of the temperature. */
    public static final String TEMPERATURE = "temperature";

    /** FastDoubleParser gives the same, correctly rounded doubles as {@link Double#parseDouble}, faster. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    private static final byte[] DEVICE_ID_PREFIX = ascii("{\"" + DEVICE_ID + "\":");
    private static final byte[] TIMESTAMP_PREFIX = ascii(",\"" + TIMESTAMP + "\":\"");
    private static final byte[] TEMPERATURE_PREFIX = ascii("\",\"" + TEMPERATURE + "\":");
    /**
     * Upper bound of a serialised reading: the three prefixes (43 bytes), 10 digits of device id, 37 characters of
     * the longest {@code ISO_INSTANT} text ({@code +1000000000-12-31T23:59:59.999999999Z}), 24 of the longest
     * {@code Double.toString} text and the closing brace.
     */
    private static final int MAX_LENGTH = 128;
    /** Fractional digits the temperature fast path handles; beyond them {@link Double#toString} is called. */
    private static final int FAST_FRACTION_DIGITS = 4;
    private static final long FAST_SCALE = 10_000L;

    private ReadingJson() {
    }

    /**
     * Serialises a reading, without a JSON generator: the object has one fixed shape whose values need no escaping
     * (an int, an ASCII timestamp and a number), so it is written byte by byte. The bytes are exactly what Jackson's
     * generator wrote for the same fields ({@code ReadingJsonTest} compares the two): no spaces, the timestamp as
     * {@link DateTimeFormatter#ISO_INSTANT} prints it, the temperature as {@link Double#toString(double)} prints it.
     * Thread-safe: it keeps no state between calls.
     *
     * @param reading the reading
     * @return UTF-8 JSON bytes, about 70 bytes per reading
     */
    public static byte[] toBytes(Reading reading) {
        byte[] buf = new byte[MAX_LENGTH];
        int n = put(buf, 0, DEVICE_ID_PREFIX);
        n = putDigits(buf, n, reading.deviceId());
        n = put(buf, n, TIMESTAMP_PREFIX);
        int ts = UtcTimestamps.format(reading.timestamp(), buf, n);
        n = ts >= 0 ? n + ts : putAscii(buf, n, DateTimeFormatter.ISO_INSTANT.format(reading.timestamp()));
        n = put(buf, n, TEMPERATURE_PREFIX);
        n = putTemperature(buf, n, reading.temperature());
        buf[n++] = '}';
        return Arrays.copyOf(buf, n);
    }

    /**
     * Writes a finite double as {@link Double#toString(double)} does. Fast path: a value in [1e-3, 1e7), where that
     * method writes plain decimal notation, which is exactly some decimal {@code m / 10^4} (the division is
     * correctly rounded, so the check {@code m / 1e4 == |v|} proves that decimal rounds to {@code v}). In that range
     * two decimals with at most 4 fractional digits are 1e-4 apart, far more than the spacing of doubles (below
     * 2e-9), so that decimal with its trailing zeros removed is the shortest one that rounds to {@code v}: the
     * digits {@code Double.toString} prints (at least one fractional digit, so {@code 27.0}). Zero is {@code 0.0}
     * or {@code -0.0}. Everything else goes through {@code Double.toString}.
     */
    private static int putTemperature(byte[] out, int pos, double v) {
        double a = Math.abs(v);
        if (a == 0) {
            return putAscii(out, pos, Double.doubleToRawLongBits(v) < 0 ? "-0.0" : "0.0");
        }
        if (a >= 1e-3 && a < 1e7) {
            long m = Math.round(a * FAST_SCALE);
            if (m / (double) FAST_SCALE == a) {
                if (v < 0) {
                    out[pos++] = '-';
                }
                pos = putDigits(out, pos, (int) (m / FAST_SCALE));
                out[pos++] = '.';
                int fraction = (int) (m % FAST_SCALE);
                if (fraction == 0) {
                    out[pos++] = '0';
                    return pos;
                }
                int digits = FAST_FRACTION_DIGITS;
                while (fraction % 10 == 0) {
                    fraction /= 10;
                    digits--;
                }
                for (int i = pos + digits - 1; i >= pos; i--) {
                    out[i] = (byte) ('0' + fraction % 10);
                    fraction /= 10;
                }
                return pos + digits;
            }
        }
        return putAscii(out, pos, Double.toString(v));
    }

    /** Writes a non-negative int in decimal. */
    private static int putDigits(byte[] out, int pos, int v) {
        int end = pos + digitCount(v);
        for (int i = end - 1; i >= pos; i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return end;
    }

    private static int digitCount(int v) {
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }

    private static int put(byte[] out, int pos, byte[] bytes) {
        System.arraycopy(bytes, 0, out, pos, bytes.length);
        return pos + bytes.length;
    }

    /** Writes an ASCII string, one byte per character (digits, signs, letters of numbers and timestamps). */
    private static int putAscii(byte[] out, int pos, String s) {
        for (int i = 0; i < s.length(); i++) {
            out[pos + i] = (byte) s.charAt(i);
        }
        return pos + s.length();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Parses and validates a reading.
     *
     * @param json UTF-8 JSON bytes
     * @return the reading
     * @throws InvalidReadingException if the bytes are not a JSON object, a field is missing or has the wrong
     *                                 type, the device id is negative or beyond int range, the timestamp is not
     *                                 ISO-8601, or the temperature is not a finite number
     */
    public static Reading parse(byte[] json) throws InvalidReadingException {
        if (json == null) {
            throw new InvalidReadingException(null, "payload is null (tombstone?)");
        }
        Long deviceId = null;
        Instant timestamp = null;
        Double temperature = null;
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidReadingException(null, "payload is not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case DEVICE_ID -> {
                        if (v != JsonToken.VALUE_NUMBER_INT) {
                            throw new InvalidReadingException(DEVICE_ID, "expected an integer, got " + describe(p, v));
                        }
                        deviceId = p.getLongValue();
                    }
                    case TIMESTAMP -> {
                        if (v != JsonToken.VALUE_STRING) {
                            throw new InvalidReadingException(TIMESTAMP, "expected an ISO-8601 string, got " + describe(p, v));
                        }
                        timestamp = parseTimestamp(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    }
                    case TEMPERATURE -> {
                        if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
                            throw new InvalidReadingException(TEMPERATURE, "expected a number, got " + describe(p, v));
                        }
                        temperature = p.getDoubleValue();
                    }
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new InvalidReadingException(null, "payload is not a single JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidReadingException(null, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read JSON from memory", e);
        }
        if (deviceId == null) {
            throw new InvalidReadingException(DEVICE_ID, "missing");
        }
        if (timestamp == null) {
            throw new InvalidReadingException(TIMESTAMP, "missing");
        }
        if (temperature == null) {
            throw new InvalidReadingException(TEMPERATURE, "missing");
        }
        if (deviceId < 0 || deviceId > Integer.MAX_VALUE) {
            throw new InvalidReadingException(DEVICE_ID, "out of range 0.." + Integer.MAX_VALUE + ": " + deviceId);
        }
        if (!Double.isFinite(temperature)) {
            throw new InvalidReadingException(TEMPERATURE, "not a finite number: " + temperature);
        }
        return new Reading(deviceId.intValue(), timestamp, temperature);
    }

    private static Instant parseTimestamp(char[] chars, int off, int len) throws InvalidReadingException {
        Instant fast = UtcTimestamps.parse(chars, off, len);
        if (fast != null) {
            return fast;
        }
        String text = new String(chars, off, len);
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidReadingException(TIMESTAMP, "not an ISO-8601 date-time with offset: '" + text + "'");
        }
    }

    private static String describe(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> "string '" + p.getText() + "'";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> token.asString() == null ? token.name() : p.getText();
        };
    }
}
