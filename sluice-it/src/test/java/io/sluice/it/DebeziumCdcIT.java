package io.sluice.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.it.DebeziumEvents.Order;
import io.sluice.local.LocalStack;
import io.sluice.local.pipeline.SensorPipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sink's debezium mode and schema evolution on the real stack: Debezium-shaped change events (JSON with
 * schemas, as the MariaDB connector writes them) go through Kafka and the Connect worker into ClickHouse 18.16,
 * and {@code <table>_current} must equal the source table's state, also after every event is replayed and after a
 * column is added mid-stream.
 */
class DebeziumCdcIT {

    private static final String TOPIC = "dbserver.shop.orders";
    private static final String NO_KEY_TOPIC = "dbserver.shop.audit";
    private static final String DLQ = "cdc-dlq";
    private static final long T0 = 1_763_708_400_123_456L; // 2025-11-21T07:00:00.123456Z in microseconds

    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = Stack.start("cdc");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** A change event as produced: key and value JSON. */
    private static final class Event {
        final byte[] key;
        final byte[] value;

        Event(byte[] key, byte[] value) {
            this.key = key;
            this.value = value;
        }
    }

    @Test
    void changeEventsBuildTheCurrentStateIdempotentlyAndAddedColumnsArrive() throws Exception {
        SensorPipeline.createTopic(stack.bootstrapServers(), TOPIC, 1);
        SensorPipeline.createTopic(stack.bootstrapServers(), NO_KEY_TOPIC, 1);
        SensorPipeline.createTopic(stack.bootstrapServers(), DLQ, 1);
        stack.connect().putConnector("cdc-sink", sinkConfig());
        stack.connect().awaitRunning("cdc-sink", 1, Duration.ofSeconds(60));

        DebeziumEvents v1 = DebeziumEvents.orders();
        Map<Long, Order> state = new TreeMap<>();
        List<Event> events = new ArrayList<>();
        // Snapshot: 50 rows read at the snapshot's binlog position.
        for (long id = 1; id <= 50; id++) {
            Order o = new Order(id, "customer-" + id, id % 7 == 0 ? null : id + ".50", "new", T0 + id * 1_000_000L,
                    id % 3 == 0 ? null : 20_413 + (int) id, id * 1000, id % 5 == 0 ? null : "{\"n\":" + id + "}",
                    (int) (id * 37 % 4096), null);
            events.add(change(v1, "r", null, o, "mariadb-bin.000003", 1000, 0));
            state.put(id, o);
        }
        // One rows event inserting 51..60.
        for (long id = 51; id <= 60; id++) {
            Order o = new Order(id, "customer-" + id, "9.99", "new", T0, null, null, null, 1, null);
            events.add(change(v1, "c", null, o, "mariadb-bin.000003", 2000, (int) (id - 51)));
            state.put(id, o);
        }
        // Two updates of one row in one transaction: the second must win.
        events.add(update(v1, state, 5, "1.00", "paid", "mariadb-bin.000003", 3000, 0));
        events.add(update(v1, state, 5, "2.00", "shipped", "mariadb-bin.000003", 3100, 0));
        // One event updating three rows.
        for (int i = 0; i < 3; i++) {
            events.add(update(v1, state, 10 + i, "10.0" + i, "paid", "mariadb-bin.000003", 3200, i));
        }
        // Delete.
        events.add(change(v1, "d", state.remove(20L), null, "mariadb-bin.000003", 4000, 0));
        events.add(tombstone(v1, 20));
        // Primary key change 30 -> 300: delete of the old key, tombstone, create of the new key, one source row.
        Order old30 = state.remove(30L);
        Order moved = old30.withId(300);
        events.add(change(v1, "d", old30, null, "mariadb-bin.000003", 4200, 0));
        events.add(tombstone(v1, 30));
        events.add(change(v1, "c", null, moved, "mariadb-bin.000003", 4200, 0));
        state.put(300L, moved);
        // Delete and re-insert of the same key.
        events.add(change(v1, "d", state.remove(51L), null, "mariadb-bin.000003", 4300, 0));
        Order again = new Order(51, "back", "5.00", "new", T0, 20_500, null, "[]", 4095, null);
        events.add(change(v1, "c", null, again, "mariadb-bin.000003", 4400, 0));
        state.put(51L, again);
        // After a binlog rotation: an update, and BIGINT UNSIGNED's largest value (a negative long from Debezium).
        events.add(update(v1, state, 1, "0.01", "shipped", "mariadb-bin.000004", 256, 0));
        state.put(2L, state.get(2L).withBig(-1L));
        events.add(change(v1, "u", null, state.get(2L), "mariadb-bin.000004", 300, 0));

        send(TOPIC, events);
        // An event of a table without a primary key: dead-lettered, naming the table and the setting to use.
        send(NO_KEY_TOPIC, List.of(new Event(null, v1.value(NO_KEY_TOPIC, "c", null, state.get(1L),
                "mariadb-bin.000004", 400, 0))));

        awaitState(state, false);
        assertThat(stack.clickHouse().rows("SELECT count() FROM orders_current WHERE id IN (20, 30)").get(0)[0])
                .isEqualTo("0");
        KafkaState.DeadLetter dead = new KafkaState(stack.bootstrapServers()).firstDeadLetter(DLQ);
        assertThat(dead.sourceTopic()).isEqualTo(NO_KEY_TOPIC);
        assertThat(dead.reason()).contains("source table shop.orders has no primary key", "message.key.columns");

        // Replay everything (a connector restart from old offsets): the state must not change.
        send(TOPIC, events);
        awaitConsumed(TOPIC);
        assertThat(currentState(false)).containsExactlyElementsOf(expected(state, false));

        // ADD COLUMN note in the source: later events carry it; the column and the view follow without a restart.
        DebeziumEvents v2 = DebeziumEvents.withNote();
        List<Event> later = new ArrayList<>();
        Order noted = state.get(3L).with("3.33", "paid", "hello");
        later.add(change(v2, "u", null, noted, "mariadb-bin.000004", 500, 0));
        state.put(3L, noted);
        Order fresh = new Order(400, "new-customer", "4.00", "new", T0, null, null, null, 0, "first");
        later.add(change(v2, "c", null, fresh, "mariadb-bin.000004", 600, 0));
        state.put(400L, fresh);
        send(TOPIC, later);
        awaitState(state, true);

        // Old events replayed after the new column exists, in their old shape: still no change.
        send(TOPIC, events.subList(0, 30));
        awaitConsumed(TOPIC);
        stack.clickHouse().execute("OPTIMIZE TABLE orders FINAL");
        assertThat(currentState(true)).containsExactlyElementsOf(expected(state, true));
        assertThat(stack.clickHouse().rows("SELECT name, type FROM system.columns WHERE database = 'default' "
                + "AND table = 'orders' AND name IN ('id', 'amount', 'status', 'created', 'big', 'note') ORDER BY name"))
                .extracting(r -> r[0] + " " + r[1].replace("\\'", "'")).containsExactly("amount Nullable(Decimal(10, 2))",
                        "big Nullable(UInt64)", "created DateTime('UTC')", "id UInt32", "note Nullable(String)",
                        "status Enum8('' = 0, 'new' = 1, 'paid' = 2, 'shipped' = 3)");
    }

