package io.sluice.sink.clickhouse.schema;

import io.sluice.sink.clickhouse.http.ServerVersion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * The one mapping from source types to ClickHouse column types, for auto-create, schema evolution and CDC.
 * The table in sluice-clickhouse-sink/README.md ("Type mapping") lists it.
 *
 * <ul>
 *   <li><b>MySQL source types</b>, when Debezium propagates them ({@code column.propagate.source.type}; Debezium
 *       docs, "MySQL connector"): UNSIGNED integers to UInt*, DECIMAL(p,s) to Decimal(p,s), DATETIME(fsp) and
 *       TIMESTAMP(fsp) to DateTime64(fsp, 'UTC'), ENUM to Enum8/16 with MySQL's numbering, and so on.</li>
 *   <li><b>Debezium semantic types</b> (Debezium docs, "How the MySQL connector maps data types"): time types by
 *       their unit (TIME as Int64 of its unit: MySQL's range exceeds a day), Json/Xml/EnumSet as String, Bits up
 *       to 64 as UInt64, Uuid as UUID, geometry as its WKB bytes in String.</li>
 *   <li><b>Connect types</b>: INT8..INT64 to Int8..Int64, FLOAT32/64 to Float32/64, BOOLEAN to Bool, STRING and
 *       BYTES to String, Decimal to Decimal(P, scale) with P from {@code connect.decimal.precision} or 38, Date to
 *       Date32, Timestamp to DateTime64(3, 'UTC'), Time to Int32 milliseconds of the day, ARRAY to Array, MAP to
 *       Map(K, V) and STRUCT to a named Tuple.</li>
 *   <li><b>Schemaless JSON values</b>: integers to Int64, other numbers to Float64, booleans to Bool, ISO-8601
 *       date-time text to DateTime64(3, 'UTC'), other text to String, lists to Array of the first element's type,
 *       null to Nullable(String).</li>
 * </ul>
 *
 * <p>The server version decides: Bool from 21.12 (else UInt8), DateTime64 from 20.1 (else DateTime('UTC'), whole
 * seconds), Date32 from 21.9 (else Date, 1970..2149), Map and named Tuple columns from 21.8 (else refused), and
 * Decimal above 38 digits (Decimal256) from 22.1 (else String, which keeps the exact decimal text; above 76
 * digits always String). Optional values become Nullable, except key columns (ClickHouse's sorting key needs
 * them non-Nullable), Map keys, and Array, Map and Tuple columns, which cannot be Nullable.
 */
public final class TypeMapping implements SchemaEvolver.ColumnTyper {

    private final ServerVersion version;
    private final Predicate<String> dateTimeText;

    /**
     * @param version      the server version, which decides the types above
     * @param dateTimeText whether schemaless text the sink would read as a date-time (the encoder's parser), for
     *                     text shaped like ISO-8601 {@code yyyy-MM-ddT...}
     */
    public TypeMapping(ServerVersion version, Predicate<String> dateTimeText) {
        this.version = version;
        this.dateTimeText = dateTimeText;
    }

    /**
     * Returns the column type for a field with a Connect schema.
     *
     * @param column column name, for error messages
     * @param schema the field's schema, with Debezium's name and parameters where present
     * @param key    true for a key column (never Nullable)
     * @throws DataException if no column type fits (a MAP or STRUCT before 21.8, or an unknown type)
     */
    public String columnType(String column, Schema schema, boolean key) {
        return fromSchema(column, schema, !key);
    }

    /** Returns the column type of a non-key Struct field (schema evolution). */
    @Override
    public String typeOf(String column, Schema schema) {
        return fromSchema(column, schema, true);
    }

    /**
     * Returns the column type for a schemaless JSON value (a Map's value).
     *
     * @throws DataException if the value is a nested object, which no column type fits here
     */
    @Override
    public String typeOf(String column, Object value) {
        if (value == null) {
            return "Nullable(String)";
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return "Int64";
        }
        if (value instanceof Number) {
            return "Float64";
        }
        if (value instanceof Boolean) {
            return boolType();
        }
        if (value instanceof String) {
            String s = (String) value;
            return s.length() > 10 && s.indexOf('T') == 10 && dateTimeText.test(s) ? dateTimeType(3) : "String";
        }
        if (value instanceof Collection) {
            Collection<?> c = (Collection<?>) value;
            Object first = c.isEmpty() ? "" : c.iterator().next();
            return "Array(" + typeOf(column, first == null ? "" : first) + ")";
        }
        throw new DataException("field '" + column + "' holds a " + value.getClass().getSimpleName()
                + ", which no column type fits; create the table (or add the column) yourself");
    }

    private String fromSchema(String column, Schema s, boolean nullable) {
        Map<String, String> p = s.parameters() == null ? Map.of() : s.parameters();
        String t = null;
        String source = p.get(DebeziumTypes.SOURCE_TYPE);
        if (source != null) {
            t = fromSourceType(source.trim().toUpperCase(Locale.ROOT), p, s);
        }
        if (t == null) {
            t = fromSemanticName(s);
        }
        if (t == null) {
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
                    return "Array(" + fromSchema(column, s.valueSchema(), true) + ")";
                case MAP:
                    requireComposites(column, s);
                    return "Map(" + fromSchema(column, s.keySchema(), false) + ", "
                            + fromSchema(column, s.valueSchema(), true) + ")";
                case STRUCT: {
                    requireComposites(column, s);
                    List<String> elements = new ArrayList<>();
                    for (Field f : s.fields()) {
                        elements.add(Sql.quoteIdentifier(f.name()) + " " + fromSchema(column + "." + f.name(),
                                f.schema(), true));
                    }
                    return "Tuple(" + String.join(", ", elements) + ")";
                }
                default:
                    throw new DataException("column '" + column + "' has Connect type " + s.type()
                            + (s.name() == null ? "" : " (" + s.name() + ")") + ", which no ClickHouse column type "
                            + "fits; create the table (or add the column) yourself");
            }
        }
        return nullable && s.isOptional() ? "Nullable(" + t + ")" : t;
    }

    private String fromSemanticName(Schema s) {
        String name = s.name();
        if (name == null) {
            return null;
        }
        switch (name) {
            case DebeziumTypes.DATE:
            case Date.LOGICAL_NAME:
                return dateType();
            case DebeziumTypes.TIMESTAMP:
            case Timestamp.LOGICAL_NAME:
                return dateTimeType(3);
            case DebeziumTypes.MICRO_TIMESTAMP:
            case DebeziumTypes.ZONED_TIMESTAMP:
                return dateTimeType(6);
            case DebeziumTypes.NANO_TIMESTAMP:
                return dateTimeType(9);
            case Time.LOGICAL_NAME:
                return "Int32"; // milliseconds of the day
            case DebeziumTypes.TIME:
            case DebeziumTypes.MICRO_TIME:
            case DebeziumTypes.NANO_TIME:
                return "Int64";
            case DebeziumTypes.YEAR:
                return "UInt16";
            case Decimal.LOGICAL_NAME: {
                int scale = Integer.parseInt(s.parameters().get(Decimal.SCALE_FIELD));
                Integer precision = integer(s.parameters().get("connect.decimal.precision"));
                return decimalType(precision != null ? precision : scale > 38 ? 76 : 38, scale);
            }
            case DebeziumTypes.JSON:
            case DebeziumTypes.ENUM_SET:
            case DebeziumTypes.XML:
            case DebeziumTypes.VARIABLE_SCALE_DECIMAL:
                return "String";
            case DebeziumTypes.ENUM:
                return enumType(s.parameters().get("allowed"));
            case DebeziumTypes.BITS: {
                Integer bits = integer(s.parameters().get("length"));
                return bits == null || bits <= 64 ? "UInt64" : "String";
            }
            case DebeziumTypes.UUID:
                return "UUID";
            default:
                return name.startsWith(DebeziumTypes.GEOMETRY_PREFIX) ? "String" : null;
        }
    }

    private String fromSourceType(String source, Map<String, String> p, Schema s) {
        boolean unsigned = source.contains("UNSIGNED");
        String base = source.split("[\\s(]", 2)[0];
        Integer length = integer(p.get(DebeziumTypes.SOURCE_LENGTH));
        Integer scale = integer(p.get(DebeziumTypes.SOURCE_SCALE));
        boolean integral = s.type() == Schema.Type.INT8 || s.type() == Schema.Type.INT16
                || s.type() == Schema.Type.INT32 || s.type() == Schema.Type.INT64 || Decimal.LOGICAL_NAME.equals(s.name());
        switch (base) {
            case "TINYINT":
                if (s.type() == Schema.Type.BOOLEAN) {
                    return boolType();
                }
                return integral ? (unsigned ? "UInt8" : "Int8") : null;
            case "SMALLINT":
                return integral ? (unsigned ? "UInt16" : "Int16") : null;
            case "MEDIUMINT":
            case "INT":
            case "INTEGER":
                return integral ? (unsigned ? "UInt32" : "Int32") : null;
            case "BIGINT":
                return integral ? (unsigned ? "UInt64" : "Int64") : null;
            case "DECIMAL":
            case "NUMERIC":
            case "DEC":
            case "FIXED":
                if (s.type() == Schema.Type.FLOAT64 || s.type() == Schema.Type.FLOAT32 || length == null) {
                    return null; // decimal.handling.mode=double, or no precision: follow the Connect type
                }
                return decimalType(length, scale == null ? 0 : scale);
            case "DATE":
                return dateType();
            case "DATETIME":
            case "TIMESTAMP":
                return dateTimeType(length != null ? length : impliedFsp(s.name()));
            case "TIME":
                return "Int64";
            case "YEAR":
                return "UInt16";
            case "BIT":
                if (s.type() == Schema.Type.BOOLEAN) {
                    return boolType();
                }
                return length == null || length <= 64 ? "UInt64" : null;
            case "ENUM":
                return p.containsKey("allowed") ? enumType(p.get("allowed")) : null;
            case "BOOL":
            case "BOOLEAN":
                return s.type() == Schema.Type.BOOLEAN ? boolType() : null;
            case "UUID":
                return s.type() == Schema.Type.STRING ? "UUID" : null;
            case "SET":
            case "JSON":
            case "CHAR":
            case "VARCHAR":
            case "TINYTEXT":
            case "TEXT":
            case "MEDIUMTEXT":
            case "LONGTEXT":
            case "BINARY":
            case "VARBINARY":
            case "TINYBLOB":
            case "BLOB":
            case "MEDIUMBLOB":
            case "LONGBLOB":
                return "String";
            default:
                return null;
        }
    }

    private static int impliedFsp(String name) {
        if (DebeziumTypes.NANO_TIMESTAMP.equals(name)) {
            return 9;
        }
        return DebeziumTypes.TIMESTAMP.equals(name) || Timestamp.LOGICAL_NAME.equals(name) ? 3 : 6;
    }

    private void requireComposites(String column, Schema s) {
        if (!version.atLeast(21, 8)) {
            throw new DataException("column '" + column + "' has type " + s.type() + ", which maps to a ClickHouse "
                    + "column only on 21.8 and later (server is " + version + "); create the table yourself");
        }
    }

    /** Decimal(P, S) up to 38 digits, Decimal256 up to 76 from 22.1, otherwise String (the exact decimal text). */
    private String decimalType(int precision, int scale) {
        int p = Math.max(precision, Math.max(scale, 1));
        return p <= 38 || (p <= 76 && version.atLeast(22, 1)) ? "Decimal(" + p + ", " + scale + ")" : "String";
    }

    private String dateType() {
        return version.atLeast(21, 9) ? "Date32" : "Date";
    }

    private String dateTimeType(int fsp) {
        return version.hasDateTime64() ? "DateTime64(" + Math.min(Math.max(fsp, 0), 9) + ", 'UTC')" : "DateTime('UTC')";
    }

    private String boolType() {
        return version.hasBool() ? "Bool" : "UInt8";
    }

    /**
     * Enum8/Enum16 with MySQL's numbering: the declared values are 1..n and the empty string (MySQL's value for an
     * invalid entry) is 0.
     */
    static String enumType(String allowed) {
        if (allowed == null) {
            return "String";
        }
        String[] values = allowed.isEmpty() ? new String[0] : allowed.split(",", -1);
        StringBuilder b = new StringBuilder(values.length > 127 ? "Enum16(" : "Enum8(");
        boolean hasEmpty = false;
        for (String v : values) {
            hasEmpty |= v.isEmpty();
        }
        if (!hasEmpty) {
            b.append("'' = 0");
        }
        for (int i = 0; i < values.length; i++) {
            if (i > 0 || !hasEmpty) {
                b.append(", ");
            }
            b.append(Sql.quoteString(values[i])).append(" = ").append(i + 1);
        }
        return b.append(')').toString();
    }

    private static Integer integer(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
