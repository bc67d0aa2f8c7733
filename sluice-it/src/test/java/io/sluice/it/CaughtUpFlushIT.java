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
 * When a task inserts partial batches. A partial batch is inserted as soon as the task is caught up, not when
 * {@code flush.interval.ms} runs out: with the interval set to an hour and batches far larger than the topic, a few
 * readings must still reach ClickHouse. Before the caught-up flush they sat in the task's buffer for the whole hour
 * (the bench's two timing modes came from the same wait, BENCHMARKS.md). The 2-minute bound is a liveness bound, not
 * a speed assertion. And a steady stream with gaps between the producer's requests must not turn every gap into an
 * insert: ClickHouse gets about one insert per second per table ({@code flush.min.interval.ms}).
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

        produceAndAwait(p, "caught-up-sink", SensorSimulator.builder().devices(20).count(500).seed(30)
                .paced(false), 500);
    }

    /**
     * 10 devices at 10 readings/s each for 6 s: the producer sends a request about every 100 ms, and the task is
     * caught up between them. Before the minimum spacing every gap made an insert (one part each: about 40 to 60 for
     * this stream). Inserts are counted from the table's part block numbers (a MergeTree numbers each insert's part;
     * merges keep the range). The bound follows the measured producing time, so a slow machine only allows more.
     */
    @Test
    void aSteadyStreamWithGapsIsInsertedAboutOncePerSecond() throws Exception {
        SensorPipeline p = new SensorPipeline(stack, "steady-readings", "steady_readings");
        p.createTopicAndTable(1);
        p.deploySink("steady-sink", p.sinkConfig(1, null));

        int n = 600;
        long started = System.nanoTime();
        produceAndAwait(p, "steady-sink", SensorSimulator.builder().devices(10).ratePerDevice(10).count(n).seed(31)
                .paced(true), n);
        double seconds = (System.nanoTime() - started) / 1e9;

        long inserts = stack.clickHouse().scalar("SELECT sum(max_block_number - min_block_number + 1) FROM system.parts"
                + " WHERE database = currentDatabase() AND table = '" + p.table() + "' AND active");
        // One insert per second of the stream and its drain, plus the first (at once: nothing inserted before).
        assertThat(inserts).as("inserts for %d readings over %.1f s", n, seconds)
                .isLessThanOrEqualTo((long) Math.ceil(seconds) + 1);
    }

    /** Produces {@code n} readings, waits until the table holds {@code n} rows and checks each record is one row. */
    private static void produceAndAwait(SensorPipeline p, String connector, SensorSimulator.Builder readings, int n)
            throws Exception {
        try (ReadingProducer producer = new ReadingProducer(p.topic(),
                ReadingProducer.defaultConfig(stack.bootstrapServers()), ReadingProducer.DEFAULT_CLOSE_TIMEOUT)) {
            ProduceResult result = producer.run(List.of(readings.startTime(Instant.parse("2026-11-30T00:00:00Z"))
                    .build()), ProgressListener.NONE, Duration.ofSeconds(1));
            assertThat(result.records()).isEqualTo(n);
        }
        Waits.until(Duration.ofMinutes(2), () -> p.rowCount() == n,
                () -> p.rowCount() + " of " + n + " rows; task failure: "
                        + KafkaState.failedTrace(stack.connect(), connector));
        assertThat(stack.clickHouse().scalar("SELECT uniqExact(_kafka_partition, _kafka_offset) FROM "
                + p.table())).isEqualTo(n);
    }
}
