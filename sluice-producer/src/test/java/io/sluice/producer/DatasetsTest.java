package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.Reading;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    /** Stats of what a replay emits, summed exactly (values come from one-decimal text). */
    static Map<Integer, DeviceStats> statsOf(List<? extends ReadingSource> sources) {
        Map<Integer, DeviceStats> out = new TreeMap<>();
        for (ReadingSource s : sources) {
            while (s.hasNext()) {
                Reading r = s.next();
                out.compute(r.deviceId(), (k, st) -> (st == null ? DeviceStats.empty(k) : st)
                        .plus(BigDecimal.valueOf(r.temperature())));
            }
        }
        return out;
    }

    @Test
    void expectedStatsMatchAnIndependentComputationOfTheFiles() {
        // Numbers computed with Python's csv and decimal modules from vega-datasets@3.2.1.
        Map<Integer, DeviceStats> s = Datasets.expectedStats(1000);
        assertThat(s.keySet()).containsExactly(1000, 1001, 1002);
        assertStats(s.get(1000), 8_759, "97466.8", 3.1, 24.4);
        assertStats(s.get(1001), 1_461, "24017.5", -1.6, 35.6);
        assertStats(s.get(1002), 1_461, "24981.9", -7.7, 37.8);
        assertThat(s.get(1000).mean()).isCloseTo(97466.8 / 8759, org.assertj.core.data.Offset.offset(1e-9));
    }

    private static void assertStats(DeviceStats s, long count, String sum, double min, double max) {
        assertThat(s.count()).isEqualTo(count);
        assertThat(s.sum()).isEqualByComparingTo(sum);
        assertThat(s.min()).isEqualTo(min);
        assertThat(s.max()).isEqualTo(max);
    }

    @Test
    void replayOfTheDemoEmitsExactlyTheExpectedStats() {
        List<ReplaySource> demo = Datasets.openDemo(5000, Pace.FAST);
        assertThat(demo).extracting(s -> s.size().getAsLong()).containsExactly(8_759L, 2_922L);
        assertThat(demo.get(1).deviceIds()).containsExactly(Map.entry("Seattle", 5001), Map.entry("New York", 5002));
        assertThat(statsOf(demo)).isEqualTo(Datasets.expectedStats(5000));
    }

    @Test
    void hourlyNormalsAreReadAsPacificStandardTime() {
        ReplaySource s = Datasets.open(Datasets.DemoFile.SEATTLE_HOURLY_NORMALS, 1000, Pace.parse("3600x"));
        assertThat(s.recordedSpan()).isEqualTo(Duration.ofHours(8_758));
        assertThat(s.nextDueNanos()).isZero();
        Reading first = s.next();
        assertThat(first).isEqualTo(new Reading(1000, Instant.parse("2010-01-01T09:00:00Z"), 4.0));
        // one recorded hour per second at 3600x
        assertThat(s.nextDueNanos()).isEqualTo(1_000_000_000L);
    }

    @Test
    void dailyFileInterleavesStationsInTimeOrder() {
        ReplaySource s = Datasets.open(Datasets.DemoFile.WEATHER_DAILY, 1000, Pace.RECORDED);
        Reading a = s.next();
        Reading b = s.next();
        assertThat(a).isEqualTo(new Reading(1001, Instant.parse("2012-01-01T00:00:00Z"), 12.8));
        assertThat(b.deviceId()).isEqualTo(1002);
        assertThat(b.timestamp()).isEqualTo(a.timestamp());
        long prevDue = 0;
        Instant prev = b.timestamp();
        while (s.hasNext()) {
            long due = s.nextDueNanos();
            Reading r = s.next();
            assertThat(due).isGreaterThanOrEqualTo(prevDue);
            assertThat(r.timestamp()).isAfterOrEqualTo(prev);
            prevDue = due;
            prev = r.timestamp();
        }
        assertThat(prev).isEqualTo(Instant.parse("2015-12-31T00:00:00Z"));
    }

    @Test
    void extractedFileReplaysLikeTheResource(@TempDir Path dir) throws Exception {
        Path f = Datasets.extract(Datasets.DemoFile.SEATTLE_HOURLY_NORMALS, dir);
        ReplaySource s = ReplaySource.open(f, Datasets.DemoFile.SEATTLE_HOURLY_NORMALS.spec(1000), Pace.FAST);
        assertThat(statsOf(List.of(s))).isEqualTo(Datasets.expectedStats(Datasets.DemoFile.SEATTLE_HOURLY_NORMALS, 1000));
    }
}
