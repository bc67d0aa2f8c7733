package io.sluice.sink.clickhouse.cdc;

import io.sluice.sink.clickhouse.schema.DebeziumTypes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;

/**
 * Turns a {@link ChangeEvent} into the column values of its ClickHouse row: the image's fields, converted from
 * Debezium's representations (Debezium docs, "How the MySQL connector maps data types") to the Java values the
 * sink's encoders write, plus {@link #VERSION} and {@link #DELETED}.
 *
 * <p>Conversions: io.debezium.time.Date (days) to LocalDate; Timestamp (ms), MicroTimestamp (µs), NanoTimestamp
 * (ns) and ZonedTimestamp (ISO-8601 text) to Instant; Time (ms), MicroTime (µs), NanoTime (ns) and Connect Time
 * to microseconds of the day as a long; Bits (little-endian bytes) to an unsigned integer; BIGINT UNSIGNED values
 * that Debezium's {@code bigint.unsigned.handling.mode=long} wrapped below zero back to their unsigned value;
 * VariableScaleDecimal to BigDecimal; geometry to its WKB bytes. Everything else passes through. Values are read
 * without Connect's schema defaults, so a NULL stays NULL.
 */
public final class ChangeRowConverter {

    /** Column holding the row's version, the ReplacingMergeTree version column. */
    public static final String VERSION = "_version";
    /** Column holding 1 for a deleted row, 0 otherwise. */
    public static final String DELETED = "_deleted";

    private interface Conversion {
        Object apply(Object v);
    }

    private static final Conversion NONE = v -> v;
    private static final int MAX_CACHED_SCHEMAS = 256;

    private final Map<Schema, Conversion[]> conversions = new IdentityHashMap<>();

    /**
     * Returns the row's column values by column name.
     *
     * @param event the change event
     * @return a mutable map from column name to value (null for NULL), including {@code _version} and
     *         {@code _deleted}
     */
    public Map<String, Object> toRow(ChangeEvent event) {
        Struct row = event.row();
        List<Field> fields = row.schema().fields();
        Conversion[] conv = conversionsFor(row.schema());
        Map<String, Object> out = new HashMap<>(fields.size() * 2 + 4);
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            Object v = row.getWithoutDefault(f.name());
            out.put(f.name(), v == null ? null : conv[i].apply(v));
        }
        out.put(VERSION, event.version());
        out.put(DELETED, event.deleted() ? 1 : 0);
        return out;
    }

    private Conversion[] conversionsFor(Schema schema) {
        Conversion[] c = conversions.get(schema);
        if (c == null) {
            List<Field> fields = schema.fields();
            c = new Conversion[fields.size()];
            for (int i = 0; i < c.length; i++) {
                c[i] = conversion(fields.get(i).schema());
            }
            if (conversions.size() >= MAX_CACHED_SCHEMAS) {
                conversions.clear();
            }
            conversions.put(schema, c);
        }
        return c;
    }

    static Conversion conversion(Schema s) {
        String name = s.name();
        if (name != null) {
            switch (name) {
                case DebeziumTypes.DATE:
                    return v -> v instanceof Number ? LocalDate.ofEpochDay(((Number) v).longValue()) : v;
                case DebeziumTypes.TIMESTAMP:
                    return v -> v instanceof Number ? Instant.ofEpochMilli(((Number) v).longValue()) : v;
                case DebeziumTypes.MICRO_TIMESTAMP:
                    return v -> v instanceof Number ? ofScaled(((Number) v).longValue(), 1_000_000L) : v;
                case DebeziumTypes.NANO_TIMESTAMP:
                    return v -> v instanceof Number ? ofScaled(((Number) v).longValue(), 1_000_000_000L) : v;
                case DebeziumTypes.ZONED_TIMESTAMP:
                    return ChangeRowConverter::zoned;
                case DebeziumTypes.TIME:
                    return v -> v instanceof Number ? ((Number) v).longValue() * 1000 : v;
                case DebeziumTypes.NANO_TIME:
                    return v -> v instanceof Number ? Math.floorDiv(((Number) v).longValue(), 1000L) : v;
                case Time.LOGICAL_NAME:
                    return v -> v instanceof java.util.Date ? ((java.util.Date) v).getTime() * 1000 : v;
                case DebeziumTypes.BITS:
                    return ChangeRowConverter::bits;
                case DebeziumTypes.VARIABLE_SCALE_DECIMAL:
                    return v -> v instanceof Struct ? new BigDecimal(new BigInteger(bytes(((Struct) v).get("value"))),
                            ((Struct) v).getInt32("scale")) : v;
                default:
                    if (name.startsWith(DebeziumTypes.GEOMETRY_PREFIX)) {
                        return v -> v instanceof Struct ? ((Struct) v).get("wkb") : v;
                    }
            }
        }
        Map<String, String> p = s.parameters();
        String source = p == null ? null : p.get(DebeziumTypes.SOURCE_TYPE);
        if (s.type() == Schema.Type.INT64 && source != null
                && source.toUpperCase(Locale.ROOT).startsWith("BIGINT") && source.toUpperCase(Locale.ROOT).contains("UNSIGNED")) {
            // bigint.unsigned.handling.mode=long hands values >= 2^63 over as negative longs (two's complement).
            return v -> v instanceof Long && (Long) v < 0 ? new BigInteger(Long.toUnsignedString((Long) v)) : v;
        }
        return NONE;
    }

    private static Instant ofScaled(long ticks, long perSecond) {
        long nanosPerTick = 1_000_000_000L / perSecond;
        return Instant.ofEpochSecond(Math.floorDiv(ticks, perSecond), Math.floorMod(ticks, perSecond) * nanosPerTick);
    }

    private static Object zoned(Object v) {
        if (v instanceof String) {
            try {
                return OffsetDateTime.parse((String) v).toInstant();
            } catch (DateTimeParseException e) {
                return v; // the encoder reports the unparseable text with its column
            }
        }
        return v;
    }

    /** Debezium's Bits: the bits in little-endian byte order (Debezium docs, "BIT(M)", "io.debezium.data.Bits"). */
    private static Object bits(Object v) {
        byte[] b = bytes(v);
        if (b == null || b.length > 8) {
            return v;
        }
        long x = 0;
        for (int i = 0; i < b.length; i++) {
            x |= (b[i] & 0xFFL) << (8 * i);
        }
        return x >= 0 ? (Object) x : new BigInteger(Long.toUnsignedString(x));
    }

    private static byte[] bytes(Object v) {
        if (v instanceof byte[]) {
            return (byte[]) v;
        }
        if (v instanceof ByteBuffer) {
            ByteBuffer bb = ((ByteBuffer) v).duplicate();
            byte[] b = new byte[bb.remaining()];
            bb.get(b);
            return b;
        }
        return null;
    }
}
