package io.sluice.sink.clickhouse.chdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.sink.clickhouse.encode.RecordEncoder;
import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.encode.rowbinary.RowBinaryBuffer;
import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sink's reading of JSON values against a current ClickHouse engine's own JSONEachRow input (chDB 26.7, see
 * {@link Chdb}), the second oracle of issue 12 next to sluice-it's {@code JsonEachRowDifferentialIT} (ClickHouse
 * 18.16), and the only one for types 18.16 lacks (DateTime64, Date32, Bool). Each value as JSON text goes through
 * the sink's encoder as a record {@code {"v": value}} (the {@code ByteArrayConverter} path) into a RowBinary file
 * that chDB decodes, and through {@code format(JSONEachRow, ...)} with {@code date_time_input_format=best_effort}.
 * Both must give the same value (times compared as numbers: epoch seconds or milliseconds, days), or both must
 * reject it; the differences are listed with their reasons and checked, so the lists cannot go stale.
 */
class JsonEachRowChdbIT {

    private static Chdb chdb;

    @BeforeAll
    static void locateChdb() {
        chdb = Chdb.locate();
    }

    private static final List<String> TIME_TEXTS = List.of("\"2026-11-21 07:00:00\"", "\"2026-11-21T07:00:00Z\"",
            "\"2026-11-21T07:00:00.123+05:30\"", "\"2026/11/21 07:00\"", "\"21/11/2026 07:00:00\"", "\"21/11/26\"",
            "\"1/5/2026\"", "\"2026-11-21 7:5:3\"", "\"Sat, 21 Nov 2026 07:00:00 GMT\"",
            "\"Thu, 19 Nov 2026 07:00:00 +0000\"", "\"Saturday, 21 November 2026 07:00:00 GMT\"", "\"21 Nov 2026\"",
            "\"Nov 21 2026\"", "\"2026-11-21 07:00:00+0530\"", "\"2026-11-21 07:00:00 +05\"",
            "\"2026-11-21 07:00:00 UTC\"", "\"2026-11-21 07:00:00 MSK\"", "\"2026-11-21T07:00:00.5\"",
            "\"2026-11-21T07:00:00.123456789123Z\"", "\"2026-11-21T07:00\"", "\"2026-11-21 07\"",
            "\"2026-11-21 07:00:00 PM\"", "\"2026-11-21 12:00:00 AM\"", "\"2026-11-21 070000\"", "\"20261121070000\"",
            "\"20261121\"", "\"202611\"", "\"2026-11\"", "\"2026.11.21\"", "\"1700000000\"", "\"170000000\"",
            "\"1970-01-01 00:00:00\"", "\"2026-02-30 00:00:00\"", "\"2026-13-01\"", "\"2026-11-21 25:00:00\"",
            "\"2026-11-21 07:00:60\"", "\"2026-11-21 13:00 PM\"", "\"11/21/2026\"", "\"21-11-2026\"", "\"\"",
            "\"12:34\"", "\"2026\"", "\"not a time\"", "\"21.11.2026\"", "\"1700000000.5\"",
            "\"2026-11-21 07:00:00 CET\"", "\"2026-11-21t07:00:00z\"");

    /** Per column type, values as JSON text. */
    private static final Map<String, List<String>> VALUES = new LinkedHashMap<>();

    static {
        List<String> dateTime = new ArrayList<>(TIME_TEXTS);
        dateTime.addAll(List.of("1700000000", "0", "4294967295", "-1", "4294967296", "1.5"));
        VALUES.put("DateTime('UTC')", dateTime);
        List<String> dateTime64 = new ArrayList<>(TIME_TEXTS);
        dateTime64.addAll(List.of("1700000000", "1700000000.123", "-1", "1.5", "\"1700000000.123\""));
        VALUES.put("DateTime64(3, 'UTC')", dateTime64);
        VALUES.put("Date", List.of("\"2026-11-21\"", "\"2026/11/21\"", "\"2026-1-5\"", "\"21/11/2026\"",
                "\"2026-11-21 07:00:00\"", "\"2026-02-30\"", "20778", "\"20778\"", "0", "65535", "65536", "-1", "1.5",
                "\"\""));
        VALUES.put("Date32", List.of("\"2026-11-21\"", "\"1900-01-01\"", "\"1899-12-31\"", "20778", "-25567",
                "\"2026/11/21\""));
        VALUES.put("Bool", List.of("true", "false", "\"true\"", "\"false\"", "1", "0", "\"1\"", "2", "\"yes\""));
    }

