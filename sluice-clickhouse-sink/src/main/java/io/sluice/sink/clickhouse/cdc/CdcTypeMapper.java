package io.sluice.sink.clickhouse.cdc;

import io.sluice.sink.clickhouse.http.ServerVersion;
import io.sluice.sink.clickhouse.schema.SchemaEvolver;
import io.sluice.sink.clickhouse.schema.Sql;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Chooses the ClickHouse column type for a column of a Debezium MySQL/MariaDB change event.
 *
 * <p>When the connector sets {@code column.propagate.source.type}, each field schema carries the source column's
 * type, length and scale ({@code __debezium.source.column.type}, {@code .length}, {@code .scale}; Debezium docs,
 * "MySQL connector", "column.propagate.source.type"), and the mapping follows the MySQL type: UNSIGNED integers to
 * UInt*, DECIMAL(p,s) to Decimal(p,s), DATETIME(fsp) and TIMESTAMP(fsp) to DateTime64(fsp, 'UTC'), and so on
 * (the table in sluice-clickhouse-sink/README.md, "Change data capture (Debezium)"). Without them it follows the
 * Connect type and Debezium's semantic type name (Debezium docs, "How the MySQL connector maps data types").
 *
 * <p>Server features decide some types: DateTime64 (20.1+) else DateTime('UTC') (whole seconds), Date32 (21.9+)
 * else Date (1970..2149), Bool (21.12+) else UInt8. TIME becomes Int64 microseconds (MySQL's range, -838:59:59 to
 * 838:59:59, fits no ClickHouse time type). Columns of optional fields are Nullable, except key columns, which
 * ClickHouse's sorting key needs non-Nullable.
 */
public final class CdcTypeMapper implements SchemaEvolver.ColumnTyper {

    /** Schema parameter with the source column's type name, e.g. {@code INT UNSIGNED}. */
    public static final String SOURCE_TYPE = "__debezium.source.column.type";
    /** Schema parameter with the source column's length or precision. */
    public static final String SOURCE_LENGTH = "__debezium.source.column.length";
    /** Schema parameter with the source column's scale. */
    public static final String SOURCE_SCALE = "__debezium.source.column.scale";

    static final String DATE = "io.debezium.time.Date";
    static final String TIMESTAMP = "io.debezium.time.Timestamp";
    static final String MICRO_TIMESTAMP = "io.debezium.time.MicroTimestamp";
    static final String NANO_TIMESTAMP = "io.debezium.time.NanoTimestamp";
    static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";
    static final String TIME = "io.debezium.time.Time";
    static final String MICRO_TIME = "io.debezium.time.MicroTime";
    static final String NANO_TIME = "io.debezium.time.NanoTime";
    static final String YEAR = "io.debezium.time.Year";
    static final String JSON = "io.debezium.data.Json";
    static final String ENUM = "io.debezium.data.Enum";
    static final String ENUM_SET = "io.debezium.data.EnumSet";
    static final String BITS = "io.debezium.data.Bits";
    static final String UUID = "io.debezium.data.Uuid";
    static final String XML = "io.debezium.data.Xml";
    static final String VARIABLE_SCALE_DECIMAL = "io.debezium.data.VariableScaleDecimal";
    static final String GEOMETRY_PREFIX = "io.debezium.data.geometry.";

    private final ServerVersion version;

    /** @param version the server version, which decides DateTime64, Date32 and Bool */
    public CdcTypeMapper(ServerVersion version) {
        this.version = version;
    }

    /**
     * Returns the column type for a field of the row image.
     *
     * @param column column name, for error messages
     * @param schema the field's Connect schema, with Debezium's name and parameters
     * @param key    true for a key column (never Nullable)
     * @throws DataException if the field has a shape no column type fits (nested records or maps)
     */
    public String columnType(String column, Schema schema, boolean key) {
        String t = baseType(column, schema);
        boolean wrappable = !t.startsWith("Array(");
        return schema.isOptional() && !key && wrappable ? "Nullable(" + t + ")" : t;
    }

