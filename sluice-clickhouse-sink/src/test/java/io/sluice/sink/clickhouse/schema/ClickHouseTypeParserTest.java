package io.sluice.sink.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.sink.clickhouse.schema.ClickHouseType.Kind;
import org.junit.jupiter.api.Test;

class ClickHouseTypeParserTest {

    @Test
    void parsesNestedTypes() {
        ClickHouseType t = ClickHouseTypeParser.parse("Array(Nullable(Decimal(18, 4)))");
        assertThat(t.kind()).isEqualTo(Kind.ARRAY);
        ClickHouseType d = t.element().element();
        assertThat(d.kind()).isEqualTo(Kind.DECIMAL);
        assertThat(d.precision()).isEqualTo(18);
        assertThat(d.scale()).isEqualTo(4);
        assertThat(t.toString()).isEqualTo("Array(Nullable(Decimal(18, 4)))");
    }

    @Test
    void parsesParameters() {
        assertThat(ClickHouseTypeParser.parse("DateTime64(3, 'Europe/Berlin')").timezone()).isEqualTo("Europe/Berlin");
        assertThat(ClickHouseTypeParser.parse("DateTime('UTC')").kind()).isEqualTo(Kind.DATETIME);
        assertThat(ClickHouseTypeParser.parse("FixedString(16)").precision()).isEqualTo(16);
        assertThat(ClickHouseTypeParser.parse("Decimal64(2)").precision()).isEqualTo(18);
        assertThat(ClickHouseTypeParser.parse("Enum8('a' = 1, 'b\\'c' = -2)").enumValues())
                .containsExactly(java.util.Map.entry("a", 1), java.util.Map.entry("b'c", -2));
        ClickHouseType tuple = ClickHouseTypeParser.parse("Tuple(a String, b UInt8)");
        assertThat(tuple.elementNames()).containsExactly("a", "b");
        assertThat(ClickHouseTypeParser.parse("Tuple(String, UInt8)").elementNames()).isNull();
        ClickHouseType map = ClickHouseTypeParser.parse("Map(LowCardinality(String), Array(UInt64))");
        assertThat(map.elements()).extracting(ClickHouseType::kind).containsExactly(Kind.LOW_CARDINALITY, Kind.ARRAY);
        assertThat(ClickHouseTypeParser.parse("LowCardinality(Nullable(String))").isNullable()).isTrue();
        assertThat(ClickHouseTypeParser.parse("Nested(x UInt8, y String)").kind()).isEqualTo(Kind.ARRAY);
        assertThat(ClickHouseTypeParser.parse("Object('json')").kind()).isEqualTo(Kind.JSON);
        // Current servers print named tuples over several lines in DESCRIBE (seen on 26.7 in RowBinaryChdbIT).
        ClickHouseType multiLine = ClickHouseTypeParser.parse("Array(Tuple(\n    sku String,\n    qty Nullable(Int32)))");
        assertThat(multiLine.element().elementNames()).containsExactly("sku", "qty");
    }

    @Test
    void rejectsUnknownOrMalformedTypes() {
        assertThatThrownBy(() -> ClickHouseTypeParser.parse("AggregateFunction(sum, UInt64)"))
                .hasMessageContaining("unsupported ClickHouse type 'AggregateFunction'");
        assertThatThrownBy(() -> ClickHouseTypeParser.parse("Nullable(String"))
                .hasMessageContaining("expected ')'");
        assertThatThrownBy(() -> ClickHouseTypeParser.parse("Decimal(80, 2)")).hasMessageContaining("1 <= P <= 76");
    }
}
