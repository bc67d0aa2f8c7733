package io.sluice.aggregator.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.aggregator.testing.SensorData;
import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The exactly-once argument of the README, checked on the pure core: random redeliveries (duplicates, overlaps,
 * reordering) merged into an in-memory item map give the same items as one clean pass.
 */
class ExactlyOnceMergeTest {

    private static final AggregatorSettings SETTINGS =
            new AggregatorSettings(Duration.ofMinutes(1), Duration.ofMinutes(5), Optional.empty());
    private static final int PARTITIONS = 3;

    private final BatchPreparer preparer = new BatchPreparer(SETTINGS);
    private final ItemMerger merger = new ItemMerger(SETTINGS);

    @Test
    void randomOverlappingAndReorderedDeliveriesEqualOneCleanPass() {
        List<List<ConsumedRecord>> partitions = partitions();
        Map<WindowKey, ItemState> clean = new TreeMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            List<ConsumedRecord> all = partitions.get(p);
            deliver(clean, all, 0, all.size(), null);
        }
        Random rnd = new Random(42);
        for (int trial = 0; trial < 20; trial++) {
            Map<WindowKey, ItemState> messy = new TreeMap<>();
            List<int[]> deliveries = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                int n = partitions.get(p).size();
                // a covering sequence of chunks, then random extra (overlapping, duplicate) ranges
                for (int from = 0; from < n; from += 37) {
                    deliveries.add(new int[] {p, from, Math.min(n, from + 37)});
                }
                for (int i = 0; i < 15; i++) {
                    int a = rnd.nextInt(n);
                    deliveries.add(new int[] {p, a, Math.min(n, a + 1 + rnd.nextInt(120))});
                }
            }
            java.util.Collections.shuffle(deliveries, rnd);
            for (int[] d : deliveries) {
                deliver(messy, partitions.get(d[0]), d[1], d[2], null);
            }
            assertThat(statsOf(messy)).isEqualTo(statsOf(clean));
        }
    }

    @Test
    void sessionClaimsCollapseBookkeepingToOneIntervalPerPartition() {
        List<List<ConsumedRecord>> partitions = partitions();
        Map<WindowKey, ItemState> items = new TreeMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            List<ConsumedRecord> all = partitions.get(p);
            for (int from = 0; from < all.size(); from += 50) {
                deliver(items, all, from, Math.min(all.size(), from + 50), 0L);
            }
            // and a full replay, in one session from 0: nothing may change
            deliver(items, all, 0, all.size(), 0L);
        }
        Map<WindowKey, ItemState> clean = new TreeMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            deliver(clean, partitions.get(p), 0, partitions.get(p).size(), null);
        }
        assertThat(statsOf(items)).isEqualTo(statsOf(clean));
        for (ItemState s : items.values()) {
            s.applied().values().forEach(r -> assertThat(r.intervalCount()).isEqualTo(1));
        }
    }

    @Test
    void lateReadingsAreSkippedAgainstThePartitionWatermark() {
        Instant t0 = Instant.parse("2026-11-21T12:00:10Z");
        List<ConsumedRecord> recs = List.of(
                rec(0, new Reading(1, t0, 20.0)),
                rec(1, new Reading(1, Instant.parse("2026-11-21T12:10:00Z"), 21.0)),
                rec(2, new Reading(1, Instant.parse("2026-11-21T12:00:30Z"), 99.0)), // window ends 12:01, +5m < 12:10
                rec(3, new Reading(1, Instant.parse("2026-11-21T12:06:30Z"), 22.0))); // window ends 12:07, +5m > 12:10
        PreparedBatch b = preparer.prepare(List.of(
                new PartitionSlice("t", 0, OffsetRanges.of(0, 3), PartitionSlice.NO_WATERMARK, recs)));
        assertThat(b.late()).isEqualTo(1);
        assertThat(b.accepted()).isEqualTo(3);
        assertThat(b.deltas().keySet()).extracting(WindowKey::windowStartMs).containsExactlyInAnyOrder(
                Instant.parse("2026-11-21T12:00:00Z").toEpochMilli(),
                Instant.parse("2026-11-21T12:10:00Z").toEpochMilli(),
                Instant.parse("2026-11-21T12:06:00Z").toEpochMilli());
        assertThat(b.watermarkAfter()).containsEntry("t-0", Instant.parse("2026-11-21T12:10:00Z").toEpochMilli());
    }

    @Test
    void sumsAreExactDecimals() {
        List<ConsumedRecord> recs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            recs.add(rec(i, new Reading(3, Instant.parse("2026-11-21T12:00:00Z").plusSeconds(i), 0.1)));
        }
        Map<WindowKey, ItemState> items = new HashMap<>();
        deliver(items, recs, 0, recs.size(), null);
        Stats s = items.values().iterator().next().stats();
        assertThat(s.sum()).isEqualByComparingTo("1.0");
        assertThat(s.mean()).isEqualByComparingTo("0.1");
        assertThat(s.count()).isEqualTo(10);
    }

    private void deliver(Map<WindowKey, ItemState> items, List<ConsumedRecord> all, int from, int to, Long sessionStart) {
        List<ConsumedRecord> slice = all.subList(from, to);
        long[] offsets = slice.stream().mapToLong(ConsumedRecord::offset).toArray();
        OffsetRanges claim = OffsetRanges.runsOf(offsets);
        if (sessionStart != null) {
            claim = claim.union(OffsetRanges.of(sessionStart, offsets[0]));
        }
        ConsumedRecord first = slice.get(0);
        PreparedBatch b = preparer.prepare(List.of(new PartitionSlice(first.topic(), first.partition(), claim,
                PartitionSlice.NO_WATERMARK, slice)));
        for (ItemDelta d : b.deltas().values()) {
            ItemMerger.Result r = merger.merge(items.get(d.key()), d, 0);
            if (r.next() != null) {
                items.put(d.key(), r.next());
            }
        }
    }

    private static Map<WindowKey, String> statsOf(Map<WindowKey, ItemState> items) {
        Map<WindowKey, String> out = new TreeMap<>();
        items.forEach((k, s) -> out.put(k, s.stats().count() + " " + s.stats().sum().stripTrailingZeros() + " "
                + s.stats().min() + " " + s.stats().max() + " " + s.stats().firstEventMs() + " "
                + s.stats().lastEventMs() + " " + s.stats().mean()));
        return out;
    }

    private static List<List<ConsumedRecord>> partitions() {
        List<Reading> readings = SensorData.generate(9, 120, Instant.parse("2026-11-21T07:00:00Z"), 1000, 1);
        List<List<ConsumedRecord>> parts = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            parts.add(new ArrayList<>());
        }
        for (Reading r : readings) {
            List<ConsumedRecord> l = parts.get(r.deviceId() % PARTITIONS);
            l.add(new ConsumedRecord("readings", r.deviceId() % PARTITIONS, l.size(), ReadingJson.toBytes(r)));
        }
        return parts;
    }

    private static ConsumedRecord rec(long offset, Reading r) {
        return new ConsumedRecord("t", 0, offset, ReadingJson.toBytes(r));
    }

}
