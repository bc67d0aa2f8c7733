package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.local.LocalStack;
import io.sluice.local.pipeline.SensorPipeline;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An insert whose outcome is unknown while the server is still executing it (issue 13, case 1). The table's
 * {@code pause UInt8 DEFAULT sleep(2)} makes every insert take 2 s on the server, before its block is written;
 * the sink's request timeout is 1 s. Asking the table which offsets landed right after the timeout saw nothing,
 * the batch was sent again, and then the first insert committed too: duplicates. The sink must wait until the
 * timed-out insert has left {@code system.processes} before it asks.
 */
class SlowInsertIT {

    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = Stack.start("slow-insert", true);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void anInsertStillRunningAfterTheClientTimedOutIsAwaitedNotRepeated() throws Exception {
        String topic = "slow-in";
        SensorPipeline.createTopic(stack.bootstrapServers(), topic, 1);
        stack.clickHouse().execute("CREATE TABLE slow_rows (id UInt64, pause UInt8 DEFAULT sleep(2), "
                + "_kafka_topic String, _kafka_partition UInt32, _kafka_offset UInt64) ENGINE = MergeTree() "
                + "ORDER BY (_kafka_topic, _kafka_partition, _kafka_offset)");
        Map<String, String> c = new SensorPipeline(stack, topic, "slow_rows").sinkConfig(1, null);
        c.put("clickhouse.request.timeout.ms", "1000");
        c.put("flush.interval.ms", "500");
        stack.connect().putConnector("slow-sink", c);
        stack.connect().awaitRunning("slow-sink", 1, Duration.ofSeconds(60));

        List<String> values = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            values.add("{\"id\":" + i + "}");
        }
        KafkaState kafka = new KafkaState(stack.bootstrapServers());
        kafka.send(topic, values);
        assertThat(kafka.awaitCommittedOrFailed(stack.connect(), "slow-sink", topic, 1)).isNull();
        assertThat(stack.clickHouse().rows("SELECT count(), uniqExact(_kafka_offset), sum(id) FROM slow_rows").get(0))
                .containsExactly("300", "300", String.valueOf(300 * 301 / 2));
        // The inserts did time out on the client: the test exercised the unknown-outcome path.
        assertThat(Files.readString(stack.connectWorkerProcess().logFile())).contains("rows for default.slow_rows had "
                + "landed before the failure");
        stack.connect().deleteConnector("slow-sink");
    }

    /**
     * A task stopped while its insert runs (issue 13, case 2): the connector is deleted during a 3 s insert and
     * created again at once. The stopped task writes nothing more and waits until its insert has left the server
     * (18.16 cannot kill an INSERT); the new task's partition waits for the inserts running into its table before
     * its resume check, so it sees the rows and writes nothing twice. {@code StalledTaskIT} covers inserts longer
     * than the poll interval on a cluster of workers.
     */
    @Test
    void aTaskStoppedDuringAnInsertWaitsForItSoTheNextTaskSkipsItsRows() throws Exception {
        String topic = "orphan-in";
        SensorPipeline.createTopic(stack.bootstrapServers(), topic, 1);
        stack.clickHouse().execute("CREATE TABLE orphan_rows (id UInt64, "
                + "pause UInt8 DEFAULT sleep(3), "
                + "_kafka_topic String, _kafka_partition UInt32, _kafka_offset UInt64) ENGINE = MergeTree() "
                + "ORDER BY (_kafka_topic, _kafka_partition, _kafka_offset)");
        Map<String, String> c = new SensorPipeline(stack, topic, "orphan_rows").sinkConfig(1, null);
        stack.connect().putConnector("orphan-sink", c);
        stack.connect().awaitRunning("orphan-sink", 1, Duration.ofSeconds(60));
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            values.add("{\"id\":" + i + "}");
        }
        KafkaState kafka = new KafkaState(stack.bootstrapServers());
        kafka.send(topic, values);
        Waits.until(Duration.ofSeconds(60), () -> runningInserts("orphan_rows") > 0, () -> "no insert running");
        stack.connect().deleteConnector("orphan-sink");
        stack.connect().putConnector("orphan-sink", c);
        assertThat(kafka.awaitCommittedOrFailed(stack.connect(), "orphan-sink", topic, 1)).isNull();
        Waits.until(Duration.ofSeconds(60), () -> runningInserts("orphan_rows") == 0, () -> "inserts still running");
        assertThat(stack.clickHouse().rows("SELECT count(), uniqExact(_kafka_offset), sum(id) FROM orphan_rows").get(0))
                .containsExactly("100", "100", String.valueOf(100 * 101 / 2));
        stack.connect().deleteConnector("orphan-sink");
    }

    private static long runningInserts(String table) {
        return stack.clickHouse().scalar("SELECT count() FROM system.processes WHERE query LIKE 'INSERT INTO %"
                + table + "%'");
    }
}
