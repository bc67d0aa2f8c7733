package io.sluice.aggregator.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ItemMerger#merge} against a direct statement of its rules (the general loop over a copy of the applied map,
 * as the merge was first written) on random items and deltas: one or several sources before and after, overlapping,
 * disjoint and fully decided offsets, with and without TTL.
 */
class ItemMergerTest {

    private static final String[] SOURCES = {"readings-0", "readings-1", "other-7"};

    @Test
    void mergeEqualsTheRulesOnRandomItemsAndDeltas() {
        Random rnd = new Random(11);
        for (AggregatorSettings settings : List.of(
                new AggregatorSettings(Duration.ofMinutes(1), Duration.ofMinutes(5), Optional.empty()),
                new AggregatorSettings(Duration.ofMinutes(5), Duration.ofMinutes(1), Optional.of(Duration.ofDays(3))))) {
            ItemMerger merger = new ItemMerger(settings);
            WindowKey key = new WindowKey(7, settings.windowStart(1_790_000_000_000L));
            int singleSource = 0;
            for (int trial = 0; trial < 20_000; trial++) {
                ItemState current = rnd.nextInt(4) == 0 ? null : randomState(rnd, key, settings);
                ItemDelta delta = randomDelta(rnd, key);
                if (delta.contributions().size() == 1 && (current == null || current.applied().size() == 1)) {
                    singleSource++;
                }
                long now = rnd.nextLong() & 0xffff_ffffL;
                assertThat(merger.merge(current, delta, now)).as("trial %d: %s + %s", trial, current, delta)
                        .isEqualTo(rules(settings, current, delta, now));
            }
            assertThat(singleSource).isGreaterThan(2_000);
        }
    }

    /** The rules, stated directly. */
    private static ItemMerger.Result rules(AggregatorSettings settings, ItemState current, ItemDelta delta, long nowMs) {
        Stats stats = current == null ? null : current.stats();
        Map<String, OffsetRanges> applied = current == null ? new HashMap<>() : new HashMap<>(current.applied());
        long fresh = 0;
        long dup = 0;
        for (Contribution c : delta.contributions().values()) {
            OffsetRanges done = applied.getOrDefault(c.source(), OffsetRanges.EMPTY);
            Contribution.Fresh f = c.select(done);
            fresh += f.fresh();
            dup += f.duplicates();
            if (f.stats() != null) {
                stats = stats == null ? f.stats() : stats.merge(f.stats());
            }
            applied.put(c.source(), done.union(c.claim()));
        }
        if (fresh == 0) {
            return new ItemMerger.Result(null, 0, dup);
        }
        long end = delta.key().windowStartMs() + settings.windowMillis();
        Long expires = settings.ttl().map(t -> Math.floorDiv(end, 1000) + t.toSeconds()).orElse(null);
        long version = current == null ? 1 : current.version() + 1;
        return new ItemMerger.Result(new ItemState(delta.key(), end, stats, applied, version, nowMs, expires), fresh,
                dup);
    }

    private static ItemState randomState(Random rnd, WindowKey key, AggregatorSettings settings) {
        Map<String, OffsetRanges> applied = new HashMap<>();
        int sources = 1 + (rnd.nextInt(3) == 0 ? rnd.nextInt(SOURCES.length) : 0);
        for (int i = 0; i < sources; i++) {
            OffsetRanges r = OffsetRanges.EMPTY;
            for (int j = 1 + rnd.nextInt(3); j > 0; j--) {
                long lo = rnd.nextInt(60);
                r = r.union(OffsetRanges.of(lo, lo + rnd.nextInt(15)));
            }
            applied.put(SOURCES[rnd.nextInt(SOURCES.length)], r);
        }
        Stats stats = new Stats(1 + rnd.nextInt(50), temperature(rnd), temperature(rnd), temperature(rnd),
                key.windowStartMs() + rnd.nextInt(1000), key.windowStartMs() + 1000 + rnd.nextInt(1000));
        return new ItemState(key, key.windowStartMs() + settings.windowMillis(), stats, applied, 1 + rnd.nextInt(9),
                rnd.nextInt(1000), null);
    }

    private static ItemDelta randomDelta(Random rnd, WindowKey key) {
        Map<String, Contribution> contributions = new HashMap<>();
        int sources = 1 + (rnd.nextInt(3) == 0 ? rnd.nextInt(SOURCES.length) : 0);
        for (int i = 0; i < sources; i++) {
            String source = SOURCES[rnd.nextInt(SOURCES.length)];
            List<Long> offsets = new ArrayList<>();
            long o = rnd.nextInt(70);
            for (int n = 1 + rnd.nextInt(6); n > 0; n--) {
                offsets.add(o);
                o += 1 + (rnd.nextBoolean() ? 0 : rnd.nextInt(4));
            }
            OffsetRanges claim = OffsetRanges.runsOf(offsets.stream().mapToLong(Long::longValue).toArray());
            if (rnd.nextBoolean()) {
                claim = claim.union(OffsetRanges.of(0, offsets.get(0)));
            }
            Contribution.Builder b = new Contribution.Builder(source, claim);
            for (long off : offsets) {
                b.add(off, key.windowStartMs() + rnd.nextInt(60_000), temperature(rnd));
            }
            contributions.put(source, b.build());
        }
        return new ItemDelta(key, contributions);
    }

    private static BigDecimal temperature(Random rnd) {
        return BigDecimal.valueOf(rnd.nextInt(4000) - 1000, 2);
    }
}
