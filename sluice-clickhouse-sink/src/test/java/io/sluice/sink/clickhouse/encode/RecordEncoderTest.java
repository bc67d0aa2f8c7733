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
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
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

    private static final TableSchema TIMES = new TableSchema("default", "readings", List.of(
            new Column("device_id", ClickHouseTypeParser.parse("UInt32"), false),
            new Column("timestamp", ClickHouseTypeParser.parse("DateTime"), false),
            new Column("temperature", ClickHouseTypeParser.parse("Float64"), false),
            new Column("at64", ClickHouseTypeParser.parse("DateTime64(3)"), false),
            new Column("paris", ClickHouseTypeParser.parse("DateTime('Europe/Paris')"), false),
            new Column("note", ClickHouseTypeParser.parse("Nullable(String)"), false),
            new Column("source", ClickHouseTypeParser.parse("String"), true),
            new Column("_kafka_partition", ClickHouseTypeParser.parse("UInt32"), false),
            new Column("_kafka_offset", ClickHouseTypeParser.parse("UInt64"), false)));

    /**
     * JSON bytes through one long-lived encoder (the flat scanner, fields written straight into the row buffer
     * while they come in column order, the DateTime date cache) give the same rows, omitted columns and errors as
     * the same text as a String through a new encoder per record (Jackson, every value through the reader's values,
     * nothing cached), over random records: fields in order, shuffled, missing, null, repeated or unknown; escapes
     * and whitespace (the scanner gives up part way); timestamps in runs of one date across day, month and year
     * ends and leap days, with fractions, offsets and other forms; values that do not fit. A failed record leaves
     * the rows before it untouched.
     */
    @Test
    void jsonBytesEncodeAsTheGeneralPathOverRandomRecords() throws Exception {
        Random rnd = new Random(23);
        RecordEncoder longLived = new RecordEncoder(TIMES, false);
        RowBinaryBuffer rows = new RowBinaryBuffer(64);
        String[] dates = {"2026-11-21", "2026-12-31", "2027-01-01", "2024-02-29", "2024-03-01", "2023-02-29",
            "2100-02-28", "1969-12-31", "1970-01-01", "2106-02-07"};
        String date = dates[0];
        int failures = 0;
        for (int n = 0; n < 20_000; n++) {
            if (rnd.nextInt(6) == 0) {
                date = dates[rnd.nextInt(dates.length)];
            }
            List<String> fields = new ArrayList<>();
            fields.add("\"device_id\":" + pick(rnd, "7", "0", "4294967295", "4294967296", "-1", "12.5", "\"9\"",
                    "null", "true", number(rnd)));
            fields.add("\"timestamp\":" + timestamp(rnd, date));
            fields.add("\"temperature\":" + (rnd.nextBoolean() ? number(rnd) : pick(rnd, "21.5", "-0.0", "1e3", "27",
                    "0.1000000000000000055511151231257827", "\"hot\"", "\"22.5\"", "null", "123456789012345678901234",
                    "1e4294967297", "-2.5E-4294967295")));
            fields.add("\"at64\":" + timestamp(rnd, date));
            fields.add("\"paris\":" + timestamp(rnd, date));
            fields.add("\"note\":" + pick(rnd, "\"ok\"", "null", "\"a\\\"b\"", "\"caf\u00e9\"", "5"));
            fields.add("\"source\":" + pick(rnd, "\"sim\"", "null", "\"\""));
            int shape = rnd.nextInt(10);
            if (shape == 0) {
                Collections.shuffle(fields, rnd);
            } else if (shape == 1) {
                fields.remove(rnd.nextInt(fields.size()));
            } else if (shape == 2) {
                fields.add(rnd.nextInt(fields.size()), fields.get(rnd.nextInt(fields.size()))
                        .replaceFirst(":.*", ":" + pick(rnd, "8", "\"2026-11-21T07:00:00Z\"", "null")));
            } else if (shape == 3) {
                fields.add(rnd.nextInt(fields.size()), "\"humidity\":" + pick(rnd, "40", "[1,2]", "{\"a\":1}"));
            } else if (shape == 4) {
                fields.subList(rnd.nextInt(fields.size()), fields.size()).clear(); // the leading columns only
            }
            String text = "{" + String.join(rnd.nextInt(8) == 0 ? " , " : ",", fields) + "}";
            if (rnd.nextInt(40) == 0) {
                text = text.substring(0, rnd.nextInt(text.length())); // malformed
            }
            SinkRecord bytes = new SinkRecord("readings", 1, null, null, null, text.getBytes(StandardCharsets.UTF_8), n);
            SinkRecord string = new SinkRecord("readings", 1, null, null, null, text, n);

            RowBinaryBuffer expected = new RowBinaryBuffer(64);
            BitSet expectedOmitted = new BitSet();
            String expectedError = null;
            try {
                new RecordEncoder(TIMES, false).encode(string, expected, expectedOmitted);
            } catch (RecordEncodingException e) {
                expectedError = e.getMessage();
            }
            int before = rows.size();
            byte[] kept = java.util.Arrays.copyOf(rows.array(), before);
            BitSet omitted = new BitSet();
            try {
                longLived.encode(bytes, rows, omitted);
                assertThat(expectedError).as(text).isNull();
                assertThat(java.util.Arrays.copyOfRange(rows.array(), before, rows.size())).as(text)
                        .isEqualTo(java.util.Arrays.copyOf(expected.array(), expected.size()));
                assertThat(omitted).as(text).isEqualTo(expectedOmitted);
            } catch (RecordEncodingException e) {
                failures++;
                if (expectedError != null && expectedError.startsWith("malformed JSON")) {
                    // Jackson words the same error in its own way for bytes and for a String
                    assertThat(e.getMessage()).as(text).startsWith("malformed JSON");
                } else {
                    assertThat(e.getMessage()).as(text).isEqualTo(expectedError);
                }
                assertThat(rows.size()).as(text).isEqualTo(before);
            }
            assertThat(java.util.Arrays.copyOf(rows.array(), before)).as(text).isEqualTo(kept);
            if (rows.size() > 1 << 20) {
                rows.reset();
            }
        }
        assertThat(failures).as("records rejected").isBetween(2_000, 18_000);
    }

    private static String pick(Random rnd, String... choices) {
        return choices[rnd.nextInt(choices.length)];
    }

    /**
     * A JSON number, or text close to one: a sign, 0 to 21 integer digits (a leading zero at times), a fraction of
     * 0 to 24 digits (often zeros), an exponent of 0 to 4 digits; so around every limit of the scanner's fast paths
     * (18 integer digits, 15 significant digits, a power of ten of 22, an exponent above 1000) and malformed forms.
     */
    private static String number(Random rnd) {
        StringBuilder b = new StringBuilder();
        if (rnd.nextInt(3) == 0) {
            b.append('-');
        }
        int intDigits = rnd.nextInt(4) == 0 ? rnd.nextInt(22) : 1 + rnd.nextInt(3);
        for (int i = 0; i < intDigits; i++) {
            b.append((char) ('0' + (i == 0 && rnd.nextInt(8) != 0 ? 1 + rnd.nextInt(9) : rnd.nextInt(10))));
        }
        if (rnd.nextBoolean()) {
            b.append('.');
            int fraction = rnd.nextInt(4) == 0 ? rnd.nextInt(25) : rnd.nextInt(5);
            for (int i = 0; i < fraction; i++) {
                b.append((char) ('0' + (rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(10))));
            }
        }
        if (rnd.nextInt(4) == 0) {
            b.append(pick(rnd, "e", "E")).append(pick(rnd, "", "+", "-"));
            int exponent = rnd.nextInt(5);
            for (int i = 0; i < exponent; i++) {
                b.append((char) ('0' + rnd.nextInt(10)));
            }
        }
        return b.toString();
    }

    private static String timestamp(Random rnd, String date) {
        switch (rnd.nextInt(12)) {
            case 0: return "null";
            case 1: return "1700000000";
            case 2: return "\"1700000000\"";
            case 3: return "\"21/11/2026 07:00\"";
            case 4: return "\"" + date + "\"";
            case 5: return "\"" + date + "T24:00:00Z\"";
            default:
                StringBuilder b = new StringBuilder("\"").append(date).append(rnd.nextBoolean() ? 'T' : ' ');
                b.append(String.format(Locale.ROOT, "%02d:%02d:%02d", rnd.nextInt(24), rnd.nextInt(60), rnd.nextInt(60)));
                if (rnd.nextBoolean()) {
                    b.append('.').append(String.format(Locale.ROOT, "%09d", rnd.nextInt(1_000_000_000)), 0, 1 + rnd.nextInt(9));
                }
                return b.append(pick(rnd, "Z", "", "+05:30", "-08:00", "z")).append('"').toString();
        }
    }

    /**
     * Fields in column order are written straight into the batch's row buffer; a value after them that does not
     * fit fails the record, and the buffer then holds only the rows before it, not the leading fields.
     */
    @Test
    void aBadValueAfterInOrderFieldsLeavesNoPartialRow() throws Exception {
        RecordEncoder enc = new RecordEncoder(TIMES, false);
        RowBinaryBuffer rows = new RowBinaryBuffer(8);
        enc.encode(record("{\"device_id\":1,\"timestamp\":\"2026-11-21T07:00:00Z\",\"temperature\":21.5}"
                .getBytes(StandardCharsets.UTF_8)), rows, new BitSet());
        int oneRow = rows.size();
        byte[] first = java.util.Arrays.copyOf(rows.array(), oneRow);
        for (String bad : new String[] {
            "{\"device_id\":1,\"timestamp\":\"2026-11-21T07:00:01Z\",\"temperature\":\"hot\"}",
            "{\"device_id\":1,\"timestamp\":\"2026-11-21T07:00:01Z\",\"temperature\":1,\"at64\":\"soon\"}",
            "{\"device_id\":1,\"timestamp\":\"2026-11-21T07:00:01Z\",\"temperature\":1,\"paris\":[1]}",
            "{\"device_id\":1,\"timestamp\":\"2026-11-21T07:00:01Z\",\"temperature\":1,"}) {
            assertThatThrownBy(() -> enc.encode(record(bad.getBytes(StandardCharsets.UTF_8)), rows, new BitSet()))
                    .as(bad).isInstanceOf(RecordEncodingException.class);
            assertThat(rows.size()).as(bad).isEqualTo(oneRow);
            assertThat(java.util.Arrays.copyOf(rows.array(), oneRow)).as(bad).isEqualTo(first);
        }
    }
}
