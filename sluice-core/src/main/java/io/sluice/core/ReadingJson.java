package io.sluice.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * JSON serde for {@link Reading}, on Jackson's streaming API.
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

    private ReadingJson() {
    }

    /**
     * Serialises a reading.
     *
     * @param reading the reading
     * @return UTF-8 JSON bytes, about 70 bytes per reading
     */
    public static byte[] toBytes(Reading reading) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField(DEVICE_ID, reading.deviceId());
            g.writeFieldName(TIMESTAMP);
            char[] ts = new char[32];
            int n = UtcTimestamps.format(reading.timestamp(), ts);
            if (n >= 0) {
                g.writeString(ts, 0, n);
            } else {
                g.writeString(DateTimeFormatter.ISO_INSTANT.format(reading.timestamp()));
            }
            g.writeNumberField(TEMPERATURE, reading.temperature());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write reading JSON to memory", e);
        }
        return out.toByteArray();
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
