package io.sluice.aggregator.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The builder's unboxed running total must equal folding {@link Stats#of} with {@link Stats#merge} in order. */
class ContributionBuilderTest {

    @Test
    void totalEqualsTheFoldOfSingleReadingStats() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            Contribution.Builder b = new Contribution.Builder("readings-0", OffsetRanges.of(0, 10_000));
            Stats fold = null;
            int n = 1 + rnd.nextInt(40);
            for (int i = 0; i < n; i++) {
                // equal values at different scales (27.5 and 27.50) check which one min and max keep
                BigDecimal t = BigDecimal.valueOf(rnd.nextInt(200) - 100, rnd.nextInt(3))
                        .setScale(2 + rnd.nextInt(2));
                long eventMs = 1_000_000L + rnd.nextInt(60_000);
                b.add(i * 2L, eventMs, t);
                Stats one = Stats.of(t, eventMs);
                fold = fold == null ? one : fold.merge(one);
            }
            Contribution c = b.build();
            assertThat(c.total()).isEqualTo(fold);
            assertThat(c.total().min().scale()).isEqualTo(fold.min().scale());
            assertThat(c.total().max().scale()).isEqualTo(fold.max().scale());
            assertThat(c.size()).isEqualTo(n);
            // with nothing applied, select() hands back the total; with all but the first applied, the first alone
            assertThat(c.select(OffsetRanges.EMPTY).stats()).isEqualTo(fold);
            if (n > 1) {
                Contribution.Fresh f = c.select(OffsetRanges.of(1, 10_000));
                assertThat(f.fresh()).isEqualTo(1);
                assertThat(f.duplicates()).isEqualTo(n - 1);
            }
        }
    }
}
