package io.sluice.sink.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.sink.clickhouse.http.ServerVersion;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/** The one type mapping: Debezium source types, Debezium semantic types, Connect types and schemaless JSON. */
class TypeMappingTest {

    private static final TypeMapping OLD = new TypeMapping(ServerVersion.parse("18.16.1"), t -> true);
    private static final TypeMapping NEW = new TypeMapping(ServerVersion.parse("25.8.1.5101"), t -> true);

    /** A field as Debezium describes it with column.propagate.source.type=.* */
    private static SchemaBuilder src(SchemaBuilder b, String type, String length, String scale) {
        b.parameter(DebeziumTypes.SOURCE_TYPE, type);
        if (length != null) {
            b.parameter(DebeziumTypes.SOURCE_LENGTH, length);
        }
        if (scale != null) {
            b.parameter(DebeziumTypes.SOURCE_SCALE, scale);
        }
        return b;
    }

    @Test
    void followsTheSourceColumnTypeWhenDebeziumPropagatesIt() {
        Map<Schema, String[]> cases = new LinkedHashMap<>(); // schema -> {18.16 type, 25.x type}
        cases.put(src(SchemaBuilder.int16(), "TINYINT", "4", null).build(), new String[] {"Int8", "Int8"});
        cases.put(src(SchemaBuilder.int16(), "TINYINT UNSIGNED", "3", null).build(), new String[] {"UInt8", "UInt8"});
        cases.put(src(SchemaBuilder.int32(), "SMALLINT UNSIGNED", null, null).build(), new String[] {"UInt16", "UInt16"});
        cases.put(src(SchemaBuilder.int32(), "MEDIUMINT", null, null).build(), new String[] {"Int32", "Int32"});
        cases.put(src(SchemaBuilder.int64(), "INT UNSIGNED", "10", null).build(), new String[] {"UInt32", "UInt32"});
        cases.put(src(SchemaBuilder.int64(), "BIGINT UNSIGNED", "20", null).build(), new String[] {"UInt64", "UInt64"});
        cases.put(src(Decimal.builder(0), "BIGINT UNSIGNED", "20", null).build(), new String[] {"UInt64", "UInt64"});
        cases.put(src(Decimal.builder(2), "DECIMAL", "10", "2").build(), new String[] {"Decimal(10, 2)", "Decimal(10, 2)"});
        cases.put(src(SchemaBuilder.string(), "DECIMAL", "12", "4").build(), new String[] {"Decimal(12, 4)", "Decimal(12, 4)"});
        cases.put(src(SchemaBuilder.float64(), "DECIMAL", "12", "4").build(), new String[] {"Float64", "Float64"});
        cases.put(src(Decimal.builder(0), "DECIMAL", "65", "0").build(), new String[] {"String", "Decimal(65, 0)"});
        cases.put(src(SchemaBuilder.int32().name(DebeziumTypes.DATE), "DATE", null, null).build(),
                new String[] {"Date", "Date32"});
        cases.put(src(SchemaBuilder.int64().name(DebeziumTypes.TIMESTAMP), "DATETIME", null, null).build(),
                new String[] {"DateTime('UTC')", "DateTime64(3, 'UTC')"});
        cases.put(src(SchemaBuilder.int64().name(DebeziumTypes.MICRO_TIMESTAMP), "DATETIME", "6", null).build(),
                new String[] {"DateTime('UTC')", "DateTime64(6, 'UTC')"});
        cases.put(src(SchemaBuilder.string().name(DebeziumTypes.ZONED_TIMESTAMP), "TIMESTAMP", "3", null).build(),
                new String[] {"DateTime('UTC')", "DateTime64(3, 'UTC')"});
        cases.put(src(SchemaBuilder.int64().name(DebeziumTypes.MICRO_TIME), "TIME", "6", null).build(),
                new String[] {"Int64", "Int64"});
        cases.put(src(SchemaBuilder.int32().name(DebeziumTypes.YEAR), "YEAR", null, null).build(),
                new String[] {"UInt16", "UInt16"});
        cases.put(src(SchemaBuilder.bool(), "BIT", "1", null).build(), new String[] {"UInt8", "Bool"});
        cases.put(src(SchemaBuilder.bytes().name(DebeziumTypes.BITS).parameter("length", "12"), "BIT", "12", null)
                .build(), new String[] {"UInt64", "UInt64"});
        cases.put(src(SchemaBuilder.string().name(DebeziumTypes.ENUM).parameter("allowed", "S,M,L"), "ENUM", "1", null)
                .build(), new String[] {"Enum8('' = 0, 'S' = 1, 'M' = 2, 'L' = 3)", "Enum8('' = 0, 'S' = 1, 'M' = 2, 'L' = 3)"});
        cases.put(src(SchemaBuilder.string().name(DebeziumTypes.ENUM_SET).parameter("allowed", "a,b"), "SET", "3", null)
                .build(), new String[] {"String", "String"});
        cases.put(src(SchemaBuilder.string().name(DebeziumTypes.JSON), "JSON", null, null).build(),
                new String[] {"String", "String"});
        cases.put(src(SchemaBuilder.string(), "LONGTEXT", null, null).build(), new String[] {"String", "String"});
        cases.put(src(SchemaBuilder.bytes(), "BLOB", null, null).build(), new String[] {"String", "String"});
        cases.put(src(SchemaBuilder.bytes(), "BINARY", "16", null).build(), new String[] {"String", "String"});
        cases.put(src(SchemaBuilder.string(), "UUID", null, null).build(), new String[] {"UUID", "UUID"});
        cases.put(src(SchemaBuilder.float32(), "FLOAT", null, null).build(), new String[] {"Float32", "Float32"});
        for (Map.Entry<Schema, String[]> c : cases.entrySet()) {
            String what = c.getKey().parameters().get(DebeziumTypes.SOURCE_TYPE) + " " + c.getKey().type();
            assertThat(OLD.columnType("c", c.getKey(), false)).as("18.16: %s", what).isEqualTo(c.getValue()[0]);
            assertThat(NEW.columnType("c", c.getKey(), false)).as("25.x: %s", what).isEqualTo(c.getValue()[1]);
            ClickHouseTypeParser.parse(c.getValue()[0]); // every type is one the sink can encode
            ClickHouseTypeParser.parse(c.getValue()[1]);
        }
    }

