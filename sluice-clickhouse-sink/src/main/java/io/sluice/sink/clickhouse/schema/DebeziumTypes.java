package io.sluice.sink.clickhouse.schema;

/**
 * Names that Debezium puts on Connect schemas: semantic type names (Debezium docs, "MySQL connector", "Data type
 * mappings") and, with {@code column.propagate.source.type}, the source column's type parameters.
 */
public final class DebeziumTypes {

    /** Schema parameter with the source column's type name, e.g. {@code INT UNSIGNED}. */
    public static final String SOURCE_TYPE = "__debezium.source.column.type";
    /** Schema parameter with the source column's length or precision. */
    public static final String SOURCE_LENGTH = "__debezium.source.column.length";
    /** Schema parameter with the source column's scale. */
    public static final String SOURCE_SCALE = "__debezium.source.column.scale";

    /** Days since the epoch, INT32. */
    public static final String DATE = "io.debezium.time.Date";
    /** Milliseconds since the epoch, INT64. */
    public static final String TIMESTAMP = "io.debezium.time.Timestamp";
    /** Microseconds since the epoch, INT64. */
    public static final String MICRO_TIMESTAMP = "io.debezium.time.MicroTimestamp";
    /** Nanoseconds since the epoch, INT64. */
    public static final String NANO_TIMESTAMP = "io.debezium.time.NanoTimestamp";
    /** ISO-8601 text with an offset. */
    public static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";
    /** Milliseconds of the day, INT32. */
    public static final String TIME = "io.debezium.time.Time";
    /** Microseconds, INT64 (MySQL TIME may exceed a day). */
    public static final String MICRO_TIME = "io.debezium.time.MicroTime";
    /** Nanoseconds, INT64. */
    public static final String NANO_TIME = "io.debezium.time.NanoTime";
    /** The year, INT32. */
    public static final String YEAR = "io.debezium.time.Year";
    /** JSON text. */
    public static final String JSON = "io.debezium.data.Json";
    /** One of the {@code allowed} values. */
    public static final String ENUM = "io.debezium.data.Enum";
    /** Comma-separated {@code allowed} values. */
    public static final String ENUM_SET = "io.debezium.data.EnumSet";
    /** BIT(n) as little-endian bytes, {@code length} bits. */
    public static final String BITS = "io.debezium.data.Bits";
    /** UUID text. */
    public static final String UUID = "io.debezium.data.Uuid";
    /** XML text. */
    public static final String XML = "io.debezium.data.Xml";
    /** A STRUCT of scale and unscaled bytes. */
    public static final String VARIABLE_SCALE_DECIMAL = "io.debezium.data.VariableScaleDecimal";
    /** Prefix of the geometry types (WKB bytes). */
    public static final String GEOMETRY_PREFIX = "io.debezium.data.geometry.";

    private DebeziumTypes() {
    }
}
