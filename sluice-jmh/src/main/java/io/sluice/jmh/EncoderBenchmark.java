package io.sluice.jmh;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.sluice.sink.clickhouse.encode.RecordEncoder;
import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.encode.rowbinary.RowBinaryBuffer;
import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.sink.SinkRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the sink's encoder, {@link RecordEncoder}: records to RowBinary rows in a reused buffer, for a
 * batch of {@value #BATCH} records per invocation, so the score is rows/s. Shapes: {@code sensor} (a 3-column
 * reading, about 75 bytes of JSON) and {@code wide} (24 columns, about 1 KB of JSON). Inputs: {@code bytes} (JSON
 * text from ByteArrayConverter, parsed by the sink) and {@code map} (the Map that JsonConverter with
 * {@code schemas.enable=false} would have built; the converter's own cost is not included). Set-up prints the
 * JSON and RowBinary bytes per row, so MB/s is the score times those.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EncoderBenchmark {

    static final int BATCH = 10_000;

    @Param({"sensor", "wide"})
    public String shape;

    @Param({"bytes", "map"})
    public String input;

    private RecordEncoder encoder;
    private SinkRecord[] records;
    private long jsonBytes;
    private final RowBinaryBuffer out = new RowBinaryBuffer(1 << 20);
    private final BitSet omitted = new BitSet();

    @Setup(Level.Trial)
    public void setUp() {
        List<Column> cols = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        Random rnd = new Random(5);
        if (shape.equals("sensor")) {
            cols.add(col("device_id", "UInt32"));
            cols.add(col("timestamp", "DateTime"));
            cols.add(col("temperature", "Float64"));
            for (int i = 0; i < BATCH; i++) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("device_id", (long) rnd.nextInt(1000));
                m.put("timestamp", String.format(Locale.ROOT, "2026-11-21T07:%02d:%02d.%03dZ", rnd.nextInt(60),
                        rnd.nextInt(60), rnd.nextInt(1000)));
                m.put("temperature", Math.round(rnd.nextGaussian() * 100) / 10.0);
                rows.add(m);
            }
        } else {
            cols.add(col("event_id", "UInt64"));
            cols.add(col("event_time", "DateTime"));
            cols.add(col("account_id", "UInt32"));
            for (String s : new String[] {"session_id", "event_type", "country", "city", "user_agent", "url",
                "referrer", "message"}) {
                cols.add(col(s, "String"));
            }
            for (int i = 0; i < 6; i++) {
                cols.add(col("metric_" + i, "Float64"));
            }
            for (int i = 0; i < 4; i++) {
                cols.add(col("count_" + i, "Int64"));
            }
            cols.add(col("is_mobile", "UInt8"));
            cols.add(col("status", "UInt16"));
            cols.add(col("latency_ms", "UInt32"));
            String[] words = {"order", "cart", "payment", "accepted", "declined", "retry", "session", "timeout"};
            for (int i = 0; i < BATCH; i++) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("event_id", 1_000_000_000L + i);
                m.put("event_time", "2026-11-21T07:00:" + String.format(Locale.ROOT, "%02d", i % 60) + "Z");
                m.put("account_id", (long) rnd.nextInt(1_000_000));
                m.put("session_id", Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong()));
                m.put("event_type", words[rnd.nextInt(words.length)]);
                m.put("country", "DE");
                m.put("city", "Berlin");
                m.put("user_agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                        + "Chrome/125.0.0.0 Safari/537.36");
                m.put("url", "https://shop.example.com/" + words[rnd.nextInt(words.length)] + "/" + rnd.nextInt(100_000));
                m.put("referrer", "https://search.example.org/q?term=" + words[rnd.nextInt(words.length)]);
                StringBuilder msg = new StringBuilder();
                for (int w = 0; w < 48; w++) {
                    msg.append(w == 0 ? "" : " ").append(words[rnd.nextInt(words.length)]);
                }
                m.put("message", msg.toString());
                for (int k = 0; k < 6; k++) {
                    m.put("metric_" + k, Math.round(rnd.nextGaussian() * 1_000_000) / 10_000.0);
                }
                for (int k = 0; k < 4; k++) {
                    m.put("count_" + k, (long) rnd.nextInt(1_000_000));
                }
                m.put("is_mobile", (long) (rnd.nextBoolean() ? 1 : 0));
                m.put("status", 200L);
                m.put("latency_ms", (long) rnd.nextInt(5000));
                rows.add(m);
            }
        }
        cols.add(col("_kafka_partition", "UInt32"));
        cols.add(col("_kafka_offset", "UInt64"));
        encoder = new RecordEncoder(new TableSchema("default", "t", cols), false);
        records = new SinkRecord[BATCH];
        for (int i = 0; i < BATCH; i++) {
            byte[] json = toJson(rows.get(i)).getBytes(UTF_8);
            jsonBytes += json.length;
            Object value = input.equals("bytes") ? json : rows.get(i);
            records[i] = new SinkRecord("t", 0, null, null, null, value, i);
        }
        out.reset();
        try {
            encode();
        } catch (RecordEncodingException e) {
            throw new IllegalStateException(e);
        }
        // MB/s = the score (rows/s) times these bytes per row.
        System.out.printf(Locale.ROOT, "%n%s/%s: %.0f bytes of JSON and %.0f bytes of RowBinary per row%n", shape, input,
                (double) jsonBytes / BATCH, (double) out.size() / BATCH);
    }

    private static Column col(String name, String type) {
        return new Column(name, ClickHouseTypeParser.parse(type), false);
    }

    private static String toJson(Map<String, Object> m) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, Object> e : m.entrySet()) {
            b.append(b.length() == 1 ? "" : ",").append('"').append(e.getKey()).append("\":");
            b.append(e.getValue() instanceof String ? "\"" + e.getValue() + "\"" : String.valueOf(e.getValue()));
        }
        return b.append('}').toString();
    }

    /** Encodes one batch of records into a reused buffer; returns its size so nothing is optimised away. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int encode() throws RecordEncodingException {
        out.reset();
        for (SinkRecord r : records) {
            encoder.encode(r, out, omitted);
        }
        return out.size();
    }
}