    @Test
    void fallsBackToConnectTypesWithoutSourceTypes() {
        assertThat(NEW.columnType("c", SchemaBuilder.int16().build(), false)).isEqualTo("Int16");
        assertThat(NEW.columnType("c", SchemaBuilder.int64().name(DebeziumTypes.MICRO_TIMESTAMP).build(), false))
                .isEqualTo("DateTime64(6, 'UTC')");
        assertThat(NEW.columnType("c", SchemaBuilder.int64().name(DebeziumTypes.NANO_TIMESTAMP).build(), false))
                .isEqualTo("DateTime64(9, 'UTC')");
        assertThat(NEW.columnType("c", Decimal.builder(3).parameter("connect.decimal.precision", "9").build(), false))
                .isEqualTo("Decimal(9, 3)");
        assertThat(NEW.columnType("c", Decimal.builder(3).build(), false)).isEqualTo("Decimal(38, 3)");
        assertThat(NEW.columnType("c", SchemaBuilder.string().name(DebeziumTypes.JSON).optional().build(), false))
                .isEqualTo("Nullable(String)");
        assertThat(NEW.columnType("c", SchemaBuilder.bytes().name(DebeziumTypes.BITS).parameter("length", "70").build(),
                false)).isEqualTo("String");
        assertThat(NEW.columnType("c", SchemaBuilder.string().name(DebeziumTypes.UUID).build(), false)).isEqualTo("UUID");
        assertThat(OLD.columnType("c", SchemaBuilder.bool().build(), false)).isEqualTo("UInt8");
        assertThatThrownBy(() -> OLD.columnType("c", SchemaBuilder.struct().field("x", Schema.INT32_SCHEMA).build(),
                false)).isInstanceOf(DataException.class).hasMessageContaining("create the table yourself");
    }