    /** "type <- json": the engine stores another value without an error; the sink rejects it. */
    private static final Map<String, String> SINK_STRICTER = new TreeMap<>();
    /** "type <- json": the engine rejects it; the sink stores a well-defined value. */
    private static final Map<String, String> SINK_LENIENT = new TreeMap<>();
    /** "type <- json": both store it, differently; the sink's value (as a number) is the right one. */
    private static final Map<String, String> ENGINE_INEXACT = new TreeMap<>();

    static {
        for (String type : List.of("DateTime('UTC')", "DateTime64(3, 'UTC')")) {
            String normalised = "an impossible time the engine normalises (to the next day or minute)";
            SINK_STRICTER.put(type + " <- \"2026-11-21 25:00:00\"", normalised);
            SINK_STRICTER.put(type + " <- \"2026-11-21 07:00:60\"", normalised);
            SINK_STRICTER.put(type + " <- \"2026-11-21 13:00 PM\"", "hour 13 with PM: the engine ignores the PM");
            SINK_STRICTER.put(type + " <- \"12:34\"", "no date: the engine fills in January 1 of the current year");
        }
        SINK_STRICTER.put("DateTime('UTC') <- -1", "out of range: the engine clamps it to 1970-01-01 00:00:00");
        SINK_STRICTER.put("DateTime('UTC') <- 4294967296", "out of range: the engine clamps it to 2106-02-07");
        SINK_STRICTER.put("DateTime64(3, 'UTC') <- \"1700000000.5\"",
                "quoted epoch seconds with a fraction: not read by the sink (only 9 or 10 digits alone)");
        SINK_STRICTER.put("DateTime64(3, 'UTC') <- \"1700000000.123\"",
                "quoted epoch seconds with a fraction: not read by the sink (only 9 or 10 digits alone)");
        SINK_STRICTER.put("Date <- \"2026-02-30\"", "an impossible date: the engine stores March 2");
        SINK_STRICTER.put("Date <- 65536", "out of Date's range: the engine stores 1970-01-01");
        SINK_STRICTER.put("Date32 <- \"1899-12-31\"", "before Date32's documented range [1900-01-01, 2299-12-31]");

        SINK_LENIENT.put("Date <- \"21/11/2026\"", "the engine's Date reader takes no day-first dates");
        SINK_LENIENT.put("Date <- \"2026-11-21 07:00:00\"", "a date-time into a Date column gives its UTC day");
        for (String v : List.of("\"true\"", "\"false\"", "\"1\"")) {
            SINK_LENIENT.put("Bool <- " + v, "quoted booleans (the engine takes them unquoted only)");
        }
    }

