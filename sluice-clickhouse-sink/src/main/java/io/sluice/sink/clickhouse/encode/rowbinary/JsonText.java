package io.sluice.sink.clickhouse.encode.rowbinary;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Renders a Kafka Connect value as JSON text (RFC 8259), for JSON columns: Struct and Map as objects (keys in the
 * value's own order), Collection and Object[] as arrays, numbers and booleans as literals, {@code java.util.Date}
 * as an ISO-8601 UTC string, bytes as base64 strings (as Kafka's JsonConverter does), everything else as a string.
 * Non-finite floats have no JSON form and become {@code null}.
 */
final class JsonText {

    private JsonText() {
    }

    /** Returns the JSON text of a value. */
    static String write(Object v) {
        StringBuilder b = new StringBuilder();
        write(v, b);
        return b.toString();
    }

    private static void write(Object v, StringBuilder b) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Map) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                first = comma(first, b);
                string(String.valueOf(e.getKey()), b);
                b.append(':');
                write(e.getValue(), b);
            }
            b.append('}');
        } else if (v instanceof Struct) {
            Struct s = (Struct) v;
            b.append('{');
            boolean first = true;
            for (Field f : s.schema().fields()) {
                first = comma(first, b);
                string(f.name(), b);
                b.append(':');
                write(s.get(f), b);
            }
            b.append('}');
        } else if (v instanceof Collection || v instanceof Object[]) {
            Iterable<?> items = v instanceof Collection ? (Collection<?>) v : java.util.Arrays.asList((Object[]) v);
            b.append('[');
            boolean first = true;
            for (Object item : items) {
                first = comma(first, b);
                write(item, b);
            }
            b.append(']');
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            b.append(Double.isFinite(d) ? v.toString() : "null");
        } else if (v instanceof BigDecimal) {
            b.append(((BigDecimal) v).toPlainString());
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof java.util.Date) {
            string(((java.util.Date) v).toInstant().toString(), b);
        } else if (v instanceof byte[]) {
            string(Base64.getEncoder().encodeToString((byte[]) v), b);
        } else if (v instanceof ByteBuffer) {
            ByteBuffer bb = ((ByteBuffer) v).duplicate();
            byte[] a = new byte[bb.remaining()];
            bb.get(a);
            string(Base64.getEncoder().encodeToString(a), b);
        } else {
            string(v.toString(), b);
        }
    }

    private static boolean comma(boolean first, StringBuilder b) {
        if (!first) {
            b.append(',');
        }
        return false;
    }

    private static void string(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        b.append('"');
    }
}
