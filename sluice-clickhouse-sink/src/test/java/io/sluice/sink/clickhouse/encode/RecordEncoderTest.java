package io.sluice.sink.clickhouse.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class RecordEncoderTest {

    private static final TableSchema READINGS = new TableSchema("default", "readings", List.of(
            new Column("device_id", ClickHouseTypeParser.parse("UInt32"), false),
            new Column("temperature", ClickHouseTypeParser.parse("Float64"), false),
            new Column("note", ClickHouseTypeParser.parse("Nullable(String)"), false),
            new Column("source", ClickHouseTypeParser.parse("String"), true),
            new Column("_kafka_offset", ClickHouseTypeParser.parse("UInt64"), false)));

    private static SinkRecord record(Object value) {
        return new SinkRecord("readings", 0, null, null, null, value, 7L);
    }

    @Test
    void encodesMapsAndStructsAlike() throws Exception {
        Map<String, Object> json = new HashMap<>();
        json.put("device_id", 3L);
        json.put("temperature", 27.5);
        json.put("source", "sim");
        Schema schema = SchemaBuilder.struct().field("device_id", Schema.INT32_SCHEMA)
                .field("temperature", Schema.FLOAT64_SCHEMA).field("source", Schema.STRING_SCHEMA).build();
        Struct struct = new Struct(schema).put("device_id", 3).put("temperature", 27.5).put("source", "sim");
        RecordEncoder enc = new RecordEncoder(READINGS, false);
        RowBinaryBuffer a = new RowBinaryBuffer(8);
        RowBinaryBuffer b = new RowBinaryBuffer(8);
        BitSet omitted = new BitSet();
        enc.encode(record(json), a, omitted);
        enc.encode(record(struct), b, omitted);
        assertThat(java.util.Arrays.copyOf(a.array(), a.size())).isEqualTo(java.util.Arrays.copyOf(b.array(), b.size()));
        // 4 (UInt32) + 8 (Float64) + 1 (NULL flag) + 4 ("sim") + 8 (offset)
        assertThat(a.size()).isEqualTo(25);
        assertThat(omitted.isEmpty()).isTrue();
    }

    @Test
    void leavesOutMissingColumnsThatHaveDefaults() throws Exception {
        Map<String, Object> json = Map.of("device_id", 3L, "temperature", 27.5);
        RowBinaryBuffer out = new RowBinaryBuffer(8);
        BitSet omitted = new BitSet();
        new RecordEncoder(READINGS, false).encode(record(json), out, omitted);
        assertThat(omitted.stream()).containsExactly(3);
        assertThat(out.size()).isEqualTo(21);
    }

    @Test
    void failsWholeRecordAndRestoresBuffer() {
        RowBinaryBuffer out = new RowBinaryBuffer(8);
        out.writeByte(9);
        Map<String, Object> json = Map.of("device_id", 3L, "temperature", "hot");
        assertThatThrownBy(() -> new RecordEncoder(READINGS, false).encode(record(json), out, new BitSet()))
                .isInstanceOf(RecordEncodingException.class)
                .hasMessage("column 'temperature': cannot write 'hot' (String) as Float64");
        assertThat(out.size()).isEqualTo(1);
    }

    @Test
    void unknownFieldsFailWhenConfigured() {
        Map<String, Object> json = Map.of("device_id", 3L, "temperature", 1.0, "humidity", 40L);
        assertThatThrownBy(() -> new RecordEncoder(READINGS, true).encode(record(json), new RowBinaryBuffer(8), new BitSet()))
                .hasMessageContaining("column 'humidity': field has no column");
        assertThatThrownBy(() -> new RecordEncoder(READINGS, false).encode(record(42), new RowBinaryBuffer(8), new BitSet()))
                .hasMessageContaining("must be a Struct or a JSON object, got Integer");
    }
}
