package io.sluice.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import io.sluice.producer.SensorSimulator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The rows of a benchmark run, as JSON lines, with the table they go to. Two shapes: {@code sensor}, the
 * simulator's readings (about 75 bytes of JSON, 3 columns), and {@code wide}, about 1 KB of JSON over 24 columns
 * of integers, floats, flags, a time stamp and short and long strings (an event or audit record). Generated from a
 * fixed seed, so every run and both baselines get the same rows.
 */
final class BenchRows {

    /** Column name and ClickHouse type, in table order (Kafka coordinate columns excluded). */
    static final class Col {
        final String name;
        final String type;

        Col(String name, String type) {
            this.name = name;
            this.type = type;
        }
    }

    final String shape;
    final List<Col> columns;
    final List<byte[]> json;
    final long jsonBytes;

    private BenchRows(String shape, List<Col> columns, List<byte[]> json) {
        this.shape = shape;
        this.columns = columns;
        this.json = json;
        long n = 0;
        for (byte[] b : json) {
            n += b.length;
        }
        this.jsonBytes = n;
    }

    /**
     * @param shape {@code sensor} or {@code wide}
     * @param rows  number of rows
     * @throws IllegalArgumentException for another shape
     */
    static BenchRows generate(String shape, int rows) {
        if (shape.equals("sensor")) {
            List<byte[]> json = new ArrayList<>(rows);
            SensorSimulator sim = SensorSimulator.builder().devices(1000).count(rows).seed(7)
                    .startTime(Instant.parse("2026-11-01T00:00:00Z")).paced(false).build();
            while (sim.hasNext()) {
                Reading r = sim.next();
                json.add(ReadingJson.toBytes(r));
            }
            return new BenchRows(shape, List.of(new Col("device_id", "UInt32"), new Col("timestamp", "DateTime"),
                    new Col("temperature", "Float64")), json);
        }
        if (!shape.equals("wide")) {
            throw new IllegalArgumentException("shape must be sensor or wide, got " + shape);
        }
        List<Col> cols = new ArrayList<>();
        cols.add(new Col("event_id", "UInt64"));
        cols.add(new Col("event_time", "DateTime"));
        cols.add(new Col("account_id", "UInt32"));
        cols.add(new Col("session_id", "String"));
        cols.add(new Col("event_type", "String"));
        cols.add(new Col("country", "String"));
        cols.add(new Col("city", "String"));
        cols.add(new Col("user_agent", "String"));
        cols.add(new Col("url", "String"));
        cols.add(new Col("referrer", "String"));
        cols.add(new Col("message", "String"));
        for (int i = 0; i < 6; i++) {
            cols.add(new Col("metric_" + i, "Float64"));
        }
        for (int i = 0; i < 4; i++) {
            cols.add(new Col("count_" + i, "Int64"));
        }
        cols.add(new Col("is_mobile", "UInt8"));
        cols.add(new Col("status", "UInt16"));
        cols.add(new Col("latency_ms", "UInt32"));
        Random rnd = new Random(11);
        String[] types = {"page_view", "click", "purchase", "signup", "logout", "search"};
        String[] countries = {"DE", "FR", "US", "BR", "IN", "JP", "NG", "AU"};
        String[] cities = {"Berlin", "Paris", "Seattle", "Sao Paulo", "Bengaluru", "Osaka", "Lagos", "Perth"};
        String[] words = {"order", "cart", "payment", "accepted", "declined", "retry", "session", "timeout", "user",
            "profile", "updated", "shipping", "address", "validated", "warehouse", "dispatch"};
        long t0 = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond();
        List<byte[]> json = new ArrayList<>(rows);
        StringBuilder b = new StringBuilder(1200);
        for (int r = 0; r < rows; r++) {
            b.setLength(0);
            int c = rnd.nextInt(countries.length);
            b.append("{\"event_id\":").append(1_000_000_000L + r)
                    .append(",\"event_time\":\"").append(Instant.ofEpochSecond(t0 + r / 100)).append('"')
                    .append(",\"account_id\":").append(rnd.nextInt(1_000_000))
                    .append(",\"session_id\":\"").append(Long.toHexString(rnd.nextLong())).append(Long.toHexString(rnd.nextLong())).append('"')
                    .append(",\"event_type\":\"").append(types[rnd.nextInt(types.length)]).append('"')
                    .append(",\"country\":\"").append(countries[c]).append('"')
                    .append(",\"city\":\"").append(cities[c]).append('"')
                    .append(",\"user_agent\":\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/1")
                    .append(20 + rnd.nextInt(10)).append(".0.0.0 Safari/537.36\"")
                    .append(",\"url\":\"https://shop.example.com/").append(words[rnd.nextInt(words.length)]).append('/')
                    .append(rnd.nextInt(100_000)).append("?ref=").append(words[rnd.nextInt(words.length)]).append('"')
                    .append(",\"referrer\":\"https://search.example.org/q?term=").append(words[rnd.nextInt(words.length)])
                    .append('+').append(words[rnd.nextInt(words.length)]).append('"')
                    .append(",\"message\":\"");
            for (int w = 0; w < 48; w++) {
                b.append(w == 0 ? "" : " ").append(words[rnd.nextInt(words.length)]);
            }
            b.append('"');
            for (int i = 0; i < 6; i++) {
                b.append(",\"metric_").append(i).append("\":")
                        .append(String.format(Locale.ROOT, "%.4f", rnd.nextGaussian() * 100));
            }
            for (int i = 0; i < 4; i++) {
                b.append(",\"count_").append(i).append("\":").append(rnd.nextInt(1_000_000) - 1000);
            }
            b.append(",\"is_mobile\":").append(rnd.nextBoolean() ? 1 : 0)
                    .append(",\"status\":").append(rnd.nextInt(10) == 0 ? 500 : 200)
                    .append(",\"latency_ms\":").append(rnd.nextInt(5000)).append('}');
            json.add(b.toString().getBytes(UTF_8));
        }
        return new BenchRows(shape, cols, json);
    }

