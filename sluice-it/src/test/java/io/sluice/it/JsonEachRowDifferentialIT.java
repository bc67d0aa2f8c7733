package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.local.verify.ClickHouseQuery;
import io.sluice.local.LocalStack;
import io.sluice.local.pipeline.SensorPipeline;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink against ClickHouse 18.16's own JSON reader (issue 12, "values read as ClickHouse reads them"). Per column
 * type, values as JSON text (valid, edge and invalid) each become one record {@code {"id": n, "cK": value}}. Each
 * record goes through Kafka and the sink (a real Connect worker, the plugin zip, {@code ByteArrayConverter}) into
 * table {@code diff_sink}, and is also inserted by itself with {@code INSERT ... FORMAT JSONEachRow} and
 * {@code date_time_input_format=best_effort} (the setting a user would pass) into {@code diff_server}, an
 * identical table. Then, value by value: both store the same value, or the server rejects it and the sink
 * dead-letters it naming the column.
 *
 * <p>Where they differ on purpose, the difference is listed below with its reason (and in the sink README), and
 * the test checks that the server really behaves as listed, so the lists cannot go stale:
 * <ul>
 *   <li>{@link #SINK_STRICTER}: 18.16 stores some other value without an error (an impossible date, a wrapped
 *       number); the sink dead-letters it.
 *   <li>{@link #SINK_LENIENT}: 18.16 rejects it; the sink stores a well-defined value.
 *   <li>{@link #SERVER_INEXACT}: 18.16 stores a wrong value; the sink stores the right one, given here.
 * </ul>
 * Floats: where 18.16's parser is inexact, the correctly rounded value is the truth (FACTS.md: 18.16 stores some
 * decimal texts in Float64 one unit in the last place off). For Float32 and Float64 columns the sink must store the
 * correctly rounded value of the text ({@code Double.parseDouble}, {@code Float.parseFloat}), and the server's
 * value may differ from it by at most one ulp; such cases are logged, not failed.
 *
 * <p>The stack's ClickHouse runs in UTC, so text without a time zone means the same instant to both.
 */
class JsonEachRowDifferentialIT {

    private static final Logger log = LoggerFactory.getLogger(JsonEachRowDifferentialIT.class);
    private static final Map<String, String> BEST_EFFORT = Map.of("date_time_input_format", "best_effort");
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = Stack.start("differential");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Per column type, values as JSON text. */
    private static final Map<String, List<String>> VALUES = new LinkedHashMap<>();

    static {
        VALUES.put("DateTime", List.of(
                // forms of the best-effort parser
                "\"2026-11-21 07:00:00\"", "\"2026-11-21T07:00:00Z\"", "\"2026-11-21T07:00:00.123+05:30\"",
                "\"2026/11/21 07:00\"", "\"21/11/2026 07:00:00\"", "\"21/11/26\"", "\"1/5/2026\"", "\"2026/1/5 7:05\"",
                "\"2026-11-21 7:5:3\"", "\"Sat, 21 Nov 2026 07:00:00 GMT\"", "\"Thu, 19 Nov 2026 07:00:00 +0000\"",
                "\"Saturday, 21 November 2026 07:00:00 GMT\"", "\"21 Nov 2026\"", "\"Nov 21 2026\"",
                "\"21 November 2026 7:00\"", "\"2026-11-21 07:00:00+0530\"", "\"2026-11-21 07:00:00+5:30\"",
                "\"2026-11-21 07:00:00 +05\"", "\"2026-11-21 07:00:00 -0130\"", "\"2026-11-21 07:00:00 UTC\"",
                "\"2026-11-21 07:00:00 MSK\"", "\"2026-11-21 07:00:00 Z\"", "\"2026-11-21T07:00:00.5\"",
                "\"2026-11-21T07:00:00.123456789123Z\"", "\"2026-11-21T07:00\"", "\"2026-11-21 07\"",
                "\"2026-11-21 07:00:00 PM\"", "\"2026-11-21 07:00:00pm\"", "\"2026-11-21 7 PM\"",
                "\"2026-11-21 07:00:00.5 PM\"", "\"2026-11-21 070000\"", "\"20261121 070000\"", "\"20261121070000\"",
                "\"20261121\"", "\"202611\"", "\"2026-11\"", "\"2026.11.21\"", "\" 2026-11-21 07:00:00 \"",
                "\"1700000000\"", "\"170000000\"", "\"1970-01-01 00:00:00\"", "\"2024-02-29 12:00:00\"",
                "\"2105-12-31 23:59:59\"",
                // numbers
                "1700000000", "0", "4294967295", "-1", "4294967296", "1700000000000", "1.5",
                // invalid
                "\"2026-02-30 00:00:00\"", "\"2026-13-01\"", "\"2026-11-21 25:00:00\"", "\"2026-11-21 07:00:60\"",
                "\"2026-11-21 13:00 PM\"", "\"2026-11-21 12:00:00 AM\"", "\"11/21/2026\"", "\"21-11-2026\"",
                "\"21 Nov 26\"", "\"2026-11-21T07:00:00+25:00\"", "\"2026-11-21 07:00:00Z+01:00\"", "\"\"",
                "\"12:34\"", "\"99\"", "\"2026\"", "\"Novxyz 21 2026\"", "\"0000-00-00 00:00:00\"",
                "\"1969-12-31 23:59:59\"", "\"not a time\"", "\"21.11.2026\"", "\"21/Nov/2026\"",
                "\"1700000000 x\"", "\"1700000000.5\"", "\"12345678901\"", "\"2026-11-21 07:00:00,123\"",
                "\"2026-11-21 07:00:00 CET\"", "\"2026-11-21t07:00:00\"", "\"Nov 21, 2026\"", "true", "[1]"));
        VALUES.put("DateTime('Asia/Tokyo')", List.of("\"2026-11-21 16:00:00\"", "\"21/11/2026 16:00\"",
                "\"2026-11-21T07:00:00Z\"", "\"Sat, 21 Nov 2026 07:00:00 GMT\"", "1700000000"));
        VALUES.put("Date", List.of("\"2026-11-21\"", "\"2026/11/21\"", "\"2026-1-5\"", "\"2026.11.21\"",
                "\"1970-01-01\"", "\"2149-06-06\"", "\"2026-02-30\"", "\"21/11/2026\"", "\"2026-11-21 07:00:00\"",
                "\"2026-11-21T07:00:00Z\"", "20000", "\"20000\"", "\"\"", "\"not\"", "-1", "1.5"));
        VALUES.put("Int8", List.of("127", "-128", "128", "-129", "\"12\"", "\" 12\"", "\"abc\"", "1.0", "1.5",
                "1e2", "true", "\"\""));
        VALUES.put("UInt8", List.of("255", "0", "256", "-1", "\"7\""));
        VALUES.put("Int64", List.of("9223372036854775807", "-9223372036854775808", "9223372036854775808",
                "\"-42\""));
        VALUES.put("UInt64", List.of("18446744073709551615", "18446744073709551616", "-1",
                "\"18446744073709551615\"", "0"));
        VALUES.put("Float32", List.of("1.1", "3.4028235e38", "1e39", "-0.0", "\"1.5\"", "16777217", "0.1"));
        VALUES.put("Float64", List.of("1.3780", "0.1", "1e308", "4.9e-324", "-0.0", "\"2.5\"", "\"abc\"",
                "123456789012345678901234567890", "9007199254740993", "2.2250738585072011e-308", "1e-400", "21.50"));
        VALUES.put("Decimal(9, 2)", List.of("1.23", "-0.01", "1234567.89", "\"1.5\"", "1.234", "12345678.9", "1e2",
                "\"abc\""));
        VALUES.put("Decimal(18, 4)", List.of("12345678901234.5678", "0.0001", "-1", "\"3.14159\""));
        VALUES.put("String", List.of("\"text\"", "\"\"", "\"ünïcödé\"", "\"a\\\"b\\\\c\\n\"", "12", "21.50", "true",
                "\"\\u0000\""));
        VALUES.put("FixedString(4)", List.of("\"abcd\"", "\"ab\"", "\"abcde\"", "\"ü\""));
        VALUES.put("UUID", List.of("\"61f0c404-5cb3-11e7-907b-a6006ad3dba0\"", "\"61F0C404-5CB3-11E7-907B-A6006AD3DBA0\"",
                "\"00000000-0000-0000-0000-000000000000\"", "\"not-a-uuid\"", "\"61f0c4045cb311e7907ba6006ad3dba0\""));
        VALUES.put("Enum8('a' = 1, 'b' = 2)", List.of("\"a\"", "\"b\"", "\"c\"", "1", "3"));
        VALUES.put("Nullable(DateTime)", List.of("null", "\"2026/11/21 07:00\"", "1700000000", "\"2026-02-30\""));
        VALUES.put("Array(DateTime)", List.of("[\"2026/11/21 07:00\", \"Sat, 21 Nov 2026 07:00:00 GMT\"]",
                "[1700000000]", "[]", "[\"2026-02-30\"]"));
    }

    /** "type <- json" of values 18.16 stores as some other value without an error; the sink rejects them. */
    private static final Map<String, String> SINK_STRICTER = new TreeMap<>();
    /** "type <- json" of values 18.16 rejects and the sink stores. */
    private static final Map<String, String> SINK_LENIENT = new TreeMap<>();
    /** "type <- json" of values 18.16 stores wrongly, with the value (as 18.16 prints it) the sink stores instead. */
    private static final Map<String, String> SERVER_INEXACT = new TreeMap<>();

    static {
        String impossible = "an impossible date-time: 18.16 normalises or zeroes it";
        for (String v : List.of("\"2026-02-30 00:00:00\"", "\"2026-13-01\"", "\"2026-11-21 25:00:00\"",
                "\"2026-11-21 07:00:60\"", "\"0000-00-00 00:00:00\"")) {
            SINK_STRICTER.put("DateTime <- " + v, impossible);
        }
        SINK_STRICTER.put("DateTime <- \"2026-11-21 13:00 PM\"", "hour 13 with PM");
        SINK_STRICTER.put("DateTime <- \"21 Nov 26\"", "no year: 18.16 reads 26 as the hour of 2000-11-21");
        SINK_STRICTER.put("DateTime <- \"2026-11-21T07:00:00+25:00\"", "offset beyond ±18:00");
        SINK_STRICTER.put("DateTime <- \"2026-11-21 07:00:00Z+01:00\"", "two time zones");
        for (String v : List.of("\"\"", "\"12:34\"", "\"99\"")) {
            SINK_STRICTER.put("DateTime <- " + v, "no year or month: 18.16 fills in 2000 or January");
        }
        SINK_STRICTER.put("DateTime <- \"Novxyz 21 2026\"", "not a month name");
        SINK_STRICTER.put("DateTime <- \"1969-12-31 23:59:59\"", "before 1970: 18.16 stores another time of day");
        for (String v : List.of("-1", "4294967296", "1700000000000")) {
            SINK_STRICTER.put("DateTime <- " + v, "out of DateTime's range: 18.16 wraps it modulo 2^32");
        }
        SINK_STRICTER.put("Date <- \"2026-02-30\"", impossible);
        for (String v : List.of("128", "-129")) {
            SINK_STRICTER.put("Int8 <- " + v, "out of range: 18.16 wraps it");
        }
        SINK_STRICTER.put("UInt8 <- 256", "out of range: 18.16 wraps it");
        SINK_STRICTER.put("Int64 <- 9223372036854775808", "out of range: 18.16 wraps it");
        SINK_STRICTER.put("UInt64 <- 18446744073709551616", "out of range: 18.16 wraps it");
        SINK_STRICTER.put("Int8 <- \"\"", "empty text is no number: 18.16 stores 0");
        SINK_STRICTER.put("Nullable(DateTime) <- \"2026-02-30\"", impossible);
        SINK_STRICTER.put("Array(DateTime) <- [\"2026-02-30\"]", impossible);

        SINK_LENIENT.put("Date <- \"2026-11-21 07:00:00\"", "a date-time into a Date column gives its UTC day");
        SINK_LENIENT.put("Date <- \"2026-11-21T07:00:00Z\"", "a date-time into a Date column gives its UTC day");
        SINK_LENIENT.put("Date <- 20000", "a number into Date is days, as current ClickHouse reads it");
        SINK_LENIENT.put("DateTime <- \"Thu, 19 Nov 2026 07:00:00 +0000\"",
                "18.16 takes the T of Thu and Tue for the date-time separator and rejects the rest");
        SINK_LENIENT.put("DateTime <- \"21.11.2026\"", "DD.MM.YYYY, as current servers read it");
        SINK_LENIENT.put("Int8 <- \" 12\"", "spaces around numeric text are ignored");
        SINK_LENIENT.put("Int8 <- 1.0", "an integral number in float notation is that integer");
        SINK_LENIENT.put("Int8 <- 1e2", "an integral number in float notation is that integer");
        SINK_LENIENT.put("Decimal(9, 2) <- \"1.5\"", "numeric text (18.16 reads decimals only unquoted)");
        for (String v : List.of("12", "21.50", "true")) {
            SINK_LENIENT.put("String <- " + v, "a number or boolean into String keeps its JSON text");
        }
        SINK_LENIENT.put("Enum8('a' = 1, 'b' = 2) <- 1", "a number that is one of the enum's values");

        // Times are compared as numbers (epoch seconds, days): 18.16 prints some valid values wrongly.
        SERVER_INEXACT.put("DateTime <- \"2026-11-21 12:00:00 AM\"", "1795219200"); // 18.16: noon
        // 18.16 reads quoted epoch seconds into a variable it never cleared: some other time each run.
        SERVER_INEXACT.put("DateTime <- \"1700000000\"", "1700000000");
        SERVER_INEXACT.put("DateTime <- \"170000000\"", "170000000");
        // Day-first and month-first dates as current servers read them (chDB 26.7, JsonEachRowChdbIT).
        SERVER_INEXACT.put("DateTime <- \"21-11-2026\"", "1795219200"); // 18.16: 2000-01-22 07:26:00
        SERVER_INEXACT.put("DateTime <- \"11/21/2026\"", "1795219200"); // 18.16: 0
        SERVER_INEXACT.put("Date <- \"2149-06-06\"", "65535"); // 18.16 stores 0 (its date table ends in 2105)
        SERVER_INEXACT.put("Date <- \"21/11/2026\"", "20778"); // 18.16's Date reader stores 0 (1970-01-01)
    }

    /** One value: its record id (also its offset), column, type and JSON text. */
    private static final class Case {
        final int id;
        final String column;
        final String type;
        final String json;

        Case(int id, String column, String type, String json) {
            this.id = id;
            this.column = column;
            this.type = type;
            this.json = json;
        }

        String key() {
            return type + " <- " + json;
        }

        String record() {
            return "{\"id\": " + id + ", \"" + column + "\": " + json + "}";
        }
    }

    @Test
    void sinkStoresWhat1816sJsonEachRowStoresOrDeadLettersWhatItRejects() throws Exception {
        List<Case> cases = new ArrayList<>();
        StringBuilder columns = new StringBuilder("id UInt32");
        Map<String, String> columnTypes = new LinkedHashMap<>();
        int k = 0;
        for (Map.Entry<String, List<String>> e : VALUES.entrySet()) {
            String column = "c" + k++;
            columnTypes.put(column, e.getKey());
            columns.append(", ").append(column).append(' ').append(e.getKey());
            for (String json : e.getValue()) {
                cases.add(new Case(cases.size(), column, e.getKey(), json));
            }
        }
        columns.append(", _kafka_topic String, _kafka_partition UInt32, _kafka_offset UInt64");
        ClickHouseQuery ch = stack.clickHouse();
        for (String table : List.of("diff_sink", "diff_server")) {
            ch.execute("CREATE TABLE " + table + " (" + columns + ") ENGINE = MergeTree() ORDER BY id");
        }

        // The server's own reading, one insert per value (a rejected row fails its whole insert).
        Map<Integer, String> serverRejected = new TreeMap<>();
        for (Case c : cases) {
            try {
                ch.execute("INSERT INTO diff_server FORMAT JSONEachRow " + c.record(), BEST_EFFORT);
            } catch (IllegalStateException e) {
                serverRejected.put(c.id, e.getMessage());
            }
        }

        // The sink's reading: record i is offset i of partition 0.
        SensorPipeline p = new SensorPipeline(stack, "diff-in", "diff_sink");
        SensorPipeline.createTopic(stack.bootstrapServers(), p.topic(), 1);
        KafkaState kafka = new KafkaState(stack.bootstrapServers());
        List<String> records = new ArrayList<>();
        for (Case c : cases) {
            records.add(c.record());
        }
        kafka.send(p.topic(), records);
        p.deploySink("diff-sink", p.sinkConfig(1, "diff-dlq"));
        String trace = kafka.awaitCommittedOrFailed(stack.connect(), "diff-sink", p.topic(), 1);
        assertThat(trace).as("sink task failed").isNull();
        Map<Long, String> deadLetters = kafka.deadLetterReasons("diff-dlq", p.topic());

        Map<Integer, String> sinkStored = new TreeMap<>();
        Map<Integer, String> serverStored = new TreeMap<>();
        for (String column : columnTypes.keySet()) {
            read(ch, "diff_sink", column, cases, sinkStored);
            read(ch, "diff_server", column, cases, serverStored);
        }

        List<String> failures = new ArrayList<>();
        List<String> serverInexactFloats = new ArrayList<>();
        int agreed = 0;
        int bothRejected = 0;
        for (Case c : cases) {
            String sink = sinkStored.get(c.id);
            String server = serverStored.get(c.id);
            String dead = deadLetters.get((long) c.id);
            String where = c.key() + ": sink " + (sink != null ? "stored " + sink : dead != null ? "dead-lettered ("
                    + dead + ")" : "lost it") + ", server " + (server != null ? "stored " + server
                    : "rejected (" + firstLine(serverRejected.get(c.id)) + ")");
            if (sink == null && dead == null) {
                failures.add("neither stored nor dead-lettered: " + where);
                continue;
            }
            if (sink != null && dead != null) {
                failures.add("both stored and dead-lettered: " + where);
                continue;
            }
            if (dead != null && !dead.contains("column '" + c.column + "'")) {
                failures.add("dead letter does not name the column: " + where);
            }
            if (SINK_STRICTER.containsKey(c.key())) {
                if (server == null || sink != null) {
                    failures.add("listed as stricter (" + SINK_STRICTER.get(c.key()) + ") but " + where);
                }
            } else if (SINK_LENIENT.containsKey(c.key())) {
                if (server != null || sink == null) {
                    failures.add("listed as lenient (" + SINK_LENIENT.get(c.key()) + ") but " + where);
                }
            } else if (SERVER_INEXACT.containsKey(c.key())) {
                if (server == null || !SERVER_INEXACT.get(c.key()).equals(sink) || server.equals(sink)) {
                    failures.add("listed as inexact on 18.16 (truth " + SERVER_INEXACT.get(c.key()) + ") but " + where);
                }
            } else if (server == null && sink == null) {
                bothRejected++;
            } else if (server == null || sink == null) {
                failures.add("one side rejected: " + where);
            } else if (!server.equals(sink)) {
                String floatCheck = c.type.startsWith("Float") ? checkFloat(c, sink, server) : "not a float";
                if (floatCheck == null) {
                    serverInexactFloats.add(where);
                } else {
                    failures.add("stored differently (" + floatCheck + "): " + where);
                }
            } else {
                agreed++;
            }
        }
        log.info("{} values: {} stored alike, {} rejected by both, {} listed differences; 18.16 inexact floats: {}",
                cases.size(), agreed, bothRejected, SINK_STRICTER.size() + SINK_LENIENT.size() + SERVER_INEXACT.size(),
                serverInexactFloats);
        assertThat(failures).as("values the sink reads differently from 18.16's JSONEachRow").isEmpty();
        assertThat(agreed).isGreaterThan(100);
    }

    /**
     * Returns null when the sink holds the correctly rounded value of the text and the server's is at most one
     * ulp away from it; otherwise what is wrong.
     */
    private static String checkFloat(Case c, String sink, String server) {
        String text = c.json.startsWith("\"") ? c.json.substring(1, c.json.length() - 1) : c.json;
        if (c.type.equals("Float32")) {
            float truth = Float.parseFloat(text);
            float s = Float.parseFloat(sink);
            float v = Float.parseFloat(server);
            if (Float.compare(s, truth) != 0) {
                return "sink " + s + " is not the correctly rounded " + truth;
            }
            return Math.abs(v - truth) <= Math.ulp(truth) ? null : "server more than 1 ulp off";
        }
        double truth = Double.parseDouble(text);
        double s = Double.parseDouble(sink);
        double v = Double.parseDouble(server);
        if (Double.compare(s, truth) != 0) {
            return "sink " + s + " is not the correctly rounded " + truth;
        }
        return Math.abs(v - truth) <= Math.ulp(truth) ? null : "server more than 1 ulp off";
    }

    /**
     * Reads column {@code column} of the rows whose case writes that column; dates and times as numbers (days,
     * epoch seconds), as 18.16 prints some valid ones wrongly.
     */
    private static void read(ClickHouseQuery ch, String table, String column, List<Case> cases,
            Map<Integer, String> out) {
        Map<Integer, Case> byId = new TreeMap<>();
        for (Case c : cases) {
            if (c.column.equals(column)) {
                byId.put(c.id, c);
            }
        }
        String type = cases.stream().filter(c -> c.column.equals(column)).findFirst().orElseThrow().type;
        String value = type.equals("Date") ? "toUInt16(" + column + ")"
                : type.startsWith("Array(DateTime") ? "arrayMap(x -> toUInt32(x), " + column + ")"
                : type.contains("DateTime") ? "toUInt32(" + column + ")" : column;
        for (String[] row : ch.rows("SELECT id, " + value + " FROM " + table + " ORDER BY id")) {
            int id = Integer.parseInt(row[0]);
            if (byId.containsKey(id)) {
                out.put(id, row[1]);
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int end = s.indexOf('\n');
        String line = end < 0 ? s : s.substring(0, end);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** {@code time.numbers=epoch_millis}: a number into DateTime is read as epoch milliseconds. */
    @Test
    void epochMillisOptionReadsNumbersAsMilliseconds() throws Exception {
        stack.clickHouse().execute("CREATE TABLE diff_millis (at DateTime, day Date, _kafka_topic String, "
                + "_kafka_partition UInt32, _kafka_offset UInt64) ENGINE = MergeTree() ORDER BY _kafka_offset");
        SensorPipeline p = new SensorPipeline(stack, "millis-in", "diff_millis");
        SensorPipeline.createTopic(stack.bootstrapServers(), p.topic(), 1);
        KafkaState kafka = new KafkaState(stack.bootstrapServers());
        kafka.send(p.topic(), List.of("{\"at\": 1700000000123, \"day\": 1700000000123}"));
        Map<String, String> config = p.sinkConfig(1, null);
        config.put("time.numbers", "epoch_millis");
        p.deploySink("millis-sink", config);
        assertThat(kafka.awaitCommittedOrFailed(stack.connect(), "millis-sink", p.topic(), 1)).isNull();
        assertThat(stack.clickHouse().rows("SELECT toUInt32(at), toString(day) FROM diff_millis").get(0))
                .containsExactly("1700000000", "2023-11-14");
    }
}
