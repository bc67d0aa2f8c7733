package io.sluice.sink.clickhouse.chdb;

import io.sluice.sink.clickhouse.encode.RecordEncoder;
import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.encode.rowbinary.Encoders;
import io.sluice.sink.clickhouse.encode.rowbinary.RowBinaryBuffer;
import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The shared RowBinary type cases of {@code src/test/resources/rowbinary-cases.tsv} (the file's header explains
 * the columns), and the plumbing to encode one value with the sink's {@link RecordEncoder} into a single-column
 * RowBinary file and to ask a server whether it decodes to the expected value.
 */
public final class RowBinaryCases {

    /** One line of the case table. */
    public static final class Case {
        final int line;
        final boolean modernOnly;
        final String type;
        final String inputJson;
        final String expectedSql;

        Case(int line, boolean modernOnly, String type, String inputJson, String expectedSql) {
            this.line = line;
            this.modernOnly = modernOnly;
            this.type = type;
            this.inputJson = inputJson;
            this.expectedSql = expectedSql;
        }

        @Override
        public String toString() {
            return "case line " + line + ": " + type + " <- " + inputJson;
        }
    }

    private RowBinaryCases() {
    }

    /** Loads every case of the table. */
    public static List<Case> load() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = RowBinaryCases.class.getResourceAsStream("/rowbinary-cases.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank() || lines[i].startsWith("#")) {
                    continue;
                }
                String[] f = lines[i].split("\t");
                if (f.length != 4 || !(f[0].equals("all") || f[0].equals("modern"))) {
                    throw new IllegalStateException("rowbinary-cases.tsv line " + (i + 1) + " is malformed: " + lines[i]);
                }
                cases.add(new Case(i + 1, f[0].equals("modern"), f[1], f[2], f[3]));
            }
        }
        return cases;
    }

    /** Turns JSON text into a Connect value the way a worker's schemaless JsonConverter does. */
    public static Object connectValue(String json) {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", "false"), false);
        return c.toConnectData("t", ("{\"v\": " + json + "}").getBytes(StandardCharsets.UTF_8)).value();
    }

    /**
     * Encodes one record value (a Map or Struct with field {@code v}) as a one-column row of type {@code type}.
     *
     * @return the RowBinary bytes of the row
     */
    public static byte[] encode(String type, Object recordValue) throws RecordEncodingException {
        TableSchema schema = new TableSchema("default", "cases", List.of(
                new Column("v", ClickHouseTypeParser.parse(type), false)));
        RowBinaryBuffer out = new RowBinaryBuffer(64);
        new RecordEncoder(schema, true).encode(new SinkRecord("t", 0, null, null, null, recordValue, 0L), out,
                new BitSet());
        return java.util.Arrays.copyOf(out.array(), out.size());
    }

    /** Writes bytes to a file. */
    public static void write(Path file, byte[] bytes) throws IOException {
        try (OutputStream o = Files.newOutputStream(file)) {
            o.write(bytes);
        }
    }

    /** Quotes text as a ClickHouse string literal. */
    public static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /**
     * Returns the query that decodes a one-column RowBinary file and evaluates the expectation next to it:
     * one JSONEachRow row with keys {@code v} (decoded) and {@code e} (expected).
     */
    public static String compareQuery(Path file, String type, String expectedSql) {
        // The sink's own insert settings for the type (the JSON one), so the test also proves they are right;
        // flatten_nested = 0 keeps a Nested(...) column one Array(Tuple(...)), as in tables created so.
        List<String> settings = new ArrayList<>(Encoders.insertSettings(List.of(ClickHouseTypeParser.parse(type))));
        settings.add("flatten_nested=0");
        return "SELECT v, CAST(" + expectedSql + " AS " + type + ") AS e FROM file(" + literal(file.toString())
                + ", 'RowBinary', " + literal("v " + type) + ") SETTINGS " + String.join(", ", settings);
    }
}
