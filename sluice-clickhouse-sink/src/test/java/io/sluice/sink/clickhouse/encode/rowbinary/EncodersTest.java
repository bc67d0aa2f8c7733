package io.sluice.sink.clickhouse.encode.rowbinary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Byte layouts from the ClickHouse RowBinary format reference. */
class EncodersTest {

    private static String hex(String type, Object value) throws ValueException {
        return hex(type, value, TimeNumbers.CLICKHOUSE);
    }

    private static String hex(String type, Object value, TimeNumbers numbers) throws ValueException {
        RowBinaryBuffer b = new RowBinaryBuffer(16);
        Encoders.forType(ClickHouseTypeParser.parse(type), numbers).encode(value, b);
        StringBuilder s = new StringBuilder();
        for (byte x : Arrays.copyOf(b.array(), b.size())) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }

    @Test
    void integersAreLittleEndianAndRangeChecked() throws Exception {
        assertThat(hex("UInt8", 255L)).isEqualTo("ff");
        assertThat(hex("Int16", -2L)).isEqualTo("feff");
        assertThat(hex("UInt32", 0xAABBCCDDL)).isEqualTo("ddccbbaa");
        assertThat(hex("Int64", 1L)).isEqualTo("0100000000000000");
        assertThat(hex("UInt64", new BigInteger("18446744073709551615"))).isEqualTo("ffffffffffffffff");
        assertThat(hex("Int128", -1L)).isEqualTo("ff".repeat(16));
        assertThat(hex("UInt128", BigInteger.ONE.shiftLeft(127))).isEqualTo("00".repeat(15) + "80");
        assertThat(hex("Int32", "42")).isEqualTo("2a000000");
        assertThat(hex("Int32", 7.0)).isEqualTo("07000000");
        assertThatThrownBy(() -> hex("UInt8", 256L)).hasMessageContaining("out of range for UInt8");
        assertThatThrownBy(() -> hex("UInt32", -1L)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> hex("Int32", 1.5)).hasMessageContaining("cannot write 1.5");
        assertThatThrownBy(() -> hex("Int32", "abc")).hasMessageContaining("'abc' (String) as Int32");
    }

    @Test
    void floatsAndBools() throws Exception {
        assertThat(hex("Float64", 1.0)).isEqualTo("000000000000f03f");
        assertThat(hex("Float32", 1L)).isEqualTo("0000803f");
        assertThat(hex("Bool", true)).isEqualTo("01");
        assertThat(hex("Bool", "false")).isEqualTo("00");
        assertThatThrownBy(() -> hex("Bool", "maybe")).hasMessageContaining("true/false");
    }

    @Test
    void stringsCarryLeb128Lengths() throws Exception {
        assertThat(hex("String", "ab")).isEqualTo("026162");
        assertThat(hex("String", "é")).isEqualTo("02c3a9");
        assertThat(hex("String", "x".repeat(200))).startsWith("c801");
        assertThat(hex("FixedString(4)", "ab")).isEqualTo("61620000");
        assertThatThrownBy(() -> hex("FixedString(1)", "ab")).hasMessageContaining("longer than FixedString(1)");
        assertThatThrownBy(() -> hex("String", Map.of())).hasMessageContaining("as String");
    }

