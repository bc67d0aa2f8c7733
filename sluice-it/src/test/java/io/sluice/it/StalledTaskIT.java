package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.local.LocalStack;
import io.sluice.local.connect.ConnectWorkerProcess;
import io.sluice.local.pipeline.SensorPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task stalled by a slow server while its partitions move (issue 13, case 2), on a Connect cluster of three
 * worker JVMs. Every insert takes about 6 s on the server ({@code p1 DEFAULT sleep(3)}, {@code p2 DEFAULT
 * sleep(2.99)}: distinct sleeps add up, one block each), longer than the sink consumers' {@code max.poll.interval.ms}
 * of 4 s. A task whose {@code put()} waited for a running insert (back pressure) missed its poll deadline, was
 * ejected from the group, and its partitions went to another task while its own insert still ran, and its
 * {@code close()} then inserted rows it no longer owned: duplicates. Then every worker is stopped while inserts
 * run, just after an insert started; once their JVMs are gone, no insert of theirs may still run on the server
 * (18.16 cannot kill an INSERT, so a stopped task must wait for its inserts, and Kafka Connect gives it
 * {@code task.shutdown.graceful.timeout.ms}, 8 s here, above the 6 s insert; a task that instead inserted its
 * buffered rows as it closed was abandoned mid-insert, and the insert landed after its worker had exited). A single
 * worker then finishes the topic: every record must be one row.
 */
class StalledTaskIT {

    private static final Logger log = LoggerFactory.getLogger(StalledTaskIT.class);
    private static final int PARTITIONS = 3;
    private static final int RECORDS = 9_000;
    private static final Map<String, String> WORKER = Map.of("task.shutdown.graceful.timeout.ms", "8000");

    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = Stack.prepare("stalled-task").workerInChildProcess().workerOverrides(WORKER).start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aTaskStalledPastThePollIntervalWritesNothingAfterItsPartitionsMoveAndLeavesNoInsertRunning()
            throws Exception {
        long t0 = System.nanoTime();
        String topic = "stall-in";
        SensorPipeline.createTopic(stack.bootstrapServers(), topic, PARTITIONS);
        stack.clickHouse().execute("CREATE TABLE stall_rows (id UInt64, p1 UInt8 DEFAULT sleep(3), "
                + "p2 UInt8 DEFAULT sleep(2.99), _kafka_topic String, _kafka_partition UInt32, _kafka_offset UInt64) "
                + "ENGINE = MergeTree() ORDER BY (_kafka_topic, _kafka_partition, _kafka_offset)");
        ConnectWorkerProcess first = stack.connectWorkerProcess();
        Path work = first.logFile().getParent().getParent();
        ConnectWorkerProcess second = worker(work, 2);
        ConnectWorkerProcess third = worker(work, 3);
        try {
            second.start();
            run(topic, first, second, third, t0);
        } finally {
            second.kill();
            third.kill();
        }
    }

    private void run(String topic, ConnectWorkerProcess first, ConnectWorkerProcess second,
            ConnectWorkerProcess third, long t0) throws Exception {
        Map<String, String> c = new SensorPipeline(stack, topic, "stall_rows").sinkConfig(PARTITIONS, null);
        c.put("batch.max.rows", "1000");
        c.put("flush.interval.ms", "500");
        c.put("consumer.override.max.poll.interval.ms", "4000");
        c.put("consumer.override.session.timeout.ms", "6000");
        c.put("consumer.override.heartbeat.interval.ms", "1500");
        c.put("consumer.override.max.poll.records", "2000");
        stack.connect().putConnector("stall-sink", c);
        stack.connect().awaitRunning("stall-sink", PARTITIONS, Duration.ofSeconds(60));
        produce(topic, 1, RECORDS / 2);

        // Workers join and leave while every task's inserts are slower than its poll interval.
        Waits.until(Duration.ofSeconds(60), () -> runningInserts() > 0, () -> "no insert started");
        Thread.sleep(5_000);
        third.start();
        Thread.sleep(6_000);
        second.stop(Duration.ofSeconds(30));

        // Stop every worker just after an insert started; once the JVMs are gone no insert of theirs may remain.
        // The second half is sent only now, so inserts are still to come however fast the first half went.
        produce(topic, RECORDS / 2 + 1, RECORDS);
        Waits.until(Duration.ofSeconds(60), () -> stack.clickHouse().scalar("SELECT count() FROM system.processes "
                + "WHERE query LIKE 'INSERT INTO %stall_rows%' AND elapsed < 1") > 0, () -> "no insert starting");
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> first.stop(Duration.ofSeconds(30)));
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> third.stop(Duration.ofSeconds(30)));
        CompletableFuture.allOf(a, b).get();
        long orphaned = runningInserts();
        long rowsAtStop = rows();
        Waits.until(Duration.ofSeconds(60), () -> runningInserts() == 0, () -> "inserts still running");
        long landedAfterStop = rows() - rowsAtStop;
        log.info("After every worker stopped: {} inserts still running, {} rows landed after the stop", orphaned,
                landedAfterStop);

        // One worker finishes the topic.
        first.start();
        KafkaState kafka = new KafkaState(stack.bootstrapServers());
        assertThat(kafka.awaitCommittedOrFailed(stack.connect(), "stall-sink", topic, PARTITIONS)).isNull();
        Waits.until(Duration.ofSeconds(60), () -> runningInserts() == 0, () -> "inserts still running");
        String[] r = stack.clickHouse().rows("SELECT count(), uniqExact(_kafka_partition, _kafka_offset), "
                + "sum(id) FROM stall_rows").get(0);
        log.info("stall_rows: {} rows, {} distinct coordinates, sum {} (expected {} once); {} s", r[0], r[1],
                r[2], RECORDS, (System.nanoTime() - t0) / 1_000_000_000);
        stack.connect().deleteConnector("stall-sink");
        assertThat(orphaned).as("inserts still running after every worker stopped").isZero();
        assertThat(landedAfterStop).as("rows landed after every worker stopped").isZero();
        assertThat(r).containsExactly(String.valueOf(RECORDS), String.valueOf(RECORDS),
                String.valueOf((long) RECORDS * (RECORDS + 1) / 2));
    }

    private static ConnectWorkerProcess worker(Path work, int n) {
        return new ConnectWorkerProcess(stack.bootstrapServers(), work.resolve("connect/plugins"), work,
                work.resolve("connect-" + n), 0, WORKER);
    }

    /** Sends ids {@code from..to} (inclusive) round-robin over the partitions. */
    private static void produce(String topic, int from, int to) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> p = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (int i = from; i <= to; i++) {
                p.send(new ProducerRecord<>(topic, i % PARTITIONS, null, "{\"id\":" + i + "}"));
            }
            p.flush();
        }
    }

    private static long runningInserts() {
        return stack.clickHouse().scalar("SELECT count() FROM system.processes WHERE query LIKE 'INSERT INTO %stall_rows%'");
    }

    private static long rows() {
        return stack.clickHouse().scalar("SELECT count() FROM stall_rows");
    }
}
