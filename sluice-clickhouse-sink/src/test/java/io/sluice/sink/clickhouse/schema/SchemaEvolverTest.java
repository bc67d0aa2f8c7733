package io.sluice.sink.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class SchemaEvolverTest {

    private static final TableSchema TABLE = new TableSchema("default", "t", List.of(
            new Column("id", ClickHouseTypeParser.parse("Int64"), false),
            new Column("v", ClickHouseTypeParser.parse("Nullable(String)"), false)));

    private final SchemaEvolver evolver = new SchemaEvolver(null, null);

    @Test
    void findsStructFieldsWithoutColumns() {
        Schema same = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).field("v", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        Schema wider = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).field("v", Schema.OPTIONAL_STRING_SCHEMA)
                .field("w", Schema.OPTIONAL_INT32_SCHEMA).build();
        assertThat(evolver.hasNewFields(TABLE, new Struct(same).put("id", 1L))).isFalse();
        assertThat(evolver.hasNewFields(TABLE, new Struct(same).put("id", 2L))).isFalse(); // cached
        assertThat(evolver.hasNewFields(TABLE, new Struct(wider).put("id", 1L))).isTrue();
        assertThat(evolver.hasNewFields(TABLE, new Struct(wider).put("id", 1L))).isTrue(); // never cached as complete
    }

    @Test
    void findsJsonFieldsWithValuesWithoutColumns() {
        Map<String, Object> json = new HashMap<>();
        json.put("id", 1L);
        json.put("w", null);
        assertThat(evolver.hasNewFields(TABLE, json)).isFalse(); // a null cannot be typed yet
        json.put("w", 5L);
        assertThat(evolver.hasNewFields(TABLE, json)).isTrue();
        assertThat(evolver.hasNewFields(TABLE, "not a record")).isFalse();
    }
}