    @Test
    void datesAndTimesAreUtc() throws Exception {
        // 2026-11-21 = day 20778; 07:00:00Z = 1795244400 s
        assertThat(hex("Date", "2026-11-21")).isEqualTo(String.format("%02x%02x", 20778 & 0xFF, 20778 >> 8));
        assertThat(hex("DateTime", "2026-11-21T07:00:00Z")).isEqualTo(le32(1795244400L));
        assertThat(hex("DateTime", "2026-11-21T09:00:00.999+02:00")).isEqualTo(le32(1795244400L));
        assertThat(hex("DateTime", "2026-11-21 07:00:00")).isEqualTo(le32(1795244400L));
        assertThat(hex("DateTime('Europe/Berlin')", "2026-11-21 08:00:00")).isEqualTo(le32(1795244400L));
        assertThat(hex("DateTime", 1795244400L)).isEqualTo(le32(1795244400L)); // a number is epoch seconds
        assertThat(hex("DateTime", new java.util.Date(1795244400000L))).isEqualTo(le32(1795244400L));
        assertThat(hex("DateTime64(3)", "2026-11-21T07:00:00.123Z")).isEqualTo(le64(1795244400123L));
        assertThat(hex("DateTime64(6, 'UTC')", "2026-11-21T07:00:00.123456Z")).isEqualTo(le64(1795244400123456L));
        assertThat(hex("Date32", "1900-01-01")).isEqualTo(le32(-25567L));
        assertThatThrownBy(() -> hex("DateTime", "yesterday")).hasMessageContaining("cannot parse 'yesterday'")
                .hasMessageContaining("unexpected word 'yesterday'");
        assertThatThrownBy(() -> hex("Date", "1969-12-31")).hasMessageContaining("out of range");
    }

    /**
     * Numbers into time columns are read as ClickHouse reads them (checked against chDB 26.7 in JsonEachRowChdbIT):
     * epoch seconds into DateTime, ticks into DateTime64, days into Date.
     */
    @Test
    void numbersInTimeColumnsAreSecondsAndDaysAsInClickHouse() throws Exception {
        assertThat(hex("DateTime", 1700000000L)).isEqualTo(le32(1700000000L)); // was read as ms: 1970-01-20
        assertThat(hex("DateTime", 1700000000)).isEqualTo(le32(1700000000L));
        assertThat(hex("DateTime64(3)", 1700000000123L)).isEqualTo(le64(1700000000123L)); // ticks of 10^-3 s
        assertThat(hex("DateTime64(6)", 1700000000L)).isEqualTo(le64(1700000000L));
        assertThatThrownBy(() -> hex("DateTime64(3)", 1700000000.5)).hasMessageContaining("cannot write");
        assertThat(hex("Date", 20778L)).isEqualTo(hex("Date", "2026-11-21"));
        assertThat(hex("Date32", -1L)).isEqualTo("ffffffff");
        assertThatThrownBy(() -> hex("DateTime", 1.5)).hasMessageContaining("cannot write 1.5");
        assertThatThrownBy(() -> hex("DateTime", -1L)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> hex("DateTime", 1700000000000L)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> hex("Date", 65536L)).hasMessageContaining("out of range");
    }

    /** With {@code time.numbers=epoch_millis} a number is epoch milliseconds; Connect INT32 dates stay days. */
    @Test
    void epochMillisOptionReadsNumbersAsMilliseconds() throws Exception {
        assertThat(hex("DateTime", 1700000000123L, TimeNumbers.EPOCH_MILLIS)).isEqualTo(le32(1700000000L));
        assertThat(hex("DateTime64(3)", 1700000000123L, TimeNumbers.EPOCH_MILLIS)).isEqualTo(le64(1700000000123L));
        assertThat(hex("Date", 1795244400000L, TimeNumbers.EPOCH_MILLIS)).isEqualTo(hex("Date", "2026-11-21"));
        assertThat(hex("Date", 20778, TimeNumbers.EPOCH_MILLIS)).isEqualTo(hex("Date", "2026-11-21"));
        assertThat(hex("Array(DateTime)", List.of(1700000000123L), TimeNumbers.EPOCH_MILLIS))
                .isEqualTo("01" + le32(1700000000L));
    }

    @Test
    void decimalsNeverRound() throws Exception {
        assertThat(hex("Decimal(9, 2)", new BigDecimal("1.23"))).isEqualTo("7b000000");
        assertThat(hex("Decimal(18, 2)", 27.3)).isEqualTo(le64(2730));
        assertThat(hex("Decimal(38, 0)", -1L)).isEqualTo("ff".repeat(16));
        assertThatThrownBy(() -> hex("Decimal(9, 2)", "1.234")).hasMessageContaining("more than 2 fraction digits");
        assertThatThrownBy(() -> hex("Decimal(3, 0)", 1000L)).hasMessageContaining("more than 3 significant");
    }