    /**
     * Two source tables of one name in different databases map to one ClickHouse table by default (issue 13,
     * case 9): where keys are equal, one source's rows silently overwrote the other's. The created table names its
     * source table, and the second source stops the task, naming both and the setting that separates them.
     */
    @Test
    void twoSourceTablesOfOneNameDoNotShareATable() throws Exception {
        String first = "dbserver.east.parcels";
        String second = "dbserver.west.parcels";
        for (String t : List.of(first, second)) {
            SensorPipeline.createTopic(stack.bootstrapServers(), t, 1);
        }
        stack.connect().putConnector("parcels-sink", cdcConfig(first + "," + second));
        stack.connect().awaitRunning("parcels-sink", 1, Duration.ofSeconds(60));
        KafkaState kafka = new KafkaState(stack.bootstrapServers());
        Order o = new Order(1, "east-1", "1.00", "new", T0, null, null, null, 1, null);
        send(first, List.of(changeOf(DebeziumEvents.ordersShaped("east", "parcels"), first, o)));
        assertThat(kafka.awaitCommittedOrFailed(stack.connect(), "parcels-sink", first, 1)).isNull();
        Order w = new Order(1, "west-1", "2.00", "paid", T0, null, null, null, 1, null);
        send(second, List.of(changeOf(DebeziumEvents.ordersShaped("west", "parcels"), second, w)));
        String trace = kafka.awaitCommittedOrFailed(stack.connect(), "parcels-sink", second, 1);
        assertThat(trace).as("the second source table must stop the task, not overwrite the first").isNotNull()
                .contains("default.parcels holds the rows of source table east.parcels",
                        "source table west.parcels", "topic.to.table");
        assertThat(stack.clickHouse().rows("SELECT customer FROM parcels_current").get(0)).containsExactly("east-1");
        stack.connect().deleteConnector("parcels-sink");
    }

