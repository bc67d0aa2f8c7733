package io.sluice.sink.clickhouse.encode.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.sink.clickhouse.encode.RecordEncoder;
import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.encode.rowbinary.JsonTokenEncoder;
import io.sluice.sink.clickhouse.encode.rowbinary.RowBinaryBuffer;
import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** JSON text values (ByteArrayConverter / StringConverter) encode to the same bytes as JsonConverter's Maps. */
class JsonRecordReaderTest {

    private static final TableSchema WIDE = new TableSchema("default", "wide", List.of(
            new Column("device_id", ClickHouseTypeParser.parse("UInt32"), false),
            new Column("timestamp", ClickHouseTypeParser.parse("DateTime"), false),
            new Column("temperature", ClickHouseTypeParser.parse("Float64"), false),
            new Column("price", ClickHouseTypeParser.parse("Decimal(18, 4)"), false),
            new Column("label", ClickHouseTypeParser.parse("Nullable(String)"), false),
            new Column("tags", ClickHouseTypeParser.parse("Array(String)"), false),
            new Column("ok", ClickHouseTypeParser.parse("Bool"), false),
            new Column("source", ClickHouseTypeParser.parse("String"), true),
            new Column("_kafka_partition", ClickHouseTypeParser.parse("UInt32"), false),
            new Column("_kafka_offset", ClickHouseTypeParser.parse("UInt64"), false)));

    private static SinkRecord record(Object value) {
        return new SinkRecord("wide", 2, null, null, null, value, 41L);
    }

    private static byte[] encode(RecordEncoder enc, Object value, BitSet omitted) throws RecordEncodingException {
        RowBinaryBuffer out = new RowBinaryBuffer(8);
        enc.encode(record(value), out, omitted);
        return Arrays.copyOf(out.array(), out.size());
    }

    @Test
    void jsonBytesAndStringsEncodeLikeTheConvertersMap() throws Exception {
        String text = "{\"ignored\":{\"deep\":[1,{\"x\":null}]},\"temperature\":21.5,\"device_id\":7,"
                + "\"timestamp\":\"2026-11-21T07:00:00.100Z\",\"price\":\"12.3400\",\"label\":null,"
                + "\"tags\":[\"a\",\"b\"],\"ok\":true,\"_kafka_offset\":999}";
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("device_id", 7L);
        map.put("timestamp", "2026-11-21T07:00:00.100Z");
        map.put("temperature", 21.5);
        map.put("price", "12.3400");
        map.put("label", null);
        map.put("tags", List.of("a", "b"));
        map.put("ok", true);
        RecordEncoder enc = new RecordEncoder(WIDE, false);
        BitSet omitted = new BitSet();
        byte[] fromMap = encode(enc, map, omitted);
        assertThat(omitted.stream()).containsExactly(7);
        assertThat(encode(enc, text.getBytes(UTF_8), omitted)).isEqualTo(fromMap);
        assertThat(omitted.stream()).containsExactly(7);
        assertThat(encode(enc, text, omitted)).isEqualTo(fromMap);
    }

    @Test
    void decimalsAreReadExactlyAndNumbersKeepTheirTextInStringColumns() throws Exception {
        Object[] values = new Object[3];
        JsonRecordReader r = new JsonRecordReader(List.of("d", "s", "f"), new JsonRecordReader.NumberForm[] {
            JsonRecordReader.NumberForm.DECIMAL, JsonRecordReader.NumberForm.TEXT, JsonRecordReader.NumberForm.DEFAULT},
                new JsonTokenEncoder[3], false, "t");
        r.read("{\"d\":0.10000000000000000001,\"s\":21.50,\"f\":1e3}", values, null);
        assertThat(values[0]).isEqualTo(new BigDecimal("0.10000000000000000001"));
        assertThat(values[1]).isEqualTo("21.50");
        assertThat(values[2]).isEqualTo(1000.0);
        r.read("{\"f\":12345678901234567890123}", values, null);
        assertThat(values[2]).isEqualTo(new java.math.BigInteger("12345678901234567890123"));
        assertThat(values[0]).isNull();
    }

    @Test
    void badTextIsRejectedAsARecordErrorAndLeavesTheBufferAsItWas() {
        RecordEncoder enc = new RecordEncoder(WIDE, false);
        RowBinaryBuffer out = new RowBinaryBuffer(8);
        out.writeByte(1);
        assertThatThrownBy(() -> enc.encode(record("{\"device_id\":".getBytes(UTF_8)), out, new BitSet()))
                .isInstanceOf(RecordEncodingException.class).hasMessageStartingWith("malformed JSON");
        assertThatThrownBy(() -> enc.encode(record("{\"device_id\":1} {}"), out, new BitSet()))
                .hasMessageContaining("text after the end of the object");
        assertThatThrownBy(() -> enc.encode(record("[1,2,3]"), out, new BitSet()))
                .hasMessage("record value must be a Struct or a JSON object, got JSON array");
        assertThatThrownBy(() -> enc.encode(record("{\"device_id\":\"abc\"}"), out, new BitSet()))
                .hasMessage("column 'device_id': cannot write 'abc' (String) as UInt32");
        assertThatThrownBy(() -> new RecordEncoder(WIDE, true).encode(record("{\"humidity\":40}"), out, new BitSet()))
                .hasMessageContaining("column 'humidity': field has no column");
        assertThat(out.size()).isEqualTo(1);
    }

    @Test
    void nestedValuesBecomeMapsAndLists() throws Exception {
        Map<String, Object> m = JsonRecordReader.toMap("{\"a\":1,\"b\":[true,\"x\"],\"c\":{\"d\":2.5}}".getBytes(UTF_8));
        assertThat(m).containsExactly(Map.entry("a", 1L), Map.entry("b", List.of(true, "x")),
                Map.entry("c", Map.of("d", 2.5)));
    }
}