    @Test
    void uuidEnumsAndAddresses() throws Exception {
        UUID u = UUID.fromString("01020304-0506-0708-090a-0b0c0d0e0f10");
        assertThat(hex("UUID", u.toString())).isEqualTo("0807060504030201" + "100f0e0d0c0b0a09");
        assertThat(hex("Enum8('a' = 1, 'b' = 2)", "b")).isEqualTo("02");
        assertThat(hex("Enum16('a' = 1000)", 1000L)).isEqualTo("e803");
        assertThatThrownBy(() -> hex("Enum8('a' = 1)", "z")).hasMessageContaining("not one of [a]");
        assertThat(hex("IPv4", "1.2.3.4")).isEqualTo("04030201");
        assertThatThrownBy(() -> hex("IPv4", "example.com")).hasMessageContaining("literal address");
    }

    @Test
    void containers() throws Exception {
        assertThat(hex("Nullable(UInt8)", 5L)).isEqualTo("0005");
        assertThat(hex("Array(UInt8)", List.of(1L, 2L))).isEqualTo("020102");
        assertThat(hex("Array(Nullable(UInt8))", Arrays.asList(1L, null))).isEqualTo("02000101");
        assertThatThrownBy(() -> hex("Array(UInt8)", Arrays.asList(1L, null))).hasMessageContaining("null is not allowed");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", 1L);
        assertThat(hex("Map(String, UInt16)", m)).isEqualTo("01016b0100");
        Map<String, Object> t = new HashMap<>();
        t.put("a", "x");
        assertThat(hex("Tuple(a String, b UInt8)", t)).isEqualTo("017800");
        assertThat(hex("Tuple(String, UInt8)", List.of("x", 3L))).isEqualTo("017803");
        assertThat(hex("LowCardinality(String)", "x")).isEqualTo("0178");
    }

    @Test
    void reviewedTypeRules() throws Exception {
        assertThat(hex("Date", 20778)).isEqualTo(hex("Date", "2026-11-21")); // Integer = days (Debezium Date)
        assertThat(hex("Date32", -1)).isEqualTo(le32(-1));
        assertThatThrownBy(() -> hex("Date32", "1899-12-31")).hasMessageContaining("[1900-01-01, 2299-12-31]");
        assertThat(hex("Enum8('a' = 1, 'b' = 2)", "2")).isEqualTo("02");
        assertThatThrownBy(() -> hex("Enum8('a' = 1)", 3L)).hasMessageContaining("as Enum8");
        assertThat(hex("IPv4", 0x01020304L)).isEqualTo("04030201");
        assertThatThrownBy(() -> hex("IPv4", -1L)).hasMessageContaining("out of range for IPv4");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("a", List.of(1L, "x\"y"));
        doc.put("b", null);
        assertThat(hex("JSON", doc)).isEqualTo(hex("String", "{\"a\":[1,\"x\\\"y\"],\"b\":null}"));
        assertThatThrownBy(() -> hex("JSON", 5L)).hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> hex("Decimal(76, 2)", "-0.001")).hasMessageContaining("rounding would lose data");
        assertThatThrownBy(() -> hex("Decimal(76, 0)", "1" + "0".repeat(76))).hasMessageContaining("more than 76");
        assertThat(hex("Int256", -2L)).isEqualTo("fe" + "ff".repeat(31));
    }

    @Test
    void jsonColumnsNeedTheReadAsStringSetting() {
        assertThat(Encoders.insertSettings(List.of(ClickHouseTypeParser.parse("String")))).isEmpty();
        assertThat(Encoders.insertSettings(List.of(ClickHouseTypeParser.parse("Int8"),
                ClickHouseTypeParser.parse("Array(Nullable(JSON))"))))
                .containsExactly("input_format_binary_read_json_as_string=1");
    }

    private static String le32(long v) {
        return String.format("%02x%02x%02x%02x", v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF, (v >> 24) & 0xFF);
    }

    private static String le64(long v) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            s.append(String.format("%02x", (v >> (8 * i)) & 0xFF));
        }
        return s.toString();
    }
}