    /**
     * A real table named like the current-state view (a source table {@code x_current}, or a user's table) is never
     * renamed away and dropped (issue 13, case 10): the sink replaces only views, and stops naming the table.
     */
    @Test
    void aRealTableNamedLikeTheViewIsNeverReplaced() throws Exception {
        String topic = "dbserver.guard.guarded";
        SensorPipeline.createTopic(stack.bootstrapServers(), topic, 1);
        stack.clickHouse().execute("CREATE TABLE guarded_current (id UInt64, kept String) ENGINE = MergeTree() "
                + "ORDER BY id");
        stack.clickHouse().execute("INSERT INTO guarded_current VALUES (1, 'precious'), (2, 'data')");
        stack.connect().putConnector("guarded-sink", cdcConfig(topic));
        stack.connect().awaitRunning("guarded-sink", 1, Duration.ofSeconds(60));
        Order o = new Order(1, "g", "1.00", "new", T0, null, null, null, 1, null);
        send(topic, List.of(changeOf(DebeziumEvents.ordersShaped("guard", "guarded"), topic, o)));
        String trace = new KafkaState(stack.bootstrapServers()).awaitCommittedOrFailed(stack.connect(),
                "guarded-sink", topic, 1);
        assertThat(trace).as("the sink must refuse to replace a table that is not a view").isNotNull()
                .contains("default.guarded_current is a MergeTree table, not the current-state view");
        assertThat(stack.clickHouse().rows("SELECT count(), groupArray(kept) FROM guarded_current").get(0))
                .containsExactly("2", "['precious','data']");
        stack.connect().deleteConnector("guarded-sink");
    }

    private static Map<String, String> cdcConfig(String topics) {
        Map<String, String> c = baseConfig(topics);
        c.put("ingest.mode", "debezium");
        c.put("value.converter.replace.null.with.default", "false");
        return c;
    }

    private static Event changeOf(DebeziumEvents e, String topic, Order o) {
        return new Event(e.key(topic, o.id), e.value(topic, "c", null, o, "mariadb-bin.000003", 100, 0));
    }

    /** Schemaless JSON as a Map (JsonConverter) and as text parsed by the sink (ByteArrayConverter). */
    @ParameterizedTest
    @ValueSource(strings = {"map", "text"})
    void appendModeAddsColumnsForNewFieldsAndRecoversWhenAColumnIsDroppedUnderIt(String form) throws Exception {
        String topic = "evolving_" + form;
        String table = topic;
        String connector = topic + "-sink";
        SensorPipeline.createTopic(stack.bootstrapServers(), topic, 1);
        Map<String, String> c = baseConfig(topic);
        if (form.equals("text")) {
            c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        } else {
            c.put("value.converter.schemas.enable", "false");
        }
        c.put("schema.evolution", "add_columns");
        stack.connect().putConnector(connector, c);
        stack.connect().awaitRunning(connector, 1, Duration.ofSeconds(60));

        sendJson(topic, 0, 100, false);
        Waits.until(Duration.ofSeconds(60), () -> count(table) >= 100, () -> "rows " + count(table));
        sendJson(topic, 100, 100, true);
        Waits.until(Duration.ofSeconds(60), () -> count(table) >= 200, () -> "rows " + count(table));
        assertThat(stack.clickHouse().rows("SELECT countIf(extra != ''), sum(v) FROM " + table).get(0))
                .containsExactly("100", String.valueOf(sumV(0, 200)));

        // Someone drops a column the sink has cached: the insert is refused (NO_SUCH_COLUMN_IN_TABLE), the sink
        // re-reads the table, re-encodes the records (adding the column back, as they still carry the field).
        stack.clickHouse().execute("ALTER TABLE " + table + " DROP COLUMN v");
        sendJson(topic, 200, 100, true);
        Waits.until(Duration.ofSeconds(60), () -> count(table) >= 300, () -> "rows " + count(table)
                + ", connector " + stack.connect().status(connector));
        awaitConsumed(topic);
        assertThat(stack.clickHouse().rows("SELECT count(), uniqExact(_kafka_offset), sum(v), countIf(extra != '') "
                + "FROM " + table).get(0)).containsExactly("300", "300", String.valueOf(sumV(200, 300)), "200");
    }

