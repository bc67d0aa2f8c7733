package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.local.LocalStack;
import io.sluice.local.pipeline.SensorPipeline;
import io.sluice.producer.ProduceResult;
import io.sluice.producer.ProgressListener;
import io.sluice.producer.ReadingProducer;
import io.sluice.producer.SensorSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A partial batch is inserted as soon as the task is caught up, not when {@code flush.interval.ms} runs out: with
 * the interval set to an hour and batches far larger than the topic, a few readings must still reach ClickHouse.
 * Before the caught-up flush they sat in the task's buffer for the whole hour (the bench's two timing modes came
 * from the same wait, BENCHMARKS.md). The 2-minute bound is a liveness bound, not a speed assertion.
 */
class CaughtUpFlushIT {

    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = Stack.start("caught-up");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void partialBatchIsInsertedOnceTheTopicIsDrained() throws Exception {
        SensorPipeline p = new SensorPipeline(stack, "caught-up-readings", "caught_up_readings");
        p.createTopicAndTable(2);
        Map<String, String> cfg = p.sinkConfig(2, null);
        cfg.put("flush.interval.ms", "3600000");
        cfg.put("batch.max.rows", "1000000");
        p.deploySink("caught-up-sink", cfg);

        int n = 500;
        try (ReadingProducer producer = new ReadingProducer(p.topic(),
                ReadingProducer.defaultConfig(stack.bootstrapServers()), ReadingProducer.DEFAULT_CLOSE_TIMEOUT)) {
            ProduceResult result = producer.run(List.of(SensorSimulator.builder().devices(20).count(n).seed(30)
                    .startTime(Instant.parse("2026-11-30T00:00:00Z")).paced(false).build()),
                    ProgressListener.NONE, Duration.ofSeconds(1));
            assertThat(result.records()).isEqualTo(n);
        }

        Waits.until(Duration.ofMinutes(2), () -> p.rowCount() == n,
                () -> p.rowCount() + " of " + n + " rows; task failure: "
                        + KafkaState.failedTrace(stack.connect(), "caught-up-sink"));
        assertThat(stack.clickHouse().scalar("SELECT uniqExact(_kafka_partition, _kafka_offset) FROM "
                + p.table())).isEqualTo(n);
    }
}
