package io.sluice.aggregator.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.aggregator.testing.SensorData;
import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link BatchPreparer} against a direct statement of its contract: per (device, window) and per source, the
 * statistics of the timely valid readings, with lateness judged against the running watermark of each partition.
 */
class BatchPreparerTest {

    private static final AggregatorSettings SETTINGS =
            new AggregatorSettings(Duration.ofMinutes(1), Duration.ofSeconds(30), Optional.empty());
    private static final Instant START = Instant.parse("2026-11-21T07:00:00Z");

    @Test
    void deltasOfSeveralSlicesEqualThePerSourceFoldOfTheirReadings() {
        List<PartitionSlice> slices = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            List<Reading> readings = new ArrayList<>(SensorData.generate(20, 40, START, 5_000, 100 + p));
            // a straggler per partition: late against its watermark (more than 1 min + 30 s behind it)
            readings.add(new Reading(3, START, 20.0));
            List<ConsumedRecord> records = new ArrayList<>();
            for (Reading r : readings) {
                records.add(new ConsumedRecord("readings", p, 1_000L * p + records.size(), ReadingJson.toBytes(r)));
            }
            records.add(new ConsumedRecord("readings", p, 1_000L * p + records.size(), "{".getBytes()));
            slices.add(new PartitionSlice("readings", p, OffsetRanges.of(1_000L * p, 1_000L * p + 999),
                    PartitionSlice.NO_WATERMARK, records));
        }
        BatchPreparer preparer = new BatchPreparer(SETTINGS,
                Clock.fixed(START.plus(Duration.ofHours(1)), ZoneOffset.UTC));

        PreparedBatch batch = preparer.prepare(slices);

        Map<WindowKey, Map<String, Stats>> expected = new HashMap<>();
        long late = 0;
        for (PartitionSlice s : slices) {
            long wm = PartitionSlice.NO_WATERMARK;
            for (ConsumedRecord r : s.records()) {
                ReadingRules.Accepted a;
                try {
                    a = ReadingRules.check(r.value());
                } catch (Exception e) {
                    continue;
                }
                long start = SETTINGS.windowStart(a.eventMs());
                boolean isLate = wm != PartitionSlice.NO_WATERMARK && wm >= start + 60_000 + 30_000;
                wm = Math.max(wm, a.eventMs());
                if (isLate) {
                    late++;
                    continue;
                }
                expected.computeIfAbsent(new WindowKey(a.deviceId(), start), k -> new HashMap<>())
                        .merge(s.source(), Stats.of(a.temperature(), a.eventMs()), Stats::merge);
            }
            assertThat(batch.watermarkAfter().get(s.source())).isEqualTo(wm);
        }
        Map<WindowKey, Map<String, Stats>> actual = new HashMap<>();
        batch.deltas().forEach((k, d) -> d.contributions().forEach((src, c) -> {
            assertThat(c.source()).isEqualTo(src);
            assertThat(c.claim()).isEqualTo(slices.get(Integer.parseInt(src.substring("readings-".length()))).claim());
            actual.computeIfAbsent(k, x -> new HashMap<>()).put(src, c.total());
        }));
        assertThat(late).isEqualTo(3);
        assertThat(batch.late()).isEqualTo(late);
        assertThat(batch.rejected()).hasSize(3);
        assertThat(actual).isEqualTo(expected);
        assertThat(batch.accepted()).isEqualTo(3 * 20 * 40);
    }
}
