package io.sluice.sink.clickhouse.encode.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.sink.clickhouse.encode.RecordEncoder;
import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.encode.rowbinary.RowBinaryBuffer;
import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * {@link FlatJsonScanner} decides speed, never results: random records, valid and corrupted, encode to the same
 * bytes (or fail with the same message; for syntax errors, both fail) as bytes (the scanner first, Jackson when it gives up) and as a String
 * (Jackson only). Seeded, so a failure repeats.
 */
class FlatJsonScannerTest {

    private static final TableSchema TABLE = new TableSchema("default", "t", List.of(
            new Column("i32", ClickHouseTypeParser.parse("Int32"), false),
            new Column("u8", ClickHouseTypeParser.parse("UInt8"), false),
            new Column("u64", ClickHouseTypeParser.parse("UInt64"), false),
            new Column("f64", ClickHouseTypeParser.parse("Float64"), false),
            new Column("f32", ClickHouseTypeParser.parse("Float32"), false),
            new Column("s", ClickHouseTypeParser.parse("String"), false),
            new Column("ns", ClickHouseTypeParser.parse("Nullable(String)"), false),
            new Column("nf", ClickHouseTypeParser.parse("Nullable(Float64)"), false),
            new Column("t", ClickHouseTypeParser.parse("DateTime"), false),
            new Column("t64", ClickHouseTypeParser.parse("DateTime64(3)"), false),
            new Column("ok", ClickHouseTypeParser.parse("Bool"), false),
            new Column("d", ClickHouseTypeParser.parse("Decimal(12, 3)"), false),
            new Column("fs", ClickHouseTypeParser.parse("FixedString(3)"), false),
            new Column("arr", ClickHouseTypeParser.parse("Array(Int32)"), false),
            new Column("dflt", ClickHouseTypeParser.parse("String"), true),
            new Column("_kafka_partition", ClickHouseTypeParser.parse("UInt32"), false),
            new Column("_kafka_offset", ClickHouseTypeParser.parse("UInt64"), false)));

    private static final String[] NAMES = {"i32", "u8", "u64", "f64", "f32", "s", "ns", "nf", "t", "t64", "ok", "d",
        "fs", "arr", "dflt", "unknown", "_kafka_offset", "n\\u0073", "ünï"};

    private static final String[] VALUES = {"0", "-0", "7", "-12", "255", "256", "-1", "2147483648",
        "123456789012345678", "1234567890123456789", "99999999999999999999", "01", "1.", ".5", "+1", "1.5", "-0.0",
        "0.1", "21.50", "3.14159265358979", "3.141592653589793238", "1e3", "1E-3", "2.5e+10", "1e23", "1e-23", "1e400",
        "4.9e-324", "123456789012345.6", "0.000001234", "\"x\"", "\"\"", "\"abc\"", "\"abcd\"", "\"ünï\"",
        "\"a\\\"b\"", "\"tab\\there\"", "\"\\u0041\"", "\"12\"", "\"2026-11-21T07:00:00Z\"",
        "\"2026-11-21 07:00:00.123\"", "\"2026-11-21T07:00:00.5+02:00\"", "\"yesterday\"", "true", "false", "null",
        "tru", "nul", "[1,2]", "[]", "{\"a\":1}", "{}", "\"\u0001\"", "\"\u007f\""};

    private static final String[] SPACES = {"", "", "", " ", "\n", "\t ", "\r\n"};

    @Test
    void bytesAndStringsEncodeAlikeForRandomRecords() {
        for (boolean failOnUnknown : new boolean[] {false, true}) {
            RecordEncoder viaBytes = new RecordEncoder(TABLE, failOnUnknown);
            RecordEncoder viaString = new RecordEncoder(TABLE, failOnUnknown);
            Random rnd = new Random(20261121L);
            int scanned = 0;
            for (int n = 0; n < 20_000; n++) {
                String json = record(rnd);
                if (rnd.nextInt(4) == 0) {
                    json = corrupt(json, rnd);
                }
                byte[] bytes = json.getBytes(UTF_8);
                String a = outcome(viaBytes, bytes);
                String b = outcome(viaString, json);
                assertThat(a).as("record %d: %s", n, json).isEqualTo(b);
                if (scans(bytes)) {
                    scanned++;
                }
            }
            assertThat(scanned).as("records the scanner read to the end").isGreaterThan(2_000);
        }
    }

