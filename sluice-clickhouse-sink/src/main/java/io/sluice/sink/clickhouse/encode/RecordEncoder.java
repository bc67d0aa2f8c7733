package io.sluice.sink.clickhouse.encode;

import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.TableSchema;
import io.sluice.sink.clickhouse.schema.ClickHouseType;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns one SinkRecord value into one RowBinary row of a table, mapping fields to columns by name.
 *
 * <p>Values may be a {@link Struct} (converters with schemas), a {@link Map} (JsonConverter with
 * {@code schemas.enable=false}), or JSON text: {@code byte[]} from {@code ByteArrayConverter} or a String from
 * {@code StringConverter}, parsed here with a streaming parser straight into the row ({@link JsonRecordReader}), the
 * fastest path for JSON topics. A field that is missing or null gets: NULL for a Nullable column; the column's
 * {@code DEFAULT} expression for a column that has one (the column is then left out of the insert, see
 * {@link #encode}); the type's zero value otherwise. Columns named {@link #KAFKA_TOPIC}, {@link #KAFKA_PARTITION},
 * {@link #KAFKA_OFFSET} and {@link #KAFKA_TIMESTAMP} are filled from the record's Kafka coordinates.
 */
public final class RecordEncoder {

    /** Column filled with the record's topic. */
    public static final String KAFKA_TOPIC = "_kafka_topic";
    /** Column filled with the record's partition. */
    public static final String KAFKA_PARTITION = "_kafka_partition";
    /** Column filled with the record's offset. */
    public static final String KAFKA_OFFSET = "_kafka_offset";
    /** Column filled with the record's timestamp (epoch milliseconds). */
    public static final String KAFKA_TIMESTAMP = "_kafka_timestamp";

    private enum Source { FIELD, TOPIC, PARTITION, OFFSET, TIMESTAMP }

    private final TableSchema schema;
    private final FieldEncoder[] encoders;
    private final Source[] sources;
    private final boolean failOnUnknownFields;
    private final JsonRecordReader json;
    /** Per column, the value read from JSON text for the row being encoded. */
    private final Object[] jsonValues;

    /**
     * @param schema              the target table
     * @param failOnUnknownFields when true, a field with no column of the same name fails the record
     */
    public RecordEncoder(TableSchema schema, boolean failOnUnknownFields) {
        this.schema = schema;
        this.failOnUnknownFields = failOnUnknownFields;
        int n = schema.columns().size();
        this.encoders = new FieldEncoder[n];
        this.sources = new Source[n];
        for (int i = 0; i < n; i++) {
            Column c = schema.columns().get(i);
            encoders[i] = Encoders.forType(c.type());
            switch (c.name()) {
                case KAFKA_TOPIC: sources[i] = Source.TOPIC; break;
                case KAFKA_PARTITION: sources[i] = Source.PARTITION; break;
                case KAFKA_OFFSET: sources[i] = Source.OFFSET; break;
                case KAFKA_TIMESTAMP: sources[i] = Source.TIMESTAMP; break;
                default: sources[i] = Source.FIELD;
            }
        }
        List<String> names = new ArrayList<>(n);
        JsonRecordReader.NumberForm[] forms = new JsonRecordReader.NumberForm[n];
        for (int i = 0; i < n; i++) {
            Column c = schema.columns().get(i);
            names.add(c.name()); // a JSON field named like a coordinate column is read, then ignored (valueFor)
            forms[i] = numberForm(c.type());
        }
        this.json = new JsonRecordReader(names, forms, failOnUnknownFields, schema.toString());
        this.jsonValues = new Object[n];
    }

    private static JsonRecordReader.NumberForm numberForm(ClickHouseType t) {
        while (t.kind() == ClickHouseType.Kind.NULLABLE || t.kind() == ClickHouseType.Kind.LOW_CARDINALITY
                || t.kind() == ClickHouseType.Kind.ARRAY) {
            t = t.element();
        }
        switch (t.kind()) {
            case DECIMAL: return JsonRecordReader.NumberForm.DECIMAL;
            case STRING:
            case FIXED_STRING:
            case JSON: return JsonRecordReader.NumberForm.TEXT;
            default: return JsonRecordReader.NumberForm.DEFAULT;
        }
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
        if (value instanceof byte[] || value instanceof String) {
            json.read(value, jsonValues);
            value = jsonValues;
        } else if (failOnUnknownFields) {
            checkUnknownFields(value);
        }
        if (!(value instanceof Struct) && !(value instanceof Map) && value != jsonValues) {
            throw new RecordEncodingException(null, "record value must be a Struct or a JSON object, got "
                    + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        omitted.clear();
        int start = out.size();
        int i = 0;
        try {
            for (; i < encoders.length; i++) {
                Column c = schema.columns().get(i);
                Object v = valueFor(i, c.name(), record, value);
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

    private Object valueFor(int i, String name, SinkRecord record, Object value) {
        switch (sources[i]) {
            case TOPIC: return record.topic();
            case PARTITION: return record.kafkaPartition();
            case OFFSET: return record.kafkaOffset();
            case TIMESTAMP: return record.timestamp() == null ? null : new Date(record.timestamp());
            default:
                if (value == jsonValues) {
                    return jsonValues[i];
                }
                if (value instanceof Struct) {
                    Struct s = (Struct) value;
                    Field f = s.schema().field(name);
                    return f == null ? null : s.get(f);
                }
                return ((Map<?, ?>) value).get(name);
        }
    }

    private void checkUnknownFields(Object value) throws RecordEncodingException {
        if (value == null) {
            return; // rejected by the caller
        }
        if (value instanceof Struct) {
            for (Field f : ((Struct) value).schema().fields()) {
                if (schema.indexOf(f.name()) < 0) {
                    throw new RecordEncodingException(f.name(), "field has no column in " + schema
                            + " (set unknown.fields=ignore to drop such fields)");
                }
            }
        } else if (value instanceof Map) {
            for (Object k : ((Map<?, ?>) value).keySet()) {
                if (schema.indexOf(String.valueOf(k)) < 0) {
                    throw new RecordEncodingException(String.valueOf(k), "field has no column in " + schema
                            + " (set unknown.fields=ignore to drop such fields)");
                }
            }
        }
    }
}
