package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.local.LocalStack;
import io.sluice.local.pipeline.SensorPipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The resume check's memory (issue 13, case 7). A partition whose consumer offsets were reset sits in front of a
 * table that already holds its rows far beyond the resume position: here 40,000,000 offsets of one partition. The
 * check read every one of them into one String and one array, and the worker (a child JVM with a 768 MB heap, as
 * {@code ConnectWorkerProcess} runs it) ran out of memory. Read in bounded windows, only as far as records arrive,
 * the 100 records are recognised as written and skipped.
 */
class ResumeMemoryIT {

    private static final long ROWS = 40_000_000;
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = Stack.start("resume-memory", true);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aResetPartitionInFrontOfMillionsOfWrittenOffsetsResumesInBoundedMemory() throws Exception {
        String topic = "reset-in";
        SensorPipeline.createTopic(stack.bootstrapServers(), topic, 1);
        stack.clickHouse().execute("CREATE TABLE reset_rows (id UInt64, _kafka_topic String, _kafka_partition UInt32, "
                + "_kafka_offset UInt64) ENGINE = MergeTree() ORDER BY (_kafka_topic, _kafka_partition, _kafka_offset)");
        stack.clickHouse().execute("INSERT INTO reset_rows SELECT number + 1, 'reset-in', 0, number FROM numbers("
                + ROWS + ")");
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            values.add("{\"id\":" + i + "}");
        }
        KafkaState kafka = new KafkaState(stack.bootstrapServers());
        kafka.send(topic, values);
        stack.connect().putConnector("reset-sink", new SensorPipeline(stack, topic, "reset_rows").sinkConfig(1, null));
        stack.connect().awaitRunning("reset-sink", 1, Duration.ofSeconds(60));
        assertThat(kafka.awaitCommittedOrFailed(stack.connect(), "reset-sink", topic, 1)).as("task failure").isNull();
        assertThat(stack.clickHouse().scalar("SELECT count() FROM reset_rows")).isEqualTo(ROWS);
        stack.connect().deleteConnector("reset-sink");
    }
}
