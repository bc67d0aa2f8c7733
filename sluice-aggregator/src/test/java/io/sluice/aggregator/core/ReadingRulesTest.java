package io.sluice.aggregator.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The cache of exact temperatures must always give what {@link BigDecimal#valueOf(double)} gives. */
class ReadingRulesTest {

    @Test
    void exactEqualsBigDecimalValueOfWhetherCachedOrNot() {
        Random rnd = new Random(3);
        double[] pool = new double[10_000];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = switch (i % 4) {
                case 0 -> Math.round(rnd.nextDouble() * 10_000) / 100.0;
                case 1 -> -Math.round(rnd.nextDouble() * 1_000) / 10.0;
                case 2 -> rnd.nextDouble() * 1e6;
                default -> (double) (rnd.nextInt(200) - 100);
            };
        }
        pool[0] = 0.0;
        pool[1] = -0.0;
        pool[2] = 1e-7;
        for (int round = 0; round < 3; round++) {
            for (double d : pool) {
                BigDecimal got = ReadingRules.exact(d);
                BigDecimal want = BigDecimal.valueOf(d);
                // equals() compares scale too: 27.5 and 27.50 are different here
                assertThat(got).as("%s", d).isEqualTo(want);
            }
        }
    }
}