    @Test
    void optionalFieldsAreNullableExceptKeyColumns() {
        Schema s = src(SchemaBuilder.int64().optional(), "INT UNSIGNED", null, null).build();
        assertThat(OLD.columnType("c", s, false)).isEqualTo("Nullable(UInt32)");
        assertThat(OLD.columnType("c", s, true)).isEqualTo("UInt32");
    }

    @Test
    void enumsKeepMySqlNumberingAndWidenPast127Values() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 128; i++) {
            many.append(i == 0 ? "" : ",").append("v").append(i);
        }
        assertThat(TypeMapping.enumType(many.toString())).startsWith("Enum16('' = 0, 'v0' = 1");
        assertThat(TypeMapping.enumType("it's,b")).isEqualTo("Enum8('' = 0, 'it\\'s' = 1, 'b' = 2)");
        ClickHouseTypeParser.parse(TypeMapping.enumType("it's,b"));
    }

    @Test
    void decimalsAboveThirtyEightDigitsAreOneDecisionForEverySource() {
        Schema connect = Decimal.builder(40).build(); // no precision parameter: 76 digits for scale 40
        Schema debezium = src(Decimal.builder(2), "DECIMAL", "50", "2").build();
        assertThat(OLD.typeOf("c", connect)).isEqualTo("String");
        assertThat(OLD.columnType("c", debezium, false)).isEqualTo("String");
        assertThat(NEW.typeOf("c", connect)).isEqualTo("Decimal(76, 40)");
        assertThat(NEW.columnType("c", debezium, false)).isEqualTo("Decimal(50, 2)");
        assertThat(NEW.typeOf("c", Decimal.builder(2).parameter("connect.decimal.precision", "80").build()))
                .isEqualTo("String");
    }

    @Test
    void connectTimeIsMillisecondsOfTheDayAndDebeziumTimesKeepTheirUnit() {
        assertThat(NEW.typeOf("c", org.apache.kafka.connect.data.Time.SCHEMA)).isEqualTo("Int32");
        assertThat(NEW.typeOf("c", SchemaBuilder.int64().name(DebeziumTypes.MICRO_TIME).build())).isEqualTo("Int64");
    }

    @Test
    void schemalessJsonValuesInferTheirType() {
        TypeMapping noDates = new TypeMapping(ServerVersion.parse("25.8.1"), t -> false);
        assertThat(NEW.typeOf("c", 5L)).isEqualTo("Int64");
        assertThat(NEW.typeOf("c", 5.5)).isEqualTo("Float64");
        assertThat(OLD.typeOf("c", true)).isEqualTo("UInt8");
        assertThat(NEW.typeOf("c", "2024-01-02T03:04:05Z")).isEqualTo("DateTime64(3, 'UTC')");
        assertThat(OLD.typeOf("c", "2024-01-02T03:04:05Z")).isEqualTo("DateTime('UTC')");
        assertThat(noDates.typeOf("c", "2024-01-02T03:04:05Z")).isEqualTo("String");
        assertThat(NEW.typeOf("c", "2024-01-02 03:04:05")).isEqualTo("String");
        assertThat(NEW.typeOf("c", java.util.List.of(1L, 2L))).isEqualTo("Array(Int64)");
        assertThat(NEW.typeOf("c", (Object) null)).isEqualTo("Nullable(String)");
        assertThatThrownBy(() -> NEW.typeOf("c", Map.of("x", 1))).isInstanceOf(DataException.class);
    }
}
