package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.local.LocalStack;
import io.sluice.local.pipeline.SensorPipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Schema evolution with {@code errors.tolerance=all} (issue 13, case 8): no single record stops the task. Before the
 * fix each of these did: a field named {@code ""} (ClickHouse refuses the ALTER with a syntax error), a field name
 * of 300 characters (18.16 accepts the ALTER, then fails every insert into the table with "Cannot open file": the
 * column's file name is past the file system's limit), and a record with more new fields than the table may grow
 * by. Each now goes to the dead-letter queue with its reason in the headers, no column is added for it, and the
 * records around it land, including one whose new field is added.
 */
class SchemaEvolutionLimitsIT {

    private static final String TOPIC = "evolving_limits";
    private static final String DLQ = "evolving-limits-dlq";
    private static final int MAX_COLUMNS = 12;

    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = Stack.start("evolution-limits");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void fieldsThatCannotBecomeColumnsAreDeadLetteredAndTheTaskGoesOn() throws Exception {
        SensorPipeline.createTopic(stack.bootstrapServers(), TOPIC, 1);
        SensorPipeline.createTopic(stack.bootstrapServers(), DLQ, 1);
        stack.connect().putConnector("limits-sink", config());
        stack.connect().awaitRunning("limits-sink", 1, Duration.ofSeconds(60));
        KafkaState kafka = new KafkaState(stack.bootstrapServers());

        List<String> values = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            values.add("{\"id\":" + i + ",\"v\":" + i + "}");
        }
        values.add("{\"id\":10,\"v\":10,\"\":\"empty name\"}");
        values.add("{\"id\":11,\"v\":11,\"" + "k".repeat(300) + "\":\"long name\"}");
        StringBuilder wide = new StringBuilder("{\"id\":12,\"v\":12");
        for (int f = 0; f < 20; f++) {
            wide.append(",\"f").append(f).append("\":").append(f);
        }
        values.add(wide.append('}').toString());
        for (int i = 13; i < 20; i++) {
            values.add("{\"id\":" + i + ",\"v\":" + i + ",\"extra\":\"x" + i + "\"}");
        }
        kafka.send(TOPIC, values);

        String trace = kafka.awaitCommittedOrFailed(stack.connect(), "limits-sink", TOPIC, 1);
        assertThat(trace).as("no single record may stop the task").isNull();
        assertThat(stack.clickHouse().rows("SELECT count(), sum(id), countIf(extra != '') FROM " + TOPIC).get(0))
                .containsExactly("17", String.valueOf(190 - 10 - 11 - 12), "7");
        Map<Long, String> dead = kafka.deadLetterReasons(DLQ, TOPIC);
        assertThat(dead).containsOnlyKeys(10L, 11L, 12L);
        assertThat(dead.get(10L)).contains("empty field name");
        assertThat(dead.get(11L)).contains("300 characters", "column file name");
        assertThat(dead.get(12L)).contains("schema.evolution.max.columns=" + MAX_COLUMNS, "no column was added");
        long columns = stack.clickHouse().scalar("SELECT count() FROM system.columns WHERE database = 'default' "
                + "AND table = '" + TOPIC + "'");
        assertThat(columns).as("_kafka_topic, _kafka_partition, _kafka_offset, id, v, extra").isEqualTo(6);
    }

    private static Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", SensorPipeline.SINK_CLASS);
        c.put("tasks.max", "1");
        c.put("topics", TOPIC);
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter.schemas.enable", "false");
        c.put("clickhouse.url", stack.clickHouseUrl());
        c.put("clickhouse.user", stack.clickHouseUser());
        c.put("clickhouse.password", stack.clickHousePasswordRef());
        c.put("table.auto.create", "true");
        c.put("schema.evolution", "add_columns");
        c.put("schema.evolution.max.columns", String.valueOf(MAX_COLUMNS));
        c.put("flush.interval.ms", "200");
        c.put("retry.timeout.ms", "5000");
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", DLQ);
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        return c;
    }
}
