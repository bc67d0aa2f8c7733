package io.sluice.sink.clickhouse.encode.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.sink.clickhouse.encode.rowbinary.Encoders;
import io.sluice.sink.clickhouse.encode.rowbinary.FieldEncoder;
import io.sluice.sink.clickhouse.encode.rowbinary.JsonTokenEncoder;
import io.sluice.sink.clickhouse.encode.rowbinary.LongEncoder;
import io.sluice.sink.clickhouse.encode.rowbinary.RowBinaryBuffer;
import io.sluice.sink.clickhouse.encode.rowbinary.ValueException;
import io.sluice.sink.clickhouse.schema.ClickHouseType;
import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The direct path ({@link JsonTokenEncoder}, fed by Jackson's parser and by {@link FlatJsonScanner}) against the
 * general one (a boxed value from {@link JsonRecordReader#value} into {@link FieldEncoder#encode}), on edge values
 * of every type that has one: wherever the direct path writes, the bytes are the same; where it declines, it writes
 * nothing. Where the scanner takes a value, its boxed form equals Jackson's.
 */
class JsonTokenEncoderTest {

    private static final List<String> TYPES = List.of("Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32",
            "UInt64", "Int128", "UInt128", "Int256", "UInt256", "Float32", "Float64", "Bool", "String",
            "LowCardinality(String)", "FixedString(4)", "Nullable(Int32)", "Nullable(String)", "Nullable(Float64)",
            "DateTime", "DateTime('Asia/Tokyo')", "DateTime64(3)", "DateTime64(6, 'America/New_York')");

    private static final List<String> VALUES = List.of("0", "-1", "1", "127", "128", "-128", "-129", "255", "256",
            "32767", "-32769", "65535", "65536", "2147483647", "-2147483648", "2147483648", "4294967295", "4294967296",
            "9223372036854775807", "-9223372036854775808", "9223372036854775808", "18446744073709551616",
            "1.5", "-0.0", "0.1", "1e308", "4.9e-324", "1e-400", "3.4028235e39", "21.50", "1E3",
            "\"text\"", "\"\"", "\"ünïcödé\"", "\"\\ud83d\\ude00\"", "\"\\ud800 lone\"", "\"a\\\"b\\\\c\\n\"", "\"12\"",
            "\"2026-11-21T07:00:00Z\"", "\"2026-11-21 07:00:00\"", "\"2026-11-21T07:00:00.123456789+05:30\"",
            "\"1969-12-31T23:59:59Z\"", "\"2106-02-07T06:28:16Z\"", "\"2106-02-07T06:28:15Z\"", "\"not a time\"",
            "true", "false", "[1,2]", "{\"a\":1}");

    @Test
    void directBytesEqualTheGeneralPathOrNothingIsWritten() throws Exception {
        int direct = 0;
        for (String typeText : TYPES) {
            ClickHouseType type = ClickHouseTypeParser.parse(typeText);
            FieldEncoder enc = Encoders.forType(type);
            JsonRecordReader.NumberForm form = JsonRecordReader.NumberForm.of(type);
            for (String json : VALUES) {
                String where = typeText + " <- " + json;
                RowBinaryBuffer general = new RowBinaryBuffer(64);
                boolean generalOk;
                try (JsonParser p = JsonRecordReader.FACTORY.createParser(json)) {
                    JsonToken t = p.nextToken();
                    try {
                        enc.encode(JsonRecordReader.value(p, t, form), general);
                        generalOk = true;
                    } catch (ValueException | RuntimeException e) {
                        generalOk = false;
                    }
                }
                if (!(enc instanceof JsonTokenEncoder)) {
                    continue;
                }
                Object jacksonValue;
                try (JsonParser p = JsonRecordReader.FACTORY.createParser(json)) {
                    jacksonValue = JsonRecordReader.value(p, p.nextToken(), form);
                }
                FlatJsonScanner scanner = new FlatJsonScanner();
                byte[] record = ("{\"v\": " + json + " }").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                boolean scanned = scanner.start(record) && scanner.nextField(null) == 1 && scanner.nextValue();
                if (scanned) {
                    assertThat(scanner.boxed(form)).as(where + " (scanner's boxed value)").isEqualTo(jacksonValue);
                    assertThat(scanner.nextField(null)).as(where).isEqualTo(0);
                }
                if (!(enc instanceof JsonTokenEncoder)) {
                    continue;
                }
                for (int source = 0; source < 2; source++) {
                    if (source == 1 && (!scanned || scanner.token() == JsonToken.VALUE_NULL)) {
                        continue;
                    }
                    RowBinaryBuffer fast = new RowBinaryBuffer(64);
                    fast.writeByte(0x5A); // a preceding value that must stay untouched
                    boolean fastOk;
                    try (JsonParser p = JsonRecordReader.FACTORY.createParser(json)) {
                        JsonRecordReader.ParserScalar ps = new JsonRecordReader.ParserScalar();
                        ps.p = p;
                        ps.token = p.nextToken();
                        if (source == 0 && ps.token.isStructStart()) {
                            continue;
                        }
                        fastOk = ((JsonTokenEncoder) enc).encodeToken(source == 0 ? ps : scanner, fast);
                    }
                    String how = where + (source == 0 ? " (Jackson)" : " (scanner)");
                    byte[] fastBytes = Arrays.copyOfRange(fast.array(), 1, fast.size());
                    if (fastOk) {
                        direct++;
                        assertThat(generalOk).as(how + ": the direct path wrote what the general path rejects").isTrue();
                        assertThat(fastBytes).as(how).isEqualTo(Arrays.copyOf(general.array(), general.size()));
                    } else {
                        assertThat(fastBytes).as(how + ": declined but wrote").isEmpty();
                    }
                    assertThat(fast.array()[0]).isEqualTo((byte) 0x5A);
                }
            }
        }
        assertThat(direct).as("values taken by the direct path").isGreaterThan(400);
    }

    @Test
    void charsAreWrittenAsTheirStringWouldBe() {
        for (String s : List.of("", "ascii", "ünïcödé", "\ud83d\ude00", "\ud800 lone", "lone \udc00", "中文")) {
            char[] padded = ("xx" + s + "yy").toCharArray();
            RowBinaryBuffer a = new RowBinaryBuffer(8);
            a.writeString(padded, 2, s.length());
            RowBinaryBuffer b = new RowBinaryBuffer(8);
            b.writeString(s);
            assertThat(Arrays.copyOf(a.array(), a.size())).as(s).isEqualTo(Arrays.copyOf(b.array(), b.size()));
        }
    }

    @Test
    void coordinatesWithoutBoxingMatchTheBoxedPath() throws Exception {
        for (String typeText : List.of("UInt32", "UInt64", "Int64", "UInt8", "Int128", "UInt256")) {
            FieldEncoder enc = Encoders.forType(ClickHouseTypeParser.parse(typeText));
            for (long x : new long[] {0, 1, 255, 256, 4294967295L, 4294967296L, Long.MAX_VALUE, -1, Long.MIN_VALUE}) {
                RowBinaryBuffer a = new RowBinaryBuffer(8);
                RowBinaryBuffer b = new RowBinaryBuffer(8);
                String ea = null;
                String eb = null;
                try {
                    ((LongEncoder) enc).encodeLong(x, a);
                } catch (ValueException e) {
                    ea = e.getMessage();
                }
                try {
                    enc.encode(x, b);
                } catch (ValueException e) {
                    eb = e.getMessage();
                }
                assertThat(ea).as(typeText + " " + x).isEqualTo(eb);
                if (ea == null) {
                    assertThat(Arrays.copyOf(a.array(), a.size())).as(typeText + " " + x)
                            .isEqualTo(Arrays.copyOf(b.array(), b.size()));
                }
            }
        }
    }
}
