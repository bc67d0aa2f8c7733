package io.sluice.sink.clickhouse.encode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a record value that is JSON text (bytes from {@code ByteArrayConverter}, or a String from
 * {@code StringConverter}) straight into per-column values, with Jackson's streaming parser: no intermediate
 * {@code Map} or tree per row, and fields without a column are skipped without being materialised.
 *
 * <p>Values take the Java types Kafka Connect's {@code JsonConverter} gives schemaless JSON, so the same
 * {@link FieldEncoder}s apply: integers as {@code Long} (or {@code BigInteger} beyond 64 bits), other numbers as
 * {@code Double}, or as {@code BigDecimal} for Decimal columns (exact, never through a double); strings, booleans,
 * {@code null}; nested objects as {@code Map} and arrays as {@code List}. For String and FixedString columns a
 * number keeps its JSON text (so {@code 21.50} stays {@code "21.50"}).
 *
 * <p>Not thread-safe: one instance per encoder. JSON grammar: RFC 8259. Duplicate keys: the last one wins.
 */
public final class JsonRecordReader {

    /** How a column wants a JSON number. */
    enum NumberForm { DEFAULT, DECIMAL, TEXT }

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build();

    private final Map<String, Integer> columnIndex;
    private final NumberForm[] numberForms;
    private final boolean failOnUnknownFields;
    private final String tableName;

    /**
     * @param columnNames         column names, in table order
     * @param numberForms         per column, how to read numbers
     * @param failOnUnknownFields when true, a field without a column fails the record
     * @param tableName           the table, for messages
     */
    JsonRecordReader(List<String> columnNames, NumberForm[] numberForms, boolean failOnUnknownFields, String tableName) {
        this.columnIndex = new HashMap<>(columnNames.size() * 2);
        for (int i = 0; i < columnNames.size(); i++) {
            columnIndex.put(columnNames.get(i), i);
        }
        this.numberForms = numberForms;
        this.failOnUnknownFields = failOnUnknownFields;
        this.tableName = tableName;
    }

    /**
     * Parses one JSON object into {@code values}, indexed like the table's columns. Entries of columns the object
     * does not name are {@code null}.
     *
     * @param json   a {@code byte[]} (UTF-8) or a {@code String}
     * @param values receives the values; cleared first
     * @throws RecordEncodingException if the text is not one well-formed JSON object, or (when configured) names a
     *                                 field without a column
     */
    void read(Object json, Object[] values) throws RecordEncodingException {
        Arrays.fill(values, null);
        try (JsonParser p = json instanceof byte[] ? FACTORY.createParser((byte[]) json)
                : FACTORY.createParser((String) json)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw new RecordEncodingException(null, "record value must be a Struct or a JSON object, got "
                        + (t == null ? "empty text" : "JSON " + describe(t)));
            }
            String name;
            while ((name = p.nextFieldName()) != null) {
                Integer i = columnIndex.get(name);
                JsonToken v = p.nextToken();
                if (i == null) {
                    if (failOnUnknownFields) {
                        throw new RecordEncodingException(name, "field has no column in " + tableName
                                + " (set unknown.fields=ignore to drop such fields)");
                    }
                    p.skipChildren();
                } else {
                    values[i] = value(p, v, numberForms[i]);
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new RecordEncodingException(null, "malformed JSON: expected a field name or '}'");
            }
            if (p.nextToken() != null) {
                throw new RecordEncodingException(null, "malformed JSON: text after the end of the object");
            }
        } catch (JsonProcessingException e) {
            throw new RecordEncodingException(null, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RecordEncodingException(null, "cannot read JSON: " + e.getMessage());
        }
    }

    /**
     * Parses JSON text into a {@code Map} (for table creation from a first record).
     *
     * @throws RecordEncodingException if the text is not one well-formed JSON object
     */
    public static Map<String, Object> toMap(Object json) throws RecordEncodingException {
        try (JsonParser p = json instanceof byte[] ? FACTORY.createParser((byte[]) json)
                : FACTORY.createParser((String) json)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw new RecordEncodingException(null, "record value must be a JSON object, got "
                        + (t == null ? "empty text" : "JSON " + describe(t)));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) value(p, t, NumberForm.DEFAULT);
            return m;
        } catch (IOException e) {
            throw new RecordEncodingException(null, "malformed JSON: " + e.getMessage());
        }
    }

    private static Object value(JsonParser p, JsonToken t, NumberForm form) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                if (form == NumberForm.TEXT) {
                    return p.getText();
                }
                if (form == NumberForm.DECIMAL) {
                    return p.getDecimalValue();
                }
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? (Object) p.getBigIntegerValue()
                        : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                if (form == NumberForm.TEXT) {
                    return p.getText();
                }
                return form == NumberForm.DECIMAL ? (Object) p.getDecimalValue() : (Object) p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(value(p, e, form));
                }
                return list;
            }
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                String name;
                while ((name = p.nextFieldName()) != null) {
                    map.put(name, value(p, p.nextToken(), NumberForm.DEFAULT));
                }
                return map;
            }
            default:
                throw new IOException("unexpected JSON token " + t);
        }
    }

    private static String describe(JsonToken t) {
        switch (t) {
            case START_ARRAY: return "array";
            case VALUE_STRING: return "string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT: return "number";
            case VALUE_TRUE:
            case VALUE_FALSE: return "boolean";
            case VALUE_NULL: return "null";
            default: return t.asString() == null ? t.name() : t.asString();
        }
    }

}
