package io.sluice.sink.clickhouse.schema;

import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.encode.json.JsonRecordReader;
import io.sluice.sink.clickhouse.encode.rowbinary.TimeText;
import io.sluice.sink.clickhouse.http.ServerVersion;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Builds {@code CREATE TABLE IF NOT EXISTS ... ENGINE = MergeTree} for a table that does not exist yet, from the
 * first record: from its Connect schema when it has one, otherwise from its JSON values. The Kafka coordinate
 * columns {@code _kafka_topic}, {@code _kafka_partition} and {@code _kafka_offset} are added so that every row can
 * be traced to its record; a record field of one of those names gets no column (the sink fills it from Kafka).
 *
 * <p>Type mapping: INT8..INT64 to Int8..Int64, FLOAT32/64 to Float32/64, BOOLEAN to Bool (UInt8 before 21.12),
 * STRING and BYTES to String, Decimal to Decimal(P, scale) with P from the schema parameter
 * {@code connect.decimal.precision} (set by Debezium and Confluent converters) or 38 (76 for scales above 38),
 * Date to Date32 (Date before 21.9, which has only 1970..2149), Timestamp to DateTime64(3, 'UTC') (DateTime('UTC')
 * before 20.1), Time to Int32 milliseconds of the day, ARRAY to Array, and from 21.8 MAP to Map(K, V) and STRUCT
 * to a named Tuple; optional scalars to Nullable (Array, Map and Tuple cannot be Nullable; Map keys never are).
 * Schemaless JSON: integers to Int64, other numbers to Float64, booleans to Bool, ISO-8601 date-time text to
 * DateTime64(3, 'UTC'), other text to String, lists to Array of the first element's type.
 */
public final class TableCreator implements SchemaEvolver.ColumnTyper {

    private final ServerVersion version;

    /** @param version server version, which decides Bool and DateTime64 availability */
    public TableCreator(ServerVersion version) {
        this.version = version;
    }

