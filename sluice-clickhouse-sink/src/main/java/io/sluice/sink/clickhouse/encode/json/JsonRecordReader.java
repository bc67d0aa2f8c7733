package io.sluice.sink.clickhouse.encode.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.encode.rowbinary.FieldEncoder;
import io.sluice.sink.clickhouse.encode.rowbinary.JsonScalar;
import io.sluice.sink.clickhouse.encode.rowbinary.JsonTokenEncoder;
import io.sluice.sink.clickhouse.encode.rowbinary.RowBinaryBuffer;
import io.sluice.sink.clickhouse.schema.ClickHouseType;
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
    public enum NumberForm {
        DEFAULT, DECIMAL, TEXT;

        /** Returns how a column of type {@code t} reads JSON numbers. */
        public static NumberForm of(ClickHouseType t) {
            while (t.kind() == ClickHouseType.Kind.NULLABLE || t.kind() == ClickHouseType.Kind.LOW_CARDINALITY
                    || t.kind() == ClickHouseType.Kind.ARRAY) {
                t = t.element();
            }
            switch (t.kind()) {
                case DECIMAL: return DECIMAL;
                case STRING:
                case FIXED_STRING:
                case JSON: return TEXT;
                default: return DEFAULT;
            }
        }
    }

    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER) // same doubles as Double.parseDouble, faster
            .build();
    private static final int NO_COLUMN = -1;

    /** Stands in {@code values} for a value already encoded from its token; see {@link #copyEncoded}. */
    public static final Object ENCODED = new Object();

    private final Map<String, Integer> columnIndex;
    private final NumberForm[] numberForms;
    /** Per slot, an encoder that writes tokens directly, or null. */
    private final JsonTokenEncoder[] tokenEncoders;
    /** This row's directly encoded values, and per slot where its bytes start and end. */
    private final RowBinaryBuffer encoded = new RowBinaryBuffer(256);
    private final int[] encodedStart;
    private final int[] encodedEnd;
    private final boolean failOnUnknownFields;
    private final String tableName;
    /** Per field position in an object, the name bytes the scanner saw there last and their column (or NO_COLUMN). */
    private byte[][] seenNameBytes = new byte[8][];
    private int[] seenByteColumns = new int[8];
    private final FlatJsonScanner scanner = new FlatJsonScanner();
    private final ParserScalar parserScalar = new ParserScalar();

    /**
     * @param columnNames         column names, in table order
     * @param numberForms         per column, how to read numbers
     * @param tokenEncoders       per column, an encoder that writes JSON tokens directly, or null (the value is then
     *                            read into {@code values})
     * @param failOnUnknownFields when true, a field without a column fails the record
     * @param tableName           the table, for messages
     */
    public JsonRecordReader(List<String> columnNames, NumberForm[] numberForms, JsonTokenEncoder[] tokenEncoders,
            boolean failOnUnknownFields, String tableName) {
        this.columnIndex = new HashMap<>(columnNames.size() * 2);
        for (int i = 0; i < columnNames.size(); i++) {
            columnIndex.put(columnNames.get(i), i);
        }
        this.numberForms = numberForms;
        this.tokenEncoders = tokenEncoders;
        this.encodedStart = new int[columnNames.size()];
        this.encodedEnd = new int[columnNames.size()];
        this.failOnUnknownFields = failOnUnknownFields;
        this.tableName = tableName;
    }

    /**
     * Parses one JSON object into {@code values}, indexed like the table's columns. Entries of columns the object
     * does not name are {@code null}; entries encoded straight from their token are {@link #ENCODED}, and their
     * bytes are appended by {@link #copyEncoded}.
     *
     * <p>With a row buffer {@code out}, the leading columns of a record whose fields come in table column order are
     * written straight into it, as RowBinary, rather than through {@code values}: the common fixed-shape record then
     * needs no copy. Column {@code k} is written so only if columns {@code 0..k-1} were, its field is the next one
     * in the text, its value is not {@code null} and its token encoder takes it. Their entries in {@code values}
     * stay {@code null}. If this returns by an exception, {@code out} holds what it held before the call.
     *
     * @param json   a {@code byte[]} (UTF-8) or a {@code String}
     * @param values receives the values; cleared first
     * @param out    the row buffer, or null to leave every value in {@code values}
     * @return how many leading columns were written to {@code out}: the caller encodes the row from that column on
     * @throws RecordEncodingException if the text is not one well-formed JSON object, or (when configured) names a
     *                                 field without a column
     */
    public int read(Object json, Object[] values, RowBinaryBuffer out) throws RecordEncodingException {
        if (json instanceof byte[]) {
            int written = readFlat((byte[]) json, values, out);
            if (written >= 0) {
                return written;
            }
        }
        Arrays.fill(values, null);
        encoded.reset();
        try (JsonParser p = json instanceof byte[] ? FACTORY.createParser((byte[]) json)
                : FACTORY.createParser((String) json)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw new RecordEncodingException(null, "record value must be a Struct or a JSON object, got "
                        + (t == null ? "empty text" : "JSON " + describe(t)));
            }
            String name;
            while ((name = p.nextFieldName()) != null) {
                int i = columnOf(name);
                JsonToken v = p.nextToken();
                if (i == NO_COLUMN) {
                    if (failOnUnknownFields) {
                        throw new RecordEncodingException(name, "field has no column in " + tableName
                                + " (set unknown.fields=ignore to drop such fields)");
                    }
                    p.skipChildren();
                } else if (!encodeToken(p, v, i, values)) {
                    values[i] = value(p, v, numberForms[i]);
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new RecordEncodingException(null, "malformed JSON: expected a field name or '}'");
            }
            if (p.nextToken() != null) {
                throw new RecordEncodingException(null, "malformed JSON: text after the end of the object");
            }
            return 0;
        } catch (JsonProcessingException e) {
            throw new RecordEncodingException(null, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RecordEncodingException(null, "cannot read JSON: " + e.getMessage());
        }
    }

    /**
     * Reads the common record shape with {@link FlatJsonScanner}, without Jackson; writes the leading in-order
     * columns to {@code out} (see {@link #read}).
     *
     * @return how many leading columns were written to {@code out}; or -1, with {@code out} as before, if the
     *         record is outside what the scanner takes: {@code values} must then be read again
     */
    private int readFlat(byte[] json, Object[] values, RowBinaryBuffer out) {
        FlatJsonScanner s = scanner;
        if (!s.start(json)) {
            return -1;
        }
        Arrays.fill(values, null);
        encoded.reset();
        int start = out == null ? 0 : out.size();
        int written = 0;
        boolean inOrder = out != null;
        boolean done = false;
        try {
            int position = 0;
            int next;
            while ((next = s.nextField(position < seenNameBytes.length ? seenNameBytes[position] : null)) > 0) {
                int i = next == 2 ? seenByteColumns[position] : columnOf(s, position);
                position++;
                if (!s.nextValue()) {
                    return -1;
                }
                if (i == NO_COLUMN) {
                    if (failOnUnknownFields) {
                        return -1; // Jackson's pass reports it
                    }
                } else if (i < written) {
                    return -1; // a repeated field, already in out: Jackson's pass keeps the last one
                } else if (s.token() == JsonToken.VALUE_NULL) {
                    values[i] = null;
                    inOrder = false;
                } else if (inOrder && i == written && tokenEncoders[i] != null && tokenEncoders[i].encodeToken(s, out)) {
                    written++;
                } else {
                    inOrder = false;
                    if (!encodeToken(s, i, values)) {
                        values[i] = s.boxed(numberForms[i]);
                    }
                }
            }
            done = next == 0;
            return done ? written : -1;
        } catch (IOException e) {
            return -1; // not thrown by the scanner
        } finally {
            if (!done && out != null) {
                out.truncate(start);
            }
        }
    }

    private boolean encodeToken(JsonParser p, JsonToken v, int i, Object[] values) throws IOException {
        if (v == JsonToken.VALUE_NULL || tokenEncoders[i] == null) {
            return false;
        }
        parserScalar.p = p;
        parserScalar.token = v;
        return encodeToken(parserScalar, i, values);
    }

    private boolean encodeToken(JsonScalar v, int i, Object[] values) throws IOException {
        JsonTokenEncoder e = tokenEncoders[i];
        if (e == null) {
            return false;
        }
        int start = encoded.size();
        if (!e.encodeToken(v, encoded)) {
            return false;
        }
        values[i] = ENCODED;
        encodedStart[i] = start;
        encodedEnd[i] = encoded.size();
        return true;
    }

    /** Appends the bytes of slot {@code i}, whose value {@link #read} left as {@link #ENCODED}. */
    public void copyEncoded(int i, RowBinaryBuffer out) {
        out.append(encoded, encodedStart[i], encodedEnd[i]);
    }

    /** Looks up the scanner's current name, which is not the one seen before at this position, and remembers it. */
    private int columnOf(FlatJsonScanner s, int position) {
        int column = columnOf(s.name());
        if (position >= seenNameBytes.length && position < 1024) {
            seenNameBytes = Arrays.copyOf(seenNameBytes, Math.max(position + 1, seenNameBytes.length * 2));
            seenByteColumns = Arrays.copyOf(seenByteColumns, seenNameBytes.length);
        }
        if (position < seenNameBytes.length) {
            seenNameBytes[position] = s.nameBytes();
            seenByteColumns[position] = column;
        }
        return column;
    }

    /** Returns the column of a field name, or NO_COLUMN. */
    private int columnOf(String name) {
        Integer i = columnIndex.get(name);
        return i == null ? NO_COLUMN : i;
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

    /** Returns the value at token {@code t} as the general path gives it to {@link FieldEncoder#encode}. */
    static Object value(JsonParser p, JsonToken t, NumberForm form) throws IOException {
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


    /** Jackson's parser, positioned on a scalar value, as a {@link JsonScalar}. */
    static final class ParserScalar implements JsonScalar {
        JsonParser p;
        JsonToken token;

        @Override
        public JsonToken token() {
            return token;
        }

        @Override
        public boolean fitsLong() throws IOException {
            return p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
        }

        @Override
        public long longValue() throws IOException {
            return p.getLongValue();
        }

        @Override
        public double doubleValue() throws IOException {
            return p.getDoubleValue();
        }

        @Override
        public CharSequence text() throws IOException {
            return p.getText();
        }

        @Override
        public void writeString(RowBinaryBuffer out) throws IOException {
            out.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        }
    }
}
