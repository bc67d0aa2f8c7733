package io.sluice.sink.clickhouse.schema;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed ClickHouse column type, as reported in {@code system.columns.type}, for example
 * {@code Nullable(Decimal(18, 4))} or {@code Array(Tuple(a String, b UInt8))}.
 *
 * <p>Only the attributes that matter for RowBinary encoding are kept: the {@link Kind}, the element types of
 * wrappers and containers, and the numeric parameters (FixedString length, Decimal precision and scale,
 * DateTime64 precision, time zone, Enum values). Parse with {@link ClickHouseTypeParser}.
 */
public final class ClickHouseType {

    /** Type families Sluice encodes. Names follow ClickHouse's "Data Types" reference. */
    public enum Kind {
        INT8, INT16, INT32, INT64, INT128, INT256, UINT8, UINT16, UINT32, UINT64, UINT128, UINT256,
        FLOAT32, FLOAT64, BOOL, STRING, FIXED_STRING, DATE, DATE32, DATETIME, DATETIME64, DECIMAL, UUID,
        ENUM8, ENUM16, NULLABLE, LOW_CARDINALITY, ARRAY, TUPLE, MAP, JSON, IPV4, IPV6, NOTHING
    }

    private final Kind kind;
    private final List<ClickHouseType> elements;
    private final List<String> elementNames;
    private final int precision;
    private final int scale;
    private final String timezone;
    private final Map<String, Integer> enumValues;
    private final String text;

    ClickHouseType(Kind kind, List<ClickHouseType> elements, List<String> elementNames, int precision, int scale,
                   String timezone, Map<String, Integer> enumValues, String text) {
        this.kind = Objects.requireNonNull(kind);
        this.elements = List.copyOf(elements);
        this.elementNames = elementNames == null ? null : Collections.unmodifiableList(elementNames);
        this.precision = precision;
        this.scale = scale;
        this.timezone = timezone;
        this.enumValues = enumValues == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(enumValues));
        this.text = text;
    }

    /** Returns the type family. */
    public Kind kind() {
        return kind;
    }

    /** Returns the element type of Nullable, LowCardinality or Array, the key of a Map, or the first Tuple element. */
    public ClickHouseType element() {
        return elements.get(0);
    }

    /** Returns the element types: one for wrappers and Array, two (key, value) for Map, n for Tuple. */
    public List<ClickHouseType> elements() {
        return elements;
    }

    /** Returns the Tuple element names for a named tuple, or {@code null} for a positional one. */
    public List<String> elementNames() {
        return elementNames;
    }

    /**
     * Returns the length in bytes for FixedString, the precision in decimal digits for Decimal, the sub-second
     * precision (0..9) for DateTime64, or the byte width of fixed-size integers; 0 otherwise.
     */
    public int precision() {
        return precision;
    }

    /** Returns the Decimal scale (digits after the point); 0 otherwise. */
    public int scale() {
        return scale;
    }

    /** Returns the explicit time zone of DateTime or DateTime64, or {@code null} when the server's zone applies. */
    public String timezone() {
        return timezone;
    }

    /** Returns Enum names mapped to their numeric values, in declaration order; empty for other kinds. */
    public Map<String, Integer> enumValues() {
        return enumValues;
    }

    /** Returns true for {@code Nullable(T)}, also when wrapped in LowCardinality. */
    public boolean isNullable() {
        return kind == Kind.NULLABLE || (kind == Kind.LOW_CARDINALITY && element().isNullable());
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClickHouseType && ((ClickHouseType) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
