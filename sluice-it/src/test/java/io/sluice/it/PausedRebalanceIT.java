package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.local.LocalStack;
import io.sluice.local.pipeline.SensorPipeline;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rebalance while the task holds its partitions paused (back pressure: a full batch waits for the table's
 * running insert). Kafka Connect remembers the partitions a task paused and pauses them again when they are
 * assigned anew (WorkerSinkTask, on partitions assigned). The task forgot its pauses when the partitions were
 * closed but never resumed them, so a partition it got back stayed paused for good: the sink stopped consuming it
 * without an error (seen in the sink benchmark when the second task joined while the first had a full batch
 * waiting: 2 of 13 runs stalled at about two thirds of the rows).
 *
 * <p>Here every insert takes 1 s on the server ({@code DEFAULT sleep(1)}) and batches are 100 rows, polled 50 at a
 * time, so the task holds its two partitions paused most of the time. A second member joins the connector's
 * consumer group while an insert runs (the task keeps one partition through the rebalance) and leaves again (the
 * task gets both back); every row must then arrive exactly once.
 */
class PausedRebalanceIT {

    private static final Logger log = LoggerFactory.getLogger(PausedRebalanceIT.class);
    private static final int PER_PARTITION = 400;

    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = Stack.start("paused-rebalance");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void partitionsPausedWhenTheyWereClosedAreResumedWhenAssignedAgain() throws Exception {
        String topic = "paused-in";
        String connector = "paused-sink";
        SensorPipeline.createTopic(stack.bootstrapServers(), topic, 2);
        stack.clickHouse().execute("CREATE TABLE paused_rows (id UInt64, pause UInt8 DEFAULT sleep(1), "
                + "_kafka_topic String, _kafka_partition UInt32, _kafka_offset UInt64) ENGINE = MergeTree() "
                + "ORDER BY (_kafka_topic, _kafka_partition, _kafka_offset)");
        send(topic);
        Map<String, String> c = new SensorPipeline(stack, topic, "paused_rows").sinkConfig(1, null);
        c.put("batch.max.rows", "100");
        c.put("consumer.override.max.poll.records", "50");
        stack.connect().putConnector(connector, c);
        stack.connect().awaitRunning(connector, 1, Duration.ofSeconds(60));

        // Join while an insert runs: the next batch is full by then, and the task's partitions are paused.
        Waits.until(Duration.ofSeconds(60), () -> stack.clickHouse().scalar("SELECT count() FROM system.processes "
                + "WHERE query LIKE 'INSERT INTO `default`.`paused_rows`%'") > 0, () -> "no insert running");
        Thread.sleep(300);
        Set<TopicPartition> taken = joinAndLeave("connect-" + connector, topic);
        log.info("A second group member took {} and left again", taken);

        KafkaState kafka = new KafkaState(stack.bootstrapServers());
        assertThat(kafka.awaitCommittedOrFailed(stack.connect(), connector, topic, 2)).isNull();
        int rows = 2 * PER_PARTITION;
        assertThat(stack.clickHouse().rows("SELECT count(), uniqExact(_kafka_partition, _kafka_offset), sum(id) "
                + "FROM paused_rows").get(0)).containsExactly(String.valueOf(rows), String.valueOf(rows),
                String.valueOf((long) rows * (rows + 1) / 2));
        stack.connect().deleteConnector(connector);
    }

    /** Sends ids 1..800 as {"id": n}, alternating between partitions 0 and 1. */
    private static void send(String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            for (int id = 1; id <= 2 * PER_PARTITION; id++) {
                producer.send(new ProducerRecord<>(topic, id % 2, null, "{\"id\":" + id + "}"));
            }
            producer.flush();
        }
    }

    /**
     * Joins the consumer group, waits for a partition (the group rebalances: the task's partitions are revoked and
     * one is assigned back to it), and leaves again (a second rebalance gives the task both), committing nothing.
     *
     * @return the partitions this member held
     */
    private static Set<TopicPartition> joinAndLeave(String group, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 60_000;
            while (c.assignment().isEmpty()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("the second member got no partition within 60 s");
                }
                c.poll(Duration.ofMillis(100));
            }
            return Set.copyOf(c.assignment());
        }
    }
}
