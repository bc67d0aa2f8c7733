package io.sluice.sink.clickhouse.encode;

import io.sluice.sink.clickhouse.encode.json.JsonRecordReader;
import io.sluice.sink.clickhouse.encode.rowbinary.Encoders;
import io.sluice.sink.clickhouse.encode.rowbinary.FieldEncoder;
import io.sluice.sink.clickhouse.encode.rowbinary.JsonTokenEncoder;
import io.sluice.sink.clickhouse.encode.rowbinary.LongEncoder;
import io.sluice.sink.clickhouse.encode.rowbinary.RowBinaryBuffer;
import io.sluice.sink.clickhouse.encode.rowbinary.TimeNumbers;
import io.sluice.sink.clickhouse.encode.rowbinary.ValueException;
import io.sluice.sink.clickhouse.schema.ClickHouseType;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.KafkaCoordinates;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns one SinkRecord value into one RowBinary row of a table, mapping fields to columns by name.
 *
 * <p>Values may be a {@link Struct} (converters with schemas), a {@link Map} (JsonConverter with
 * {@code schemas.enable=false}), or JSON text: {@code byte[]} from {@code ByteArrayConverter} or a String from
 * {@code StringConverter}, parsed here with a streaming parser straight into the row ({@link JsonRecordReader}), the
 * fastest path for JSON topics.
 *
 * <p>A field that is missing or null gets: NULL for a Nullable column; the column's
 * {@code DEFAULT} expression for a column that has one (the column is then left out of the insert, see
 * {@link #encode}); the type's zero value otherwise. The {@link KafkaCoordinates} columns are filled from the
 * record's Kafka coordinates.
 *
 * <p>Nested: ClickHouse stores a {@code Nested(a T, b U)} column {@code n} as arrays {@code n.a Array(T)} and
 * {@code n.b Array(U)} of equal length (ClickHouse docs, "Nested(Name1 Type1, Name2 Type2, ...)" data type page).
 * A record may give those arrays as fields {@code n.a} and {@code n.b}, or give one field {@code n} holding a list
 * of Structs or JSON objects, which is split into the arrays (element k's {@code a} goes to {@code n.a[k]}). Arrays
 * of one nested group (Array columns sharing the prefix before the first dot, as the server groups them) must
 * have equal lengths in a row, or the record is rejected naming the field {@code n}: the server would otherwise
 * refuse the whole insert.
 */
public final class RecordEncoder {

    private enum Source { FIELD, TOPIC, PARTITION, OFFSET, TIMESTAMP }

    private final TableSchema schema;
    private final List<Column> columns;
    private final FieldEncoder[] encoders;
    private final Source[] sources;
    private final boolean failOnUnknownFields;
    /** For Array columns named {@code prefix.child}: the prefix, else null. */
    private final String[] nestedPrefix;
    /** For Array columns named {@code prefix.child}: the child name, else null. */
    private final String[] nestedChild;
    /** Nested group of each column (an index into {@link #groupLengths}), or -1. */
    private final int[] nestedGroup;
    /** Per nested group, the array length seen in the current row, or -1; and the column that set it. */
    private final int[] groupLengths;
    private final int[] groupFirstColumn;
    private final Set<String> nestedPrefixes = new HashSet<>();
    private final JsonRecordReader json;
    /** Values read from JSON text for the row being encoded: one slot per column, then one per nested prefix. */
    private final Object[] jsonValues;
    /** Slot in {@link #jsonValues} of each nested prefix field. */
    private final Map<String, Integer> jsonPrefixSlots = new HashMap<>();

    /**
     * An encoder that reads numbers in time columns as ClickHouse does ({@link TimeNumbers#CLICKHOUSE}).
     *
     * @param schema              the target table
     * @param failOnUnknownFields when true, a field with no column of the same name fails the record
     */
    public RecordEncoder(TableSchema schema, boolean failOnUnknownFields) {
        this(schema, failOnUnknownFields, TimeNumbers.CLICKHOUSE);
    }

    /**
     * @param schema              the target table
     * @param failOnUnknownFields when true, a field with no column of the same name fails the record
     * @param numbers             how plain numbers are read into Date, Date32, DateTime and DateTime64 columns
     */
    public RecordEncoder(TableSchema schema, boolean failOnUnknownFields, TimeNumbers numbers) {
        this.schema = schema;
        this.columns = schema.columns();
        this.failOnUnknownFields = failOnUnknownFields;
        int n = schema.columns().size();
        this.encoders = new FieldEncoder[n];
        this.sources = new Source[n];
        this.nestedPrefix = new String[n];
        this.nestedChild = new String[n];
        this.nestedGroup = new int[n];
        Map<String, Integer> groups = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Column c = schema.columns().get(i);
            encoders[i] = Encoders.forType(c.type(), numbers);
            int dot = c.name().indexOf('.');
            nestedGroup[i] = -1;
            if (dot > 0 && dot < c.name().length() - 1 && c.type().kind() == ClickHouseType.Kind.ARRAY) {
                nestedPrefix[i] = c.name().substring(0, dot);
                nestedChild[i] = c.name().substring(dot + 1);
                nestedGroup[i] = groups.computeIfAbsent(nestedPrefix[i], k -> groups.size());
                nestedPrefixes.add(nestedPrefix[i]);
            }
            switch (c.name()) {
                case KafkaCoordinates.TOPIC: sources[i] = Source.TOPIC; break;
                case KafkaCoordinates.PARTITION: sources[i] = Source.PARTITION; break;
                case KafkaCoordinates.OFFSET: sources[i] = Source.OFFSET; break;
                case KafkaCoordinates.TIMESTAMP: sources[i] = Source.TIMESTAMP; break;
                default: sources[i] = Source.FIELD;
            }
        }
        this.groupLengths = new int[groups.size()];
        this.groupFirstColumn = new int[groups.size()];
        List<String> names = new ArrayList<>(n + groups.size());
        List<JsonRecordReader.NumberForm> forms = new ArrayList<>(n + groups.size());
        List<JsonTokenEncoder> tokenEncoders = new ArrayList<>(n + groups.size());
        for (int i = 0; i < n; i++) {
            Column c = schema.columns().get(i);
            names.add(c.name()); // a JSON field named like a coordinate column is read, then ignored (valueFor)
            forms.add(JsonRecordReader.NumberForm.of(c.type()));
            tokenEncoders.add(sources[i] == Source.FIELD && encoders[i] instanceof JsonTokenEncoder
                    ? (JsonTokenEncoder) encoders[i] : null);
        }
        for (String prefix : groups.keySet()) {
            if (schema.indexOf(prefix) < 0) {
                jsonPrefixSlots.put(prefix, names.size());
                names.add(prefix);
                forms.add(JsonRecordReader.NumberForm.DEFAULT);
                tokenEncoders.add(null);
            }
        }
        this.json = new JsonRecordReader(names, forms.toArray(new JsonRecordReader.NumberForm[0]),
                tokenEncoders.toArray(new JsonTokenEncoder[0]), failOnUnknownFields, schema.toString());
        this.jsonValues = new Object[names.size()];
    }

    /** Returns the table this encoder writes. */
    public TableSchema schema() {
        return schema;
    }

    /**
     * Appends one row. On failure the buffer is restored to its size before the call, so a batch never holds a
     * partial row.
     *
     * @param record  the record; its value must be a Struct, a Map, or JSON object text (byte[] or String)
     * @param out     the buffer to append to
     * @param omitted set to the columns left out because the record has no value and the column has a
     *                {@code DEFAULT} expression; cleared first. Rows with different sets go to different inserts.
     * @throws RecordEncodingException if the value is not a Struct, Map or JSON object text (malformed JSON
     *                                 included), a value does not fit its column, or (when configured) a field has
     *                                 no column
     */
    public void encode(SinkRecord record, RowBinaryBuffer out, BitSet omitted) throws RecordEncodingException {
        Object value = record.value();
        int start = out.size();
        int i = 0;
        if (value instanceof byte[] || value instanceof String) {
            // Writes the leading in-order columns itself (i of them); also rejects unknown fields when configured.
            i = json.read(value, jsonValues, out);
            value = jsonValues;
        } else if (!(value instanceof Struct) && !(value instanceof Map)) {
            throw new RecordEncodingException(null, "record value must be a Struct or a JSON object, got "
                    + (value == null ? "null" : value.getClass().getSimpleName()));
        } else if (failOnUnknownFields) {
            checkUnknownFields(value);
        }
        omitted.clear();
        Arrays.fill(groupLengths, -1);
        try {
            for (; i < encoders.length; i++) {
                if (sources[i] == Source.PARTITION || sources[i] == Source.OFFSET) {
                    if (encoders[i] instanceof LongEncoder) { // no boxing of the coordinates
                        ((LongEncoder) encoders[i]).encodeLong(
                                sources[i] == Source.OFFSET ? record.kafkaOffset() : record.kafkaPartition(), out);
                        continue;
                    }
                }
                Object v = value == jsonValues && sources[i] == Source.FIELD ? jsonValues[i] : null;
                if (v == JsonRecordReader.ENCODED) {
                    json.copyEncoded(i, out);
                    continue;
                }
                Column c = columns.get(i);
                if (v == null) {
                    v = valueFor(i, c.name(), record, value);
                }
                if (v == null && nestedPrefix[i] != null) {
                    v = splitNested(i, value);
                }
                if (nestedGroup[i] >= 0 && !(v == null && c.hasDefaultExpression() && !c.type().isNullable())) {
                    checkNestedLength(i, v, out, start);
                }
                if (v == null) {
                    if (c.type().isNullable()) {
                        encoders[i].encodeDefault(out);
                    } else if (c.hasDefaultExpression()) {
                        omitted.set(i);
                    } else {
                        encoders[i].encodeDefault(out);
                    }
                } else {
                    encoders[i].encode(v, out);
                }
            }
        } catch (ValueException e) {
            out.truncate(start);
            throw new RecordEncodingException(schema.columns().get(i).name(), e.getMessage());
        } catch (RuntimeException e) {
            out.truncate(start);
            throw new RecordEncodingException(schema.columns().get(i).name(), "cannot encode: " + e);
        }
    }

    /** Takes child {@code nestedChild[i]} of each element of the record's list field {@code nestedPrefix[i]}. */
    private List<Object> splitNested(int i, Object value) throws ValueException {
        Object parent = fieldValue(nestedPrefix[i], value);
        if (parent == null) {
            return null;
        }
        Collection<?> items;
        if (parent instanceof Collection) {
            items = (Collection<?>) parent;
        } else if (parent instanceof Object[]) {
            items = Arrays.asList((Object[]) parent);
        } else {
            throw new ValueException("field '" + nestedPrefix[i] + "' must be a list of objects for Nested columns "
                    + nestedPrefix[i] + ".*, got " + Encoders.show(parent));
        }
        List<Object> column = new ArrayList<>(items.size());
        int k = 0;
        for (Object item : items) {
            if (!(item instanceof Struct) && !(item instanceof Map)) {
                throw new ValueException("element " + k + " of field '" + nestedPrefix[i]
                        + "' must be an object for Nested columns " + nestedPrefix[i] + ".*, got "
                        + (item == null ? "null" : Encoders.show(item)));
            }
            column.add(fieldValue(nestedChild[i], item));
            k++;
        }
        return column;
    }

    private void checkNestedLength(int i, Object v, RowBinaryBuffer out, int start) throws RecordEncodingException {
        int length = v == null ? 0 : v instanceof Collection ? ((Collection<?>) v).size()
                : v instanceof Object[] ? ((Object[]) v).length : -1;
        if (length < 0) {
            return; // not a list: the array encoder reports it
        }
        int g = nestedGroup[i];
        if (groupLengths[g] < 0) {
            groupLengths[g] = length;
            groupFirstColumn[g] = i;
        } else if (groupLengths[g] != length) {
            out.truncate(start);
            String first = schema.columns().get(groupFirstColumn[g]).name();
            throw new RecordEncodingException(nestedPrefix[i], "arrays of Nested '" + nestedPrefix[i]
                    + "' must have equal lengths, but " + first + " has " + groupLengths[g] + " elements and "
                    + schema.columns().get(i).name() + " has " + length);
        }
    }

    private Object fieldValue(String name, Object value) {
        if (value == jsonValues) {
            Integer slot = jsonPrefixSlots.get(name);
            return slot == null ? null : jsonValues[slot];
        }
        if (value instanceof Struct) {
            Struct s = (Struct) value;
            Field f = s.schema().field(name);
            return f == null ? null : s.get(f);
        }
        return ((Map<?, ?>) value).get(name);
    }

    private Object valueFor(int i, String name, SinkRecord record, Object value) {
        switch (sources[i]) {
            case TOPIC: return record.topic();
            case PARTITION: return record.kafkaPartition();
            case OFFSET: return record.kafkaOffset();
            case TIMESTAMP: return record.timestamp() == null ? null : new Date(record.timestamp());
            default:
                return value == jsonValues ? jsonValues[i] : fieldValue(name, value);
        }
    }

    private void checkUnknownFields(Object value) throws RecordEncodingException {
        if (value instanceof Struct) {
            for (Field f : ((Struct) value).schema().fields()) {
                if (schema.indexOf(f.name()) < 0 && !nestedPrefixes.contains(f.name())) {
                    throw new RecordEncodingException(f.name(), "field has no column in " + schema
                            + " (set unknown.fields=ignore to drop such fields)");
                }
            }
        } else {
            for (Object k : ((Map<?, ?>) value).keySet()) {
                if (schema.indexOf(String.valueOf(k)) < 0 && !nestedPrefixes.contains(String.valueOf(k))) {
                    throw new RecordEncodingException(String.valueOf(k), "field has no column in " + schema
                            + " (set unknown.fields=ignore to drop such fields)");
                }
            }
        }
    }
}
