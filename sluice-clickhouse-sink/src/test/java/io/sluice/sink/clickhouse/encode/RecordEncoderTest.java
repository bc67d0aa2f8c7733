package io.sluice.sink.clickhouse.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.sink.clickhouse.encode.rowbinary.RowBinaryBuffer;
import io.sluice.sink.clickhouse.encode.rowbinary.TimeNumbers;
import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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

    /** JSON text through the reader: a number into DateTime is epoch seconds, or milliseconds when configured. */
    @Test
    void jsonNumbersInTimeColumnsFollowTheTimeNumbersSetting() throws Exception {
        TableSchema t = new TableSchema("default", "t", List.of(
                new Column("at", ClickHouseTypeParser.parse("DateTime"), false),
                new Column("day", ClickHouseTypeParser.parse("Date"), false),
                new Column("at64", ClickHouseTypeParser.parse("DateTime64(3)"), false)));
        byte[] json = "{\"at\":1700000000,\"day\":19675,\"at64\":1700000000123}".getBytes(StandardCharsets.UTF_8);
        RowBinaryBuffer out = new RowBinaryBuffer(8);
        new RecordEncoder(t, false).encode(record(json), out, new BitSet());
        ByteBuffer row = ByteBuffer.wrap(out.array(), 0, out.size()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(row.getInt() & 0xFFFF_FFFFL).isEqualTo(1700000000L);
        assertThat(row.getShort()).isEqualTo((short) 19675);
        assertThat(row.getLong()).isEqualTo(1700000000123L);

        byte[] millis = "{\"at\":1700000000123,\"day\":1700000000123,\"at64\":1700000000123}"
                .getBytes(StandardCharsets.UTF_8);
        out.reset();
        new RecordEncoder(t, false, TimeNumbers.EPOCH_MILLIS).encode(record(millis), out, new BitSet());
        row = ByteBuffer.wrap(out.array(), 0, out.size()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(row.getInt() & 0xFFFF_FFFFL).isEqualTo(1700000000L);
        assertThat(row.getShort()).isEqualTo((short) 19675);
        assertThat(row.getLong()).isEqualTo(1700000000123L);
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

    private static final TableSchema NESTED = new TableSchema("default", "orders", List.of(
            new Column("id", ClickHouseTypeParser.parse("UInt32"), false),
            new Column("items.sku", ClickHouseTypeParser.parse("Array(String)"), false),
            new Column("items.qty", ClickHouseTypeParser.parse("Array(UInt16)"), false)));

    @Test
    void splitsNestedListsIntoEqualLengthArrays() throws Exception {
        Map<String, Object> split = Map.of("id", 1L, "items", List.of(Map.of("sku", "a", "qty", 2L), Map.of("sku", "b", "qty", 3L)));
        Map<String, Object> flat = Map.of("id", 1L, "items.sku", List.of("a", "b"), "items.qty", List.of(2L, 3L));
        RowBinaryBuffer a = new RowBinaryBuffer(8);
        RowBinaryBuffer b = new RowBinaryBuffer(8);
        RecordEncoder enc = new RecordEncoder(NESTED, true); // "items" is known: it feeds items.*
        enc.encode(record(split), a, new BitSet());
        enc.encode(record(flat), b, new BitSet());
        assertThat(java.util.Arrays.copyOf(a.array(), a.size())).isEqualTo(java.util.Arrays.copyOf(b.array(), b.size()));
        // 4 (id) + 1 + 2 x 2 (skus) + 1 + 2 x 2 (qtys)
        assertThat(a.size()).isEqualTo(14);
    }

    @Test
    void rejectsNestedArraysOfDifferentLengthsNamingTheField() {
        RowBinaryBuffer out = new RowBinaryBuffer(8);
        Map<String, Object> json = Map.of("id", 1L, "items.sku", List.of("a", "b"), "items.qty", List.of(2L));
        assertThatThrownBy(() -> new RecordEncoder(NESTED, false).encode(record(json), out, new BitSet()))
                .isInstanceOf(RecordEncodingException.class)
                .hasMessage("column 'items': arrays of Nested 'items' must have equal lengths, but items.sku has 2"
                        + " elements and items.qty has 1");
        assertThat(out.size()).isZero();
        Map<String, Object> missing = Map.of("id", 1L, "items.qty", List.of(2L));
        assertThatThrownBy(() -> new RecordEncoder(NESTED, false).encode(record(missing), out, new BitSet()))
                .hasMessageContaining("items.sku has 0 elements and items.qty has 1");
        Map<String, Object> notObjects = Map.of("id", 1L, "items", List.of("a"));
        assertThatThrownBy(() -> new RecordEncoder(NESTED, false).encode(record(notObjects), out, new BitSet()))
                .hasMessageContaining("element 0 of field 'items' must be an object");
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