    /**
     * Returns {@code CREATE TABLE} for this shape, with the Kafka coordinate columns the sink's exactly-once check
     * needs: {@code _kafka_partition}, {@code _kafka_offset} and, when {@code topic} is given, the table bound to that
     * one topic by {@code _kafka_topic String ALIAS '<topic>'} (no bytes per row).
     *
     * @param topic the one topic the sink writes into the table, or {@code null} for a baseline table
     */
    String createTableSql(String table, String topic) {
        StringBuilder b = new StringBuilder("CREATE TABLE ").append(table).append(" (");
        for (Col c : columns) {
            b.append(c.name).append(' ').append(c.type).append(", ");
        }
        if (topic != null) {
            b.append("_kafka_topic String ALIAS '").append(topic).append("', ");
        }
        String order = shape.equals("sensor") ? "(device_id, timestamp)" : "(account_id, event_time)";
        String time = shape.equals("sensor") ? "timestamp" : "event_time";
        return b.append("_kafka_partition UInt32, _kafka_offset UInt64) ENGINE = MergeTree() ")
                .append("PARTITION BY toYYYYMM(").append(time).append(") ORDER BY ").append(order).toString();
    }

    /**
     * Returns an order-independent checksum expression over the data columns: the sum of a per-row
     * {@code cityHash64} (modulo 2^64). Floats enter as {@code round(x * 10000)}: every generated float has at most 4
     * decimals, and 18.16's own JSON parser stores some of them one unit in the last place off, which a bitwise
     * hash would count as a difference.
     */
    String checksumSql() {
        StringBuilder b = new StringBuilder("toString(sum(cityHash64(");
        for (int i = 0; i < columns.size(); i++) {
            Col c = columns.get(i);
            b.append(i == 0 ? "" : ", ")
                    .append(c.type.equals("Float64") ? "toInt64(round(" + c.name + " * 10000))" : c.name);
        }
        return b.append(")))").toString();
    }

    /** Returns the data column names joined with commas. */
    String columnList() {
        StringBuilder b = new StringBuilder();
        for (Col c : columns) {
            b.append(b.length() == 0 ? "" : ", ").append(c.name);
        }
        return b.toString();
    }
}
