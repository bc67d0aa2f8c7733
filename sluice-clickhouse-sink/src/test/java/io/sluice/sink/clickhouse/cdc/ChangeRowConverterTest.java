package io.sluice.sink.clickhouse.cdc;

import io.sluice.sink.clickhouse.schema.DebeziumTypes;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class ChangeRowConverterTest {

    static final Schema ROW = SchemaBuilder.struct().name("dbserver.shop.all.Value")
            .field("id", Schema.INT32_SCHEMA)
            .field("d", SchemaBuilder.int32().name(DebeziumTypes.DATE).optional().build())
            .field("ts3", SchemaBuilder.int64().name(DebeziumTypes.TIMESTAMP).optional().build())
            .field("ts6", SchemaBuilder.int64().name(DebeziumTypes.MICRO_TIMESTAMP).optional().build())
            .field("zoned", SchemaBuilder.string().name(DebeziumTypes.ZONED_TIMESTAMP).optional().build())
            .field("t", SchemaBuilder.int64().name(DebeziumTypes.MICRO_TIME).optional().build())
            .field("t_ms", SchemaBuilder.int32().name(DebeziumTypes.TIME).optional().build())
            .field("bits", SchemaBuilder.bytes().name(DebeziumTypes.BITS).parameter("length", "12").optional().build())
            .field("big", SchemaBuilder.int64().parameter(DebeziumTypes.SOURCE_TYPE, "BIGINT UNSIGNED").optional().build())
            .field("signed", SchemaBuilder.int64().parameter(DebeziumTypes.SOURCE_TYPE, "BIGINT").optional().build())
            .field("dflt", SchemaBuilder.int32().optional().defaultValue(5).build())
            .build();

    private static ChangeEvent event(Struct row, char op, long version) {
        return new ChangeEvent(op, row, List.of("id"), "shop", "all", version, null, "mariadb-bin.000001");
    }

    @Test
    void convertsDebeziumTimeAndNumberRepresentations() {
        Struct row = new Struct(ROW).put("id", 1)
                .put("d", 20_413) // 2025-11-21
                .put("ts3", 1_763_708_400_123L)
                .put("ts6", -1_000_001L)
                .put("zoned", "2026-11-21T07:00:00.123456Z")
                .put("t", 3_723_000_001L)
                .put("t_ms", 3_723_001)
                .put("bits", new byte[] {0x01, 0x0A}) // little-endian: 0x0A01
                .put("big", -1L)
                .put("signed", -1L);
        Map<String, Object> out = new ChangeRowConverter().toRow(event(row, 'c', 42));
        assertThat(out.get("d")).isEqualTo(LocalDate.of(2025, 11, 21));
        assertThat(out.get("ts3")).isEqualTo(Instant.ofEpochMilli(1_763_708_400_123L));
        assertThat(out.get("ts6")).isEqualTo(Instant.parse("1969-12-31T23:59:58.999999Z"));
        assertThat(out.get("zoned")).isEqualTo(Instant.parse("2026-11-21T07:00:00.123456Z"));
        assertThat(out.get("t")).isEqualTo(3_723_000_001L);
        assertThat(out.get("t_ms")).isEqualTo(3_723_001_000L);
        assertThat(out.get("bits")).isEqualTo(0x0A01L);
        assertThat(out.get("big")).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(out.get("signed")).isEqualTo(-1L);
        assertThat(out.get("_version")).isEqualTo(42L);
        assertThat(out.get("_deleted")).isEqualTo(0);
    }

    @Test
    void keepsNullsInsteadOfSchemaDefaultsAndMarksDeletes() {
        Struct row = new Struct(ROW).put("id", 1);
        Map<String, Object> out = new ChangeRowConverter().toRow(event(row, 'd', 7));
        assertThat(out).containsEntry("dflt", null).containsEntry("d", null).containsEntry("_deleted", 1);
        assertThat(out.get("id")).isEqualTo(1);
    }

    @Test
    void decimalsPassThroughExactly() {
        Schema s = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA)
                .field("p", org.apache.kafka.connect.data.Decimal.schema(2)).build();
        Map<String, Object> out = new ChangeRowConverter().toRow(event(new Struct(s).put("id", 1)
                .put("p", new BigDecimal("12345678.90")), 'c', 1));
        assertThat(out.get("p")).isEqualTo(new BigDecimal("12345678.90"));
    }
}