    private static long sumV(int from, int to) {
        long s = 0;
        for (int i = from; i < to; i++) {
            s += i * 3L;
        }
        return s;
    }

    private static long count(String table) {
        try {
            return stack.clickHouse().scalar("SELECT count() FROM " + table);
        } catch (IllegalStateException e) {
            return 0; // not created yet
        }
    }

    private static void sendJson(String topic, int from, int n, boolean extra) {
        List<Event> events = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            String json = "{\"id\":" + i + ",\"v\":" + (i * 3) + (extra ? ",\"extra\":\"x" + i + "\"" : "") + "}";
            events.add(new Event(null, json.getBytes(UTF_8)));
        }
        send(topic, events);
    }

    private static Map<String, String> baseConfig(String topics) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", SensorPipeline.SINK_CLASS);
        c.put("tasks.max", "1");
        c.put("topics", topics);
        c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("key.converter.schemas.enable", "true");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter.schemas.enable", "true");
        c.put("clickhouse.url", stack.clickHouseUrl());
        c.put("clickhouse.user", stack.clickHouseUser());
        c.put("clickhouse.password", stack.clickHousePasswordRef());
        c.put("table.auto.create", "true");
        c.put("flush.interval.ms", "200");
        return c;
    }

    private static Map<String, String> sinkConfig() {
        Map<String, String> c = cdcConfig(TOPIC + "," + NO_KEY_TOPIC);
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", DLQ);
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        return c;
    }

    private static Event change(DebeziumEvents e, String op, Order before, Order after, String file, long pos, int row) {
        long id = (after != null ? after : before).id;
        return new Event(e.key(TOPIC, id), e.value(TOPIC, op, before, after, file, pos, row));
    }

    private static Event update(DebeziumEvents e, Map<Long, Order> state, long id, String amount, String status,
                                String file, long pos, int row) {
        Order before = state.get(id);
        Order after = before.with(amount, status, before.note);
        state.put(id, after);
        return change(e, "u", before, after, file, pos, row);
    }

    private static Event tombstone(DebeziumEvents e, long id) {
        return new Event(e.key(TOPIC, id), null);
    }

    private static List<String> expected(Map<Long, Order> state, boolean withNote) {
        List<String> lines = new ArrayList<>();
        for (Order o : state.values()) {
            lines.add(DebeziumEvents.expectedLine(o, withNote));
        }
        return lines;
    }

    private static List<String> currentState(boolean withNote) {
        List<String> lines = new ArrayList<>();
        String cols = "id, customer, amount, status, created, ship_date, big, meta, flags" + (withNote ? ", note" : "");
        for (String[] r : stack.clickHouse().rows("SELECT " + cols + " FROM orders_current ORDER BY id")) {
            lines.add(String.join("\t", r));
        }
        return lines;
    }

    private static void awaitState(Map<Long, Order> state, boolean withNote) throws InterruptedException {
        List<String> want = expected(state, withNote);
        Waits.until(Duration.ofSeconds(90), () -> {
            try {
                return currentState(withNote).equals(want);
            } catch (IllegalStateException e) {
                return false; // table, view or column not there yet
            }
        }, () -> {
            try {
                return "orders_current differs: " + diff(want, currentState(withNote)) + "; connector "
                        + stack.connect().status("cdc-sink");
            } catch (IllegalStateException e) {
                return e.getMessage() + "; connector " + stack.connect().status("cdc-sink");
            }
        });
    }

    private static String diff(List<String> want, List<String> have) {
        List<String> missing = new ArrayList<>(want);
        missing.removeAll(have);
        List<String> extra = new ArrayList<>(have);
        extra.removeAll(want);
        return "missing " + missing + ", unexpected " + extra;
    }

    private static void send(String topic, List<Event> events) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Event e : events) {
                producer.send(new ProducerRecord<>(topic, 0, e.key, e.value));
            }
            producer.flush();
        }
    }

    /** Waits until the sink has committed the topic's end offset (every record was handled) and fails if it failed. */
    private static void awaitConsumed(String topic) throws Exception {
        String connector = topic.equals(TOPIC) ? "cdc-sink" : topic + "-sink";
        assertThat(new KafkaState(stack.bootstrapServers()).awaitCommittedOrFailed(stack.connect(), connector, topic,
                1)).as("task failure").isNull();
    }
}
