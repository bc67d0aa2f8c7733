package io.sluice.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.local.LocalStack;
import io.sluice.local.pipeline.SensorPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared RowBinary type cases ({@code sluice-clickhouse-sink/src/test/resources/rowbinary-cases.tsv}) that
 * ClickHouse 18.16 supports, end to end: one JSON record with a field per case goes through Kafka and the sink
 * (loaded from its plugin zip) into an 18.16 table, and every column must print exactly as 18.16 prints the
 * case's expected value. The sink module's RowBinaryChdbIT checks the same cases against a current ClickHouse, so
 * both servers decode our bytes alike. Also a Nested field split into flattened arrays, and a record whose Nested
 * arrays differ in length going to the dead-letter queue naming the field.
 */
class RowBinaryTypesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = Stack.start("types");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** A case line: column type, input JSON, expected SQL (see the file's header). */
    private static final class Case {
        final String column;
        final String type;
        final String input;
        final String expected;

        Case(String column, String type, String input, String expected) {
            this.column = column;
            this.type = type;
            this.input = input;
            this.expected = expected;
        }
    }

    @Test
    void sharedCasesDecodeOn1816AsExpected() throws Exception {
        String path = System.getProperty("sluice.rowbinary.cases");
        assertThat(path).as("failsafe sets sluice.rowbinary.cases").isNotNull();
        List<Case> cases = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of(path), UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t");
            if (f.length == 4 && f[0].equals("all")) {
                cases.add(new Case("c" + (i + 1), f[1], f[2], f[3]));
            }
        }
        assertThat(cases).hasSizeGreaterThan(40);

        StringBuilder ddl = new StringBuilder("CREATE TABLE types_1816 (");
        StringBuilder record = new StringBuilder("{");
        StringBuilder select = new StringBuilder("SELECT ");
        for (Case c : cases) {
            ddl.append(c.column).append(' ').append(c.type).append(", ");
            record.append('"').append(c.column).append("\": ").append(c.input).append(", ");
            select.append(c.column).append(", CAST(").append(c.expected).append(" AS ").append(c.type).append(") AS e_")
                    .append(c.column).append(", ");
        }
        ddl.append("n Nested(x Int32, y String), _kafka_topic String, _kafka_partition UInt32, _kafka_offset UInt64)"
                + " ENGINE = MergeTree() ORDER BY _kafka_offset");
        record.append("\"n\": [{\"x\": 1, \"y\": \"a\"}, {\"x\": -2, \"y\": \"b\"}]}");
        select.append("n.x, n.y FROM types_1816 FORMAT JSONEachRow");
        stack.clickHouse().execute(ddl.toString());
        String mismatch = "{\"n.x\": [1, 2], \"n.y\": [\"only one\"]}";

        SensorPipeline p = new SensorPipeline(stack, "types-in", "types_1816");
        SensorPipeline.createTopic(stack.bootstrapServers(), p.topic(), 1);
        p.deploySink("types-sink", p.sinkConfig(1, "types-dlq"));
        new KafkaState(stack.bootstrapServers()).send(p.topic(), List.of(record.toString(), mismatch));

        Waits.until(Duration.ofSeconds(90), () -> p.rowCount() >= 1, () -> "rows " + p.rowCount());
        JsonNode row = JSON.readTree(stack.clickHouse().execute(select.toString()));
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            if (!row.get(c.column).equals(row.get("e_" + c.column))) {
                failures.add(c.column + " " + c.type + " <- " + c.input + ": decoded " + row.get(c.column)
                        + ", expected " + row.get("e_" + c.column));
            }
        }
        assertThat(failures).as("cases 18.16 decodes differently from what they should hold").isEmpty();
        assertThat(row.get("n.x").toString()).isEqualTo("[1,-2]");
        assertThat(row.get("n.y").toString()).isEqualTo("[\"a\",\"b\"]");

        String reason = new KafkaState(stack.bootstrapServers()).firstDeadLetter("types-dlq").reason();
        assertThat(reason).contains("column 'n'", "arrays of Nested 'n' must have equal lengths",
                "n.x has 2 elements and n.y has 1");
        assertThat(p.rowCount()).isEqualTo(1);
    }
}
