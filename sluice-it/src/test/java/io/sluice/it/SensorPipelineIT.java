package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.local.LocalStack;
import io.sluice.local.pipeline.SensorPipeline;
import io.sluice.producer.Datasets;
import io.sluice.producer.DeviceStats;
import io.sluice.producer.Pace;
import io.sluice.producer.ProduceResult;
import io.sluice.producer.ProgressListener;
import io.sluice.producer.ReadingProducer;
import io.sluice.producer.SensorSimulator;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The main job end to end: readings produced to Kafka, written by the sink (loaded from its plugin zip through
 * plugin.path) into ClickHouse, and compared with what was produced.
 */
class SensorPipelineIT {

    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = Stack.start("pipeline");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void simulatedReadingsLandExactlyOnceWithEqualSums() throws Exception {
        SensorPipeline p = new SensorPipeline(stack, "sim-readings", "sim_readings");
        p.createTopicAndTable(4);
        p.deploySink("sim-sink", p.sinkConfig(2, null));

        int n = 100_000;
        SensorSimulator sim = SensorSimulator.builder().devices(50).count(n).seed(42)
                .startTime(Instant.parse("2026-11-21T00:00:00Z")).paced(false).build();
        long expectedDeviceSum = 0;
        BigDecimal expectedTenths = BigDecimal.ZERO;
        SensorSimulator copy = SensorSimulator.builder().devices(50).count(n).seed(42)
                .startTime(Instant.parse("2026-11-21T00:00:00Z")).paced(false).build();
        while (copy.hasNext()) {
            var r = copy.next();
            expectedDeviceSum += r.deviceId();
            expectedTenths = expectedTenths.add(BigDecimal.valueOf(Math.round(r.temperature() * 10)));
        }
        try (ReadingProducer producer = new ReadingProducer(p.topic(),
                ReadingProducer.defaultConfig(stack.bootstrapServers()), ReadingProducer.DEFAULT_CLOSE_TIMEOUT)) {
            ProduceResult result = producer.run(List.of(sim), ProgressListener.NONE, Duration.ofSeconds(1));
            assertThat(result.records()).isEqualTo(n);
        }

        // Committed to the end: every record's insert has finished, so a duplicate would already be a row.
        assertThat(new KafkaState(stack.bootstrapServers()).awaitCommittedOrFailed(stack.connect(), "sim-sink",
                p.topic(), 4)).as("task failure").isNull();
        var row = stack.clickHouse().rows("SELECT count(), sum(device_id), sum(toInt64(round(temperature * 10))), "
                + "uniqExact(_kafka_partition, _kafka_offset) FROM " + p.table()).get(0);
        assertThat(Long.parseLong(row[0])).isEqualTo(n);
        assertThat(Long.parseLong(row[1])).isEqualTo(expectedDeviceSum);
        assertThat(new BigDecimal(row[2])).isEqualTo(expectedTenths);
        assertThat(Long.parseLong(row[3])).isEqualTo(n);
    }

    @Test
    void replayedRealDatasetMatchesTheSourceFile() throws Exception {
        SensorPipeline p = new SensorPipeline(stack, "replay-readings", "replay_readings");
        p.createTopicAndTable(2);
        p.deploySink("replay-sink", p.sinkConfig(1, null));
        int firstDevice = 1000;
        Map<Integer, DeviceStats> expected = Datasets.expectedStats(firstDevice);
        long total = expected.values().stream().mapToLong(DeviceStats::count).sum();
        try (ReadingProducer producer = new ReadingProducer(p.topic(),
                ReadingProducer.defaultConfig(stack.bootstrapServers()), ReadingProducer.DEFAULT_CLOSE_TIMEOUT)) {
            producer.run(Datasets.openDemo(firstDevice, Pace.FAST), ProgressListener.NONE, Duration.ofSeconds(1));
        }
        assertThat(new KafkaState(stack.bootstrapServers()).awaitCommittedOrFailed(stack.connect(), "replay-sink",
                p.topic(), 2)).as("task failure").isNull();

        List<String[]> rows = stack.clickHouse().rows("SELECT device_id, count(), toString(sum(toDecimal64(temperature, 4))), "
                + "min(temperature), max(temperature) FROM " + p.table() + " GROUP BY device_id ORDER BY device_id");
        assertThat(rows).hasSize(expected.size());
        for (String[] r : rows) {
            DeviceStats e = expected.get(Integer.parseInt(r[0]));
            assertThat(e).as("device %s", r[0]).isNotNull();
            assertThat(Long.parseLong(r[1])).as("count of device %s", r[0]).isEqualTo(e.count());
            assertThat(new BigDecimal(r[2])).as("sum of device %s", r[0]).isEqualByComparingTo(e.sum());
            assertThat(Double.parseDouble(r[3])).as("min of device %s", r[0]).isEqualTo(e.min());
            assertThat(Double.parseDouble(r[4])).as("max of device %s", r[0]).isEqualTo(e.max());
        }
    }
}