    /** Returns the column type for a field added to the source table: as {@link #columnType} for a non-key field. */
    @Override
    public String typeOf(String column, Schema schema) {
        return columnType(column, schema, false);
    }

    /**
     * Not used: debezium mode always has schemas.
     *
     * @throws DataException always
     */
    @Override
    public String typeOf(String column, Object value) {
        throw new DataException("ingest.mode=debezium needs schemas to type column '" + column + "'");
    }

    private String baseType(String column, Schema s) {
        Map<String, String> p = s.parameters() == null ? Map.of() : s.parameters();
        String source = p.get(SOURCE_TYPE);
        if (source != null) {
            String t = fromSourceType(source.trim().toUpperCase(Locale.ROOT), p, s);
            if (t != null) {
                return t;
            }
        }
        return fromConnect(column, s);
    }

    private String fromSourceType(String source, Map<String, String> p, Schema s) {
        boolean unsigned = source.contains("UNSIGNED");
        String base = source.split("[\\s(]", 2)[0];
        Integer length = integer(p.get(SOURCE_LENGTH));
        Integer scale = integer(p.get(SOURCE_SCALE));
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

    private String fromConnect(String column, Schema s) {
        String name = s.name();
        if (name != null) {
            switch (name) {
                case DATE:
                case Date.LOGICAL_NAME:
                    return dateType();
                case TIMESTAMP:
                case Timestamp.LOGICAL_NAME:
                    return dateTimeType(3);
                case MICRO_TIMESTAMP:
                case ZONED_TIMESTAMP:
                    return dateTimeType(6);
                case NANO_TIMESTAMP:
                    return dateTimeType(9);
                case TIME:
                case MICRO_TIME:
                case NANO_TIME:
                case Time.LOGICAL_NAME:
                    return "Int64";
                case YEAR:
                    return "UInt16";
                case Decimal.LOGICAL_NAME: {
                    Integer precision = integer(s.parameters().get("connect.decimal.precision"));
                    return decimalType(precision == null ? 38 : precision,
                            Integer.parseInt(s.parameters().get(Decimal.SCALE_FIELD)));
                }
                case JSON:
                case ENUM_SET:
                case XML:
                case VARIABLE_SCALE_DECIMAL:
                    return "String";
                case ENUM:
                    return enumType(s.parameters().get("allowed"));
                case BITS: {
                    Integer bits = integer(s.parameters().get("length"));
                    return bits == null || bits <= 64 ? "UInt64" : "String";
                }
                case UUID:
                    return "UUID";
                default:
                    if (name.startsWith(GEOMETRY_PREFIX)) {
                        return "String"; // the WKB bytes
                    }
            }
        }
        switch (s.type()) {
            case INT8: return "Int8";
            case INT16: return "Int16";
            case INT32: return "Int32";
            case INT64: return "Int64";
            case FLOAT32: return "Float32";
            case FLOAT64: return "Float64";
            case BOOLEAN: return boolType();
            case STRING:
            case BYTES: return "String";
            case ARRAY: return "Array(" + baseType(column, s.valueSchema()) + ")";
            default:
                throw new DataException("column '" + column + "' has Connect type " + s.type()
                        + (name == null ? "" : " (" + name + ")") + ", which ingest.mode=debezium cannot map to a "
                        + "ClickHouse type; create the table yourself");
        }
    }

    private static int impliedFsp(String name) {
        if (NANO_TIMESTAMP.equals(name)) {
            return 9;
        }
        return TIMESTAMP.equals(name) || Timestamp.LOGICAL_NAME.equals(name) ? 3 : 6;
    }

    private static String decimalType(int precision, int scale) {
        // ClickHouse Decimal ends at 38 digits before Decimal256 (an opt-in type until 22.x); MySQL allows 65.
        return precision <= 38 ? "Decimal(" + Math.max(precision, 1) + ", " + scale + ")" : "String";
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
