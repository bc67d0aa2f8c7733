package io.sluice.sink.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


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

    private final SchemaEvolver evolver = new SchemaEvolver(null, null, 4);

    @Test
    void findsStructFieldsWithoutColumns() throws Exception {
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
    void findsJsonFieldsWithValuesWithoutColumns() throws Exception {
        Map<String, Object> json = new HashMap<>();
        json.put("id", 1L);
        json.put("w", null);
        assertThat(evolver.hasNewFields(TABLE, json)).isFalse(); // a null cannot be typed yet
        json.put("w", 5L);
        assertThat(evolver.hasNewFields(TABLE, json)).isTrue();
        assertThat(evolver.hasNewFields(TABLE, "not a record")).isFalse();
    }

    @Test
    void refusesBeforeAnyAlterFieldsPastTheColumnCapAndNamesThatCannotBeColumns() throws Exception {
        Map<String, Object> json = new HashMap<>();
        json.put("id", 1L);
        json.put("a", 1L);
        json.put("b", 2L);
        assertThat(evolver.hasNewFields(TABLE, json)).isTrue(); // 2 + 2 = 4 columns: at the cap
        json.put("c", 3L);
        // The client is null: reaching an ALTER would throw a NullPointerException, not this.
        assertThatThrownBy(() -> evolver.hasNewFields(TABLE, json)).isInstanceOf(FieldRefusedException.class)
                .hasMessageContaining("from 2 to 5 columns", "schema.evolution.max.columns=4");
        assertThatThrownBy(() -> evolver.addColumns(TABLE, json, null)).isInstanceOf(FieldRefusedException.class)
                .hasMessageContaining("schema.evolution.max.columns=4");
        Map<String, Object> empty = new HashMap<>();
        empty.put("", "x");
        assertThatThrownBy(() -> evolver.hasNewFields(TABLE, empty)).isInstanceOf(FieldRefusedException.class)
                .hasMessageContaining("empty field name");
        Schema longName = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA)
                .field("x".repeat(201), Schema.OPTIONAL_STRING_SCHEMA).build();
        assertThatThrownBy(() -> evolver.hasNewFields(TABLE, new Struct(longName).put("id", 1L)))
                .isInstanceOf(FieldRefusedException.class).hasMessageContaining("201-byte column file name");
    }
}