    @Test
    void sinkReadsJsonValuesAsACurrentEngineDoes() throws Exception {
        List<String> labels = new ArrayList<>();
        List<String> sinkErrors = new ArrayList<>();
        List<String> queries = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, List<String>> e : VALUES.entrySet()) {
            String type = e.getKey();
            for (String json : e.getValue()) {
                String record = "{\"v\": " + json + "}";
                labels.add(type + " <- " + json);
                Path file = chdb.workDir().resolve("json-" + n++ + ".bin");
                try {
                    RowBinaryCases.write(file, encode(type, record));
                    sinkErrors.add(null);
                } catch (RecordEncodingException ex) {
                    RowBinaryCases.write(file, new byte[0]);
                    sinkErrors.add(ex.getMessage());
                }
                queries.add("SELECT " + asNumber(type) + " AS v FROM file(" + RowBinaryCases.literal(file.toString())
                        + ", 'RowBinary', " + RowBinaryCases.literal("v " + type) + ")");
                queries.add("SELECT " + asNumber(type) + " AS v FROM format(JSONEachRow, "
                        + RowBinaryCases.literal("v " + type) + ", " + RowBinaryCases.literal(record)
                        + ") SETTINGS date_time_input_format = 'best_effort'");
            }
        }
        List<String> results = chdb.run(queries);
        List<String> failures = new ArrayList<>();
        int agreed = 0;
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            String sinkError = sinkErrors.get(i);
            String sink = sinkError != null ? null : value(results.get(2 * i));
            String engineResult = results.get(2 * i + 1);
            String engine = engineResult.startsWith("OK ") ? value(engineResult) : null;
            String where = label + ": sink " + (sink != null ? "stored " + sink : "rejected (" + sinkError + ")")
                    + ", engine " + (engine != null ? "stored " + engine : "rejected (" + firstLine(engineResult) + ")");
            if (sinkError == null && sink == null) {
                failures.add("chDB cannot decode the sink's bytes: " + where + " " + results.get(2 * i));
            } else if (SINK_STRICTER.containsKey(label)) {
                if (engine == null || sink != null) {
                    failures.add("listed as stricter (" + SINK_STRICTER.get(label) + ") but " + where);
                }
            } else if (SINK_LENIENT.containsKey(label)) {
                if (engine != null || sink == null) {
                    failures.add("listed as lenient (" + SINK_LENIENT.get(label) + ") but " + where);
                }
            } else if (ENGINE_INEXACT.containsKey(label)) {
                if (engine == null || !ENGINE_INEXACT.get(label).equals(sink) || engine.equals(sink)) {
                    failures.add("listed as inexact in the engine (truth " + ENGINE_INEXACT.get(label) + ") but "
                            + where);
                }
            } else if (sink == null && engine == null) {
                agreed++;
            } else if (sink == null || engine == null || !sink.equals(engine)) {
                failures.add(where);
            } else {
                agreed++;
            }
        }
        assertThat(failures).as("values the sink reads differently from chDB 26.7's JSONEachRow").isEmpty();
        assertThat(agreed).isGreaterThan(60);
    }

    /** The column as a number where it is a time (epoch seconds, epoch ms, days), else as it prints. */
    private static String asNumber(String type) {
        if (type.startsWith("DateTime64")) {
            return "toUnixTimestamp64Milli(v)";
        }
        if (type.startsWith("DateTime")) {
            return "toUInt32(v)";
        }
        if (type.startsWith("Date")) {
            return "toInt32(v)";
        }
        return "toString(v)";
    }

    private static byte[] encode(String type, String record) throws RecordEncodingException {
        TableSchema schema = new TableSchema("default", "cases", List.of(
                new Column("v", ClickHouseTypeParser.parse(type), false)));
        RowBinaryBuffer out = new RowBinaryBuffer(64);
        new RecordEncoder(schema, true).encode(new SinkRecord("t", 0, null, null, null,
                record.getBytes(StandardCharsets.UTF_8), 0L), out, new BitSet());
        return Arrays.copyOf(out.array(), out.size());
    }

    /** The single value of an {@code OK} result row {@code {"v":...}}, as text; null for anything else. */
    private static String value(String result) {
        if (!result.startsWith("OK ")) {
            return null;
        }
        String row = result.substring(3).trim();
        if (row.isEmpty() || row.contains("\n")) {
            return null;
        }
        String v = row.substring(row.indexOf(':') + 1, row.length() - 1);
        return v.startsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    private static String firstLine(String s) {
        int end = s.indexOf('\n');
        String line = end < 0 ? s : s.substring(0, end);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
