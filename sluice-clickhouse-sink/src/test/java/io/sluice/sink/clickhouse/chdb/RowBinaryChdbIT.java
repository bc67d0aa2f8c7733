package io.sluice.sink.clickhouse.chdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.sink.clickhouse.encode.RecordEncoder;
import io.sluice.sink.clickhouse.encode.rowbinary.RowBinaryBuffer;
import io.sluice.sink.clickhouse.http.ServerVersion;
import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.TableCreator;
import io.sluice.sink.clickhouse.schema.TypeMapping;
import io.sluice.sink.clickhouse.schema.TableCreatorTest;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sink's RowBinary bytes, decoded by a current ClickHouse engine (chDB 26.7, see {@link Chdb}): every case of
 * {@code rowbinary-cases.tsv} (schemaless JSON values, as from JsonConverter), values with Connect schemas and
 * logical types, and Nested columns. Each decoded value must print exactly as the engine prints the expected value
 * cast to the column type. Types follow ClickHouse's "Data types" reference and the RowBinary format page.
 */
class RowBinaryChdbIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Chdb chdb;

    @BeforeAll
    static void locateChdb() {
        chdb = Chdb.locate();
    }

    /** One value to encode into a one-column file, and the SQL of what the column must hold. */
    private static final class Probe {
        final String label;
        final String type;
        final Object recordValue;
        final String expectedSql;

        Probe(String label, String type, Object recordValue, String expectedSql) {
            this.label = label;
            this.type = type;
            this.recordValue = recordValue;
            this.expectedSql = expectedSql;
        }
    }

    @Test
    void everySharedCaseDecodesToItsExpectedValue() throws Exception {
        List<Probe> probes = new ArrayList<>();
        for (RowBinaryCases.Case c : RowBinaryCases.load()) {
            probes.add(new Probe(c.toString(), c.type, RowBinaryCases.connectValue(c.inputJson), c.expectedSql));
        }
        assertThat(probes).hasSizeGreaterThan(80);
        check("shared", probes);
    }

    @Test
    void connectSchemaValuesDecodeToTheirExpectedValues() throws Exception {
        List<Probe> probes = new ArrayList<>();
        Schema pair = SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA).field("b", Schema.OPTIONAL_STRING_SCHEMA).build();
        Schema decimal = Decimal.schema(2);
        probes.add(probe("Decimal(18, 4)", Decimal.schema(4), new BigDecimal("-1.5000"), "'-1.5'"));
        probes.add(probe("Decimal(38, 2)", decimal, new BigDecimal("-99999999999999999999999999999999999.99"),
                "'-99999999999999999999999999999999999.99'"));
        probes.add(probe("Decimal(76, 2)", decimal, new BigDecimal("0.01"), "'0.01'"));
        probes.add(probe("DateTime64(3, 'UTC')", Timestamp.SCHEMA, new java.util.Date(1795244400123L),
                "toDateTime64('2026-11-21 07:00:00.123', 3, 'UTC')"));
        probes.add(probe("DateTime('Europe/Berlin')", Timestamp.SCHEMA, new java.util.Date(1795244400123L),
                "toDateTime('2026-11-21 07:00:00', 'UTC')"));
        probes.add(probe("Date", Date.SCHEMA, new java.util.Date(20778L * 86_400_000L), "'2026-11-21'"));
        probes.add(probe("Date32", Date.SCHEMA, new java.util.Date(-25567L * 86_400_000L), "toDate32('1900-01-01')"));
        probes.add(probe("Date32", Schema.INT32_SCHEMA, -1, "toDate32('1969-12-31')"));
        probes.add(probe("DateTime64(9, 'UTC')", Schema.STRING_SCHEMA, "2026-11-21T07:00:00.123456789Z",
                "toDateTime64('2026-11-21 07:00:00.123456789', 9, 'UTC')"));
        probes.add(probe("UUID", Schema.STRING_SCHEMA, UUID.fromString("01020304-0506-0708-090a-0b0c0d0e0f10").toString(),
                "'01020304-0506-0708-090a-0b0c0d0e0f10'"));
        byte[] sixteen = new byte[16];
        for (int i = 0; i < 16; i++) {
            sixteen[i] = (byte) (i * 17);
        }
        probes.add(probe("FixedString(16)", Schema.BYTES_SCHEMA, sixteen, "unhex('00112233445566778899AABBCCDDEEFF')"));
        probes.add(probe("IPv6", Schema.BYTES_SCHEMA, sixteen, "toIPv6('11:2233:4455:6677:8899:aabb:ccdd:eeff')"));
        probes.add(probe("String", Schema.BYTES_SCHEMA, new byte[] {'a', 0, (byte) 0xFF}, "unhex('6100FF')"));
        probes.add(probe("Tuple(a Int32, b Nullable(String))", pair, new Struct(pair).put("a", 1).put("b", "x"), "tuple(1, 'x')"));
        probes.add(probe("Tuple(Int32, Nullable(String))", pair, new Struct(pair).put("a", -1), "tuple(-1, NULL)"));
        probes.add(probe("Array(Tuple(a Int32, b Nullable(String)))", SchemaBuilder.array(pair).build(),
                List.of(new Struct(pair).put("a", 1).put("b", "x"), new Struct(pair).put("a", 2)),
                "[tuple(1, 'x'), tuple(2, NULL)]"));
        Map<String, Object> money = new LinkedHashMap<>();
        money.put("eur", new BigDecimal("-1.25"));
        money.put("usd", null);
        probes.add(probe("Map(String, Nullable(Decimal(9, 2)))",
                SchemaBuilder.map(Schema.STRING_SCHEMA, Decimal.builder(2).optional().build()).build(), money,
                "map('eur', toDecimal32('-1.25', 2), 'usd', NULL)"));
        probes.add(probe("Int128", Schema.INT64_SCHEMA, Long.MIN_VALUE, "'-9223372036854775808'"));
        probes.add(probe("JSON", pair, new Struct(pair).put("a", 1).put("b", "x\"y"), "'{\"a\":1,\"b\":\"x\\\\\"y\"}'"));
        probes.add(probe("Nested(a Int32, b Nullable(String))", SchemaBuilder.array(pair).build(),
                List.of(new Struct(pair).put("a", 3)), "[tuple(3, NULL)]"));
        probes.add(probe("Enum8('on' = 1, 'off' = 0)", Schema.INT8_SCHEMA, (byte) 1, "'on'"));
        probes.add(probe("UInt256", Schema.STRING_SCHEMA, BigInteger.ONE.shiftLeft(255).toString(),
                "'57896044618658097711785492504343953926634992332820282019728792003956564819968'"));
        probes.add(probe("LowCardinality(Nullable(FixedString(2)))", Schema.OPTIONAL_STRING_SCHEMA, null, "NULL"));
        check("connect", probes);
    }

    private static Probe probe(String type, Schema fieldSchema, Object value, String expectedSql) {
        Schema schema = SchemaBuilder.struct().field("v", fieldSchema.isOptional() || value != null ? fieldSchema
                : SchemaBuilder.type(fieldSchema.type()).optional().build()).build();
        Struct s = new Struct(schema);
        if (value != null) {
            s.put("v", value);
        }
        return new Probe(type + " <- " + (value instanceof byte[] ? Arrays.toString((byte[]) value) : value), type, s,
                expectedSql);
    }

    @Test
    void nestedFieldsSplitIntoFlattenedArrays() throws Exception {
        TableSchema table = new TableSchema("default", "nested", List.of(
                new Column("id", ClickHouseTypeParser.parse("UInt32"), false),
                new Column("n.x", ClickHouseTypeParser.parse("Array(Int32)"), false),
                new Column("n.y", ClickHouseTypeParser.parse("Array(Nullable(String))"), false)));
        RecordEncoder encoder = new RecordEncoder(table, true);
        Schema item = SchemaBuilder.struct().field("x", Schema.INT32_SCHEMA).field("y", Schema.OPTIONAL_STRING_SCHEMA).build();
        Schema row = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA)
                .field("n", SchemaBuilder.array(item).optional().build()).build();
        List<Object> values = List.of(
                jsonRecord("{\"id\": 1, \"n\": [{\"x\": 1, \"y\": \"a\"}, {\"x\": -2, \"y\": null}]}"),
                new Struct(row).put("id", 2).put("n", List.of(new Struct(item).put("x", 7).put("y", "s"))),
                jsonRecord("{\"id\": 3, \"n.x\": [5, 6], \"n.y\": [\"p\", \"q\"]}"),
                jsonRecord("{\"id\": 4}"),
                jsonRecord("{\"id\": 5, \"n\": []}"));
        RowBinaryBuffer out = new RowBinaryBuffer(64);
        BitSet omitted = new BitSet();
        for (Object v : values) {
            encoder.encode(new SinkRecord("t", 0, null, null, null, v, 0L), out, omitted);
        }
        Path file = chdb.workDir().resolve("nested.bin");
        RowBinaryCases.write(file, Arrays.copyOf(out.array(), out.size()));
        String result = chdb.run(List.of("SELECT * FROM file(" + RowBinaryCases.literal(file.toString())
                + ", 'RowBinary', 'id UInt32, n Nested(x Int32, y Nullable(String))') ORDER BY id")).get(0);
        assertThat(result).isEqualTo("OK "
                + "{\"id\":1,\"n.x\":[1,-2],\"n.y\":[\"a\",null]}\n"
                + "{\"id\":2,\"n.x\":[7],\"n.y\":[\"s\"]}\n"
                + "{\"id\":3,\"n.x\":[5,6],\"n.y\":[\"p\",\"q\"]}\n"
                + "{\"id\":4,\"n.x\":[],\"n.y\":[]}\n"
                + "{\"id\":5,\"n.x\":[],\"n.y\":[]}");
    }

    @Test
    void autoCreatedTablesAcceptTheRecordsTheyWereCreatedFrom() throws Exception {
        SinkRecord record = TableCreatorTest.wideRecord();
        String ddl = new TableCreator(new TypeMapping(ServerVersion.parse("26.7.2"), t -> true))
                .createTableSql("default", "wide", record.value(), "", "");
        List<String> described = chdb.run(List.of(ddl, "DESCRIBE TABLE wide"));
        assertThat(described.get(0)).isEqualTo("OK");
        List<Column> columns = new ArrayList<>();
        List<String> structure = new ArrayList<>();
        for (String line : described.get(1).substring(3).split("\n")) {
            JsonNode c = JSON.readTree(line);
            columns.add(new Column(c.get("name").asText(), ClickHouseTypeParser.parse(c.get("type").asText()), false));
            // Current servers print named tuples over several lines; the parser above takes them as they are.
            structure.add(c.get("name").asText() + " " + c.get("type").asText().replaceAll("\\s+", " "));
        }
        RowBinaryBuffer out = new RowBinaryBuffer(64);
        new RecordEncoder(new TableSchema("default", "wide", columns), true).encode(record, out, new BitSet());
        Path file = chdb.workDir().resolve("wide.bin");
        RowBinaryCases.write(file, Arrays.copyOf(out.array(), out.size()));
        List<String> results = chdb.run(List.of(ddl, "INSERT INTO wide SELECT * FROM file("
                + RowBinaryCases.literal(file.toString()) + ", 'RowBinary', "
                + RowBinaryCases.literal(String.join(", ", structure)) + ")", "SELECT * FROM wide"));
        assertThat(results.get(1)).isEqualTo("OK");
        assertThat(results.get(2)).isEqualTo("OK {\"id\":1,\"price\":12.34,\"born\":\"1970-01-01\",\"at\":null,"
                + "\"ok\":true,\"tags\":{\"t\":1.5},\"items\":[{\"sku\":\"a\",\"qty\":null}],\"note\":null,"
                + "\"_kafka_topic\":\"t\",\"_kafka_partition\":0,\"_kafka_offset\":0}");
    }

    private static Object jsonRecord(String json) {
        org.apache.kafka.connect.json.JsonConverter c = new org.apache.kafka.connect.json.JsonConverter();
        c.configure(Map.of("schemas.enable", "false"), false);
        return c.toConnectData("t", json.getBytes(java.nio.charset.StandardCharsets.UTF_8)).value();
    }

    /** Encodes every probe into its own file, has chDB decode them all in one session, and compares. */
    private static void check(String prefix, List<Probe> probes) throws Exception {
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            Path file = chdb.workDir().resolve(prefix + "-" + i + ".bin");
            RowBinaryCases.write(file, RowBinaryCases.encode(p.type, p.recordValue));
            queries.add(RowBinaryCases.compareQuery(file, p.type, p.expectedSql));
        }
        List<String> results = chdb.run(queries);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            String r = results.get(i);
            String problem = null;
            if (!r.startsWith("OK ")) {
                problem = r;
            } else {
                String[] rows = r.substring(3).split("\n");
                JsonNode row = JSON.readTree(rows[0]);
                if (rows.length != 1) {
                    problem = rows.length + " rows decoded: " + r;
                } else if (!row.get("v").equals(row.get("e"))) {
                    problem = "decoded " + row.get("v") + ", expected " + row.get("e");
                }
            }
            if (problem != null) {
                failures.add(probes.get(i).label + ": " + problem + "\n    query: " + queries.get(i));
            }
        }
        assertThat(failures).as("cases chDB decodes differently from what they should hold").isEmpty();
    }
}
