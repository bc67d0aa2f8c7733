package io.sluice.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * JSON serde for {@link Reading}: written by hand (one fixed shape, see {@link #toBytes}); that shape is parsed by
 * hand too, and everything else with Jackson's streaming parser (see {@link #parse}).
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
    /** Bytes of a serialised reading besides its three values: the prefixes and the closing brace. */
    private static final int FIXED_LENGTH = DEVICE_ID_PREFIX.length + TIMESTAMP_PREFIX.length
            + TEMPERATURE_PREFIX.length + 1;
    /** Fractional digits the temperature fast path handles; beyond them {@link Double#toString} is called. */
    private static final int FAST_FRACTION_DIGITS = 4;
    private static final long FAST_SCALE = 10_000L;
    /** Most digits of a temperature {@link #parseCanonical} converts itself: below 2^53, so exact as a double. */
    private static final int MAX_EXACT_DIGITS = 15;
    /** 10^0 .. 10^15, each exact as a double. */
    private static final double[] POWERS_OF_TEN = new double[MAX_EXACT_DIGITS + 1];

    static {
        double p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private ReadingJson() {
    }

    /**
     * Serialises a reading, without a JSON generator: the object has one fixed shape whose values need no escaping
     * (an int, an ASCII timestamp and a number), so it is written byte by byte. The bytes are exactly what Jackson's
     * generator wrote for the same fields ({@code ReadingJsonTest} compares the two): no spaces, the timestamp as
     * {@link DateTimeFormatter#ISO_INSTANT} prints it, the temperature as {@link Double#toString(double)} prints it.
     * The length is computed first, so the result is the only array allocated. Thread-safe.
     *
     * @param reading the reading
     * @return UTF-8 JSON bytes, about 70 bytes per reading
     */
    public static byte[] toBytes(Reading reading) {
        int id = reading.deviceId();
        Instant t = reading.timestamp();
        double v = reading.temperature();
        int tsLength = UtcTimestamps.length(t);
        String tsText = tsLength < 0 ? DateTimeFormatter.ISO_INSTANT.format(t) : null;
        long scaled = fastScaled(v);
        String vText = scaled < 0 ? Double.toString(v) : null;
        int fractionDigits = scaled < 0 ? 0 : fractionDigits((int) (scaled % FAST_SCALE));
        int length = FIXED_LENGTH + digitCount(id) + (tsText == null ? tsLength : tsText.length())
                + (vText != null ? vText.length()
                        : (v < 0 || isNegativeZero(v) ? 1 : 0) + digitCount((int) (scaled / FAST_SCALE)) + 1 + fractionDigits);
        byte[] out = new byte[length];
        int n = put(out, 0, DEVICE_ID_PREFIX);
        n = putDigits(out, n, id);
        n = put(out, n, TIMESTAMP_PREFIX);
        n = tsText == null ? n + UtcTimestamps.format(t, out, n) : putAscii(out, n, tsText);
        n = put(out, n, TEMPERATURE_PREFIX);
        n = vText != null ? putAscii(out, n, vText) : putFast(out, n, v, scaled, fractionDigits);
        out[n] = '}';
        return out;
    }

    /**
     * Returns {@link BigDecimal#valueOf(double) BigDecimal.valueOf(v)}: the decimal {@link #toBytes} writes for a
     * temperature, with its scale. In the range of {@link #fastScaled} it is built from the scaled long, without
     * {@link Double#toString(double)} (which was a tenth of the aggregator's time); elsewhere it calls
     * {@code BigDecimal.valueOf}. Thread-safe.
     *
     * @param v a finite double
     * @return the same value and scale as {@code BigDecimal.valueOf(v)}
     */
    public static BigDecimal decimalOf(double v) {
        long scaled = fastScaled(v);
        if (scaled < 0) {
            return BigDecimal.valueOf(v);
        }
        int fractionDigits = fractionDigits((int) (scaled % FAST_SCALE));
        long unscaled = scaled;
        for (int i = fractionDigits; i < FAST_FRACTION_DIGITS; i++) {
            unscaled /= 10;
        }
        return BigDecimal.valueOf(v < 0 ? -unscaled : unscaled, fractionDigits);
    }

    /**
     * Returns {@code |v| * 10^4} when {@link Double#toString(double)} of {@code v} can be written from it, else -1.
     * That is so for zero ({@code 0.0}, {@code -0.0}) and for a value in [1e-3, 1e7), where that method writes plain
     * decimal notation, that is exactly some decimal {@code m / 10^4}: the division is correctly rounded, so the check
     * {@code m / 1e4 == |v|} proves that decimal rounds to {@code v}. In that range two decimals with at most 4
     * fractional digits are 1e-4 apart, far more than the spacing of doubles (below 2e-9), so that decimal with its
     * trailing zeros removed is the shortest one that rounds to {@code v}: the digits {@code Double.toString} prints
     * (at least one fractional digit, so {@code 27.0}). Java 19 and later specify that shortest decimal; on Java 17
     * {@code ReadingJsonTest} checks it for every 4-decimal value in 0..100 and random values of every magnitude.
     */
    private static long fastScaled(double v) {
        double a = Math.abs(v);
        if (a == 0) {
            return 0;
        }
        if (a >= 1e-3 && a < 1e7) {
            long m = Math.round(a * FAST_SCALE);
            if (m / (double) FAST_SCALE == a) {
                return m;
            }
        }
        return -1;
    }

    /** Digits of a fraction of {@link #FAST_FRACTION_DIGITS} digits without its trailing zeros, at least 1. */
    private static int fractionDigits(int fraction) {
        if (fraction == 0) {
            return 1;
        }
        int digits = FAST_FRACTION_DIGITS;
        while (fraction % 10 == 0) {
            fraction /= 10;
            digits--;
        }
        return digits;
    }

    private static boolean isNegativeZero(double v) {
        return Double.doubleToRawLongBits(v) == Long.MIN_VALUE;
    }

    /** Writes {@code v} from {@link #fastScaled} and {@link #fractionDigits}. */
    private static int putFast(byte[] out, int pos, double v, long scaled, int fractionDigits) {
        if (v < 0 || isNegativeZero(v)) {
            out[pos++] = '-';
        }
        pos = putDigits(out, pos, (int) (scaled / FAST_SCALE));
        out[pos++] = '.';
        int fraction = (int) (scaled % FAST_SCALE);
        for (int i = fractionDigits; i < FAST_FRACTION_DIGITS && fraction != 0; i++) {
            fraction /= 10;
        }
        for (int i = pos + fractionDigits - 1; i >= pos; i--) {
            out[i] = (byte) ('0' + fraction % 10);
            fraction /= 10;
        }
        return pos + fractionDigits;
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

    /** Returns the number of decimal digits of a non-negative int, by comparisons (no divisions). */
    private static int digitCount(int v) {
        if (v < 100_000) {
            return v < 100 ? (v < 10 ? 1 : 2) : v < 1_000 ? 3 : v < 10_000 ? 4 : 5;
        }
        return v < 10_000_000 ? (v < 1_000_000 ? 6 : 7) : v < 100_000_000 ? 8 : v < 1_000_000_000 ? 9 : 10;
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
     * Parses and validates a reading: the shape {@link #toBytes} writes through {@link #parseCanonical}, anything
     * else (and any value that path does not decide) through {@link #parseWithJackson}; both give the same result.
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
        Reading fast = parseCanonical(json);
        return fast != null ? fast : parseWithJackson(json);
    }

    /**
     * Parses the exact shape {@link #toBytes} writes, {@code {"device_id":D,"timestamp":"T","temperature":V}} with
     * no whitespace, without Jackson (creating its parser and tokenising cost more than half of the aggregator's time
     * per 75-byte record). Returns null for anything else, or for any value it does not decide itself: then
     * {@link #parseWithJackson} decides and words any error, so both paths give the same reading for the same
     * bytes ({@code ReadingJsonTest} compares them on random and mutated inputs).
     *
     * <p>It takes: {@code D} as {@code 0} or up to 10 digits without a leading zero, at most {@link Integer#MAX_VALUE};
     * {@code T} as {@link UtcTimestamps#parse} takes it; {@code V} as {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?} with at
     * most 15 digits, not a negative zero, and then the closing brace as the last byte. {@code V} becomes the
     * digits as a long divided by a power of ten: both are exact doubles (below 2^53 and 10^22), and IEEE division
     * is correctly rounded, so this is the correctly rounded double that Jackson and {@link Double#parseDouble} give.
     *
     * @param json UTF-8 JSON bytes
     * @return the reading, or null when Jackson must decide
     */
    static Reading parseCanonical(byte[] json) {
        int n = json.length;
        int pos = DEVICE_ID_PREFIX.length;
        if (n < FIXED_LENGTH + 3 || !startsWith(json, 0, DEVICE_ID_PREFIX)) {
            return null;
        }
        long id = 0;
        int idStart = pos;
        while (pos < n && json[pos] >= '0' && json[pos] <= '9' && pos - idStart < 11) {
            id = id * 10 + (json[pos++] - '0');
        }
        int idDigits = pos - idStart;
        if (idDigits == 0 || idDigits > 10 || (idDigits > 1 && json[idStart] == '0') || id > Integer.MAX_VALUE
                || !startsWith(json, pos, TIMESTAMP_PREFIX)) {
            return null;
        }
        pos += TIMESTAMP_PREFIX.length;
        int tsStart = pos;
        while (pos < n && json[pos] != '"') {
            pos++;
        }
        int tsLength = pos - tsStart;
        if (pos == n || tsLength > 64 || !startsWith(json, pos, TEMPERATURE_PREFIX)) {
            return null;
        }
        char[] ts = new char[tsLength];
        for (int i = 0; i < tsLength; i++) {
            ts[i] = (char) (json[tsStart + i] & 0xff);
        }
        Instant timestamp = UtcTimestamps.parse(ts, 0, tsLength);
        if (timestamp == null) {
            return null;
        }
        pos += TEMPERATURE_PREFIX.length;
        boolean negative = pos < n && json[pos] == '-';
        if (negative) {
            pos++;
        }
        int intStart = pos;
        long digits = 0;
        while (pos < n && json[pos] >= '0' && json[pos] <= '9' && pos - intStart < 16) {
            digits = digits * 10 + (json[pos++] - '0');
        }
        int intDigits = pos - intStart;
        if (intDigits == 0 || (intDigits > 1 && json[intStart] == '0')) {
            return null;
        }
        int fractionDigits = 0;
        if (pos < n && json[pos] == '.') {
            pos++;
            int fractionStart = pos;
            while (pos < n && json[pos] >= '0' && json[pos] <= '9' && intDigits + pos - fractionStart < 16) {
                digits = digits * 10 + (json[pos++] - '0');
            }
            fractionDigits = pos - fractionStart;
            if (fractionDigits == 0) {
                return null;
            }
        }
        if (intDigits + fractionDigits > MAX_EXACT_DIGITS || pos != n - 1 || json[pos] != '}'
                || (negative && digits == 0)) {
            return null;
        }
        double v = digits / POWERS_OF_TEN[fractionDigits];
        return new Reading((int) id, timestamp, negative ? -v : v);
    }

    private static boolean startsWith(byte[] json, int pos, byte[] prefix) {
        if (pos + prefix.length > json.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (json[pos + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses and validates a reading with Jackson's streaming parser: any JSON object, fields in any order, unknown
     * fields skipped. {@link #parse} comes here for everything {@link #parseCanonical} does not decide.
     *
     * @param json UTF-8 JSON bytes, not null
     * @return the reading
     * @throws InvalidReadingException as {@link #parse} does
     */
    static Reading parseWithJackson(byte[] json) throws InvalidReadingException {
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