    @Test
    void givesUpOnWhatItDoesNotTake() {
        for (String json : List.of("", " ", "[]", "\uFEFF{}", "{\"a\":{\"b\":1}}", "{\"a\":[1]}", "{\"a\":\"\\n\"}",
                "{\"ü\":1}", "{\"a\":\"ü\"}", "{\"a\":1,}", "{,\"a\":1}", "{\"a\":1 \"b\":2}", "{\"a\" 1}", "{\"a\":01}",
                "{\"a\":1}x", "{\"a\":1}{}", "{\"a\":12345678901234567890}", "{\"a\":tru}", "{\"a\":1")) {
            assertThat(scans(json.getBytes(UTF_8))).as(json).isFalse();
        }
        for (String json : List.of("{}", " { } ", "{\"a\":1}", "{\"a\" : -1.5e-3 , \"b\":\"x y\",\"c\":null}\n",
                "{\"a\":true,\"a\":false}")) {
            assertThat(scans(json.getBytes(UTF_8))).as(json).isTrue();
        }
    }

    @Test
    void findsEveryByteThatEndsOrSpoilsAPlainStringAtEveryPosition() {
        byte[] specials = {'"', '\\', 0x00, 0x1F, (byte) 0x80, (byte) 0xC3, (byte) 0xFF};
        for (int length = 0; length <= 40; length++) {
            for (int at = -1; at < length; at++) {
                for (byte special : at < 0 ? new byte[] {'a'} : specials) {
                    byte[] text = new byte[length];
                    for (int k = 0; k < length; k++) {
                        text[k] = (byte) ('!' + (k * 7) % 90 == '"' || '!' + (k * 7) % 90 == '\\' ? 'q' : '!' + (k * 7) % 90);
                    }
                    if (at >= 0) {
                        text[at] = special;
                    }
                    byte[] json = new byte[text.length + 9];
                    System.arraycopy("{\"v\":\"".getBytes(UTF_8), 0, json, 0, 6);
                    System.arraycopy(text, 0, json, 6, text.length);
                    System.arraycopy("\"}".getBytes(UTF_8), 0, json, 6 + text.length, 2);
                    json[json.length - 1] = ' ';
                    FlatJsonScanner s = new FlatJsonScanner();
                    boolean read = s.start(json) && s.nextField(null) == 1 && s.nextValue() && s.nextField(null) == 0;
                    assertThat(read).as("length %d, byte %d at %d", length, special, at).isEqualTo(at < 0);
                    if (read) {
                        assertThat(s.text().toString()).isEqualTo(new String(text, UTF_8));
                    }
                }
            }
        }
    }

    private static boolean scans(byte[] json) {
        FlatJsonScanner s = new FlatJsonScanner();
        if (!s.start(json)) {
            return false;
        }
        int r;
        while ((r = s.nextField(null)) == 1) {
            if (!s.nextValue()) {
                return false;
            }
        }
        return r == 0;
    }

    private static String record(Random rnd) {
        StringBuilder b = new StringBuilder();
        b.append(pick(SPACES, rnd)).append('{');
        int fields = rnd.nextInt(9);
        for (int f = 0; f < fields; f++) {
            if (f > 0) {
                b.append(pick(SPACES, rnd)).append(',');
            }
            String name = rnd.nextInt(3) == 0 ? pick(NAMES, rnd) : NAMES[f % 15];
            b.append(pick(SPACES, rnd)).append('"').append(name).append('"').append(pick(SPACES, rnd)).append(':')
                    .append(pick(SPACES, rnd)).append(pick(VALUES, rnd));
        }
        return b.append(pick(SPACES, rnd)).append('}').append(pick(SPACES, rnd)).toString();
    }

    private static String corrupt(String json, Random rnd) {
        StringBuilder b = new StringBuilder(json);
        int at = b.length() == 0 ? 0 : rnd.nextInt(b.length());
        switch (rnd.nextInt(4)) {
            case 0: if (b.length() > 0) {
                b.deleteCharAt(at);
            }
                break;
            case 1: b.insert(at, "{}[]\",:x0-.eE \\".charAt(rnd.nextInt(15))); break;
            case 2: b.setLength(at); break;
            default: b.append(pick(new String[] {"}", ",", "x", "{}", " 1"}, rnd));
        }
        return b.toString();
    }

    private static String pick(String[] a, Random rnd) {
        return a[rnd.nextInt(a.length)];
    }

    /** The row's bytes and omitted columns, or the error, as one comparable string. */
    private static String outcome(RecordEncoder enc, Object value) {
        RowBinaryBuffer out = new RowBinaryBuffer(64);
        BitSet omitted = new BitSet();
        try {
            enc.encode(new SinkRecord("t", 3, null, null, null, value, 77L), out, omitted);
            List<Byte> bytes = new ArrayList<>();
            for (byte x : Arrays.copyOf(out.array(), out.size())) {
                bytes.add(x);
            }
            return "row " + bytes + " omitted " + omitted;
        } catch (RecordEncodingException e) {
            // Jackson's byte and char parsers word syntax errors differently; other errors must match exactly.
            return e.getMessage().startsWith("malformed JSON") ? "error malformed JSON" : "error " + e.getMessage();
        }
    }
}
