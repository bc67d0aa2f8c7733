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
 * {@code clickhouse.compression=lz4} against ClickHouse 18.16: the sink (from its plugin zip, so with the bundled
 * lz4-java and clickhouse-data) sends its inserts as ClickHouse's own LZ4 blocks with {@code decompress=1}. 18.16
 * checks every block's CityHash128 before it decompresses it, so a wrong checksum, header or block fails the
 * insert. Inserts of up to 50,000 rows are about 2 MB of RowBinary, several 1 MiB blocks each, plus a short last
 * block.
 */
class Lz4BodiesIT {

    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = Stack.start("lz4");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void lz4BodiesLandEveryReadingOnce() throws Exception {
        SensorPipeline p = new SensorPipeline(stack, "lz4-readings", "lz4_readings");
        p.createTopicAndTable(2);
        Map<String, String> cfg = p.sinkConfig(2, null);
        cfg.put("clickhouse.compression", "lz4");
        cfg.put("batch.max.rows", "50000");
        p.deploySink("lz4-sink", cfg);

        int n = 150_000;
        long expectedDeviceSum = 0;
        long expectedTenths = 0;
        SensorSimulator copy = simulator(n);
        while (copy.hasNext()) {
            var r = copy.next();
            expectedDeviceSum += r.deviceId();
            expectedTenths += Math.round(r.temperature() * 10);
        }
        try (ReadingProducer producer = new ReadingProducer(p.topic(),
                ReadingProducer.defaultConfig(stack.bootstrapServers()), ReadingProducer.DEFAULT_CLOSE_TIMEOUT)) {
            ProduceResult result = producer.run(List.of(simulator(n)), ProgressListener.NONE, Duration.ofSeconds(1));
            assertThat(result.records()).isEqualTo(n);
        }

        assertThat(new KafkaState(stack.bootstrapServers()).awaitCommittedOrFailed(stack.connect(), "lz4-sink",
                p.topic(), 2)).as("task failure").isNull();
        var row = stack.clickHouse().rows("SELECT count(), sum(device_id), sum(toInt64(round(temperature * 10))), "
                + "uniqExact(_kafka_partition, _kafka_offset) FROM " + p.table()).get(0);
        assertThat(Long.parseLong(row[0])).isEqualTo(n);
        assertThat(Long.parseLong(row[1])).isEqualTo(expectedDeviceSum);
        assertThat(Long.parseLong(row[2])).isEqualTo(expectedTenths);
        assertThat(Long.parseLong(row[3])).isEqualTo(n);
    }

    private static SensorSimulator simulator(int n) {
        return SensorSimulator.builder().devices(200).count(n).seed(16)
                .startTime(Instant.parse("2026-11-30T00:00:00Z")).paced(false).build();
    }
}