    /**
     * Returns the DDL for a table shaped like the record.
     *
     * @param database    database
     * @param table       table
     * @param record      the first record; its value must be a Struct, a Map or JSON object text
     * @param orderBy     ORDER BY expression, or empty for the Kafka coordinates
     * @param partitionBy PARTITION BY expression, or empty
     * @throws DataException if the value's shape cannot be mapped (nested structs or maps, a null in schemaless
     *                       JSON where no type can be inferred is mapped to Nullable(String))
     */
    public String createTableSql(String database, String table, SinkRecord record, String orderBy, String partitionBy) {
        List<String> cols = new ArrayList<>();
        Object value = record.value();
        if (value instanceof byte[] || value instanceof String) {
            try {
                value = JsonRecordReader.toMap(value); // JSON text from ByteArrayConverter or StringConverter
            } catch (RecordEncodingException e) {
                throw new DataException("cannot create a table from the first record: " + e.getMessage());
            }
        }
        // A field named like a coordinate column gets no column of its own: the sink fills that column from Kafka.
        if (value instanceof Struct) {
            for (Field f : ((Struct) value).schema().fields()) {
                if (!isCoordinate(f.name())) {
                    cols.add(Sql.quoteIdentifier(f.name()) + " " + fromSchema(f.name(), f.schema(), true));
                }
            }
        } else if (value instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                String name = String.valueOf(e.getKey());
                if (!isCoordinate(name)) {
                    cols.add(Sql.quoteIdentifier(name) + " " + fromValue(name, e.getValue()));
                }
            }
        } else {
            throw new DataException("cannot create a table from a record whose value is "
                    + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        cols.add(Sql.quoteIdentifier(KafkaCoordinates.TOPIC) + " String");
        cols.add(Sql.quoteIdentifier(KafkaCoordinates.PARTITION) + " UInt32");
        cols.add(Sql.quoteIdentifier(KafkaCoordinates.OFFSET) + " UInt64");
        String order = orderBy.isEmpty()
                ? "(" + KafkaCoordinates.TOPIC + ", " + KafkaCoordinates.PARTITION + ", " + KafkaCoordinates.OFFSET + ")"
                : orderBy;
        return "CREATE TABLE IF NOT EXISTS " + Sql.quoteIdentifier(database) + "." + Sql.quoteIdentifier(table)
                + " (" + String.join(", ", cols) + ") ENGINE = MergeTree()"
                + (partitionBy.isEmpty() ? "" : " PARTITION BY " + partitionBy)
                + " ORDER BY " + order;
    }

    private static boolean isCoordinate(String field) {
        return field.equals(KafkaCoordinates.TOPIC) || field.equals(KafkaCoordinates.PARTITION)
                || field.equals(KafkaCoordinates.OFFSET);
    }

    /** Returns the column type for a Struct field, as {@link #createTableSql} maps it (for schema evolution). */
    @Override
    public String typeOf(String column, Schema schema) {
        return fromSchema(column, schema, true);
    }

    /** Returns the column type for a schemaless JSON value, as {@link #createTableSql} infers it. */
    @Override
    public String typeOf(String column, Object value) {
        return fromValue(column, value);
    }

    /** Returns the column type for a Connect schema; {@code nullable} false for Map keys, which cannot be NULL. */
    private String fromSchema(String field, Schema s, boolean nullable) {
        String t;
        if (Decimal.LOGICAL_NAME.equals(s.name())) {
            t = decimalType(s);
        } else if (Date.LOGICAL_NAME.equals(s.name())) {
            t = version.atLeast(21, 9) ? "Date32" : "Date";
        } else if (Timestamp.LOGICAL_NAME.equals(s.name())) {
            t = timestampType();
        } else if (Time.LOGICAL_NAME.equals(s.name())) {
            t = "Int32";
        } else {
            switch (s.type()) {
                case INT8: t = "Int8"; break;
                case INT16: t = "Int16"; break;
                case INT32: t = "Int32"; break;
                case INT64: t = "Int64"; break;
                case FLOAT32: t = "Float32"; break;
                case FLOAT64: t = "Float64"; break;
                case BOOLEAN: t = boolType(); break;
                case STRING:
                case BYTES: t = "String"; break;
                case ARRAY:
                    return "Array(" + fromSchema(field, s.valueSchema(), true) + ")";
                case MAP:
                    requireComposites(field, s);
                    return "Map(" + fromSchema(field, s.keySchema(), false) + ", "
                            + fromSchema(field, s.valueSchema(), true) + ")";
                case STRUCT: {
                    requireComposites(field, s);
                    List<String> elements = new ArrayList<>();
                    for (Field f : s.fields()) {
                        elements.add(Sql.quoteIdentifier(f.name()) + " " + fromSchema(field + "." + f.name(), f.schema(), true));
                    }
                    return "Tuple(" + String.join(", ", elements) + ")";
                }
                default:
                    throw new DataException("field '" + field + "' has type " + s.type()
                            + ", which table.auto.create cannot map; create the table yourself");
            }
        }
        return nullable && s.isOptional() ? "Nullable(" + t + ")" : t;
    }

    private void requireComposites(String field, Schema s) {
        if (!version.atLeast(21, 8)) {
            throw new DataException("field '" + field + "' has type " + s.type() + ", which table.auto.create maps"
                    + " only on ClickHouse 21.8 and later (server is " + version + "); create the table yourself");
        }
    }

    private static String decimalType(Schema s) {
        int scale = Integer.parseInt(s.parameters().get(Decimal.SCALE_FIELD));
        String p = s.parameters().get("connect.decimal.precision");
        int precision = p == null ? (scale > 38 ? 76 : 38) : Integer.parseInt(p);
        return "Decimal(" + Math.max(precision, Math.max(scale, 1)) + ", " + scale + ")";
    }

    private String fromValue(String field, Object v) {
        if (v == null) {
            return "Nullable(String)";
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return "Int64";
        }
        if (v instanceof Number) {
            return "Float64";
        }
        if (v instanceof Boolean) {
            return boolType();
        }
        if (v instanceof String) {
            String s = (String) v;
            return s.length() > 10 && s.indexOf('T') == 10 && TimeText.parse(s, ZoneOffset.UTC) != null
                    ? timestampType() : "String";
        }
        if (v instanceof Collection) {
            Collection<?> c = (Collection<?>) v;
            Object first = c.isEmpty() ? "" : c.iterator().next();
            return "Array(" + fromValue(field, first == null ? "" : first) + ")";
        }
        throw new DataException("field '" + field + "' holds a " + v.getClass().getSimpleName()
                + ", which table.auto.create cannot map; create the table yourself");
    }

    private String boolType() {
        return version.hasBool() ? "Bool" : "UInt8";
    }

    private String timestampType() {
        return version.hasDateTime64() ? "DateTime64(3, 'UTC')" : "DateTime('UTC')";
    }
}
