package io.sluice.aggregator.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Stats#meanPlainString()} (long division) against {@code mean().toPlainString()} (the 38-digit
 * {@code BigDecimal} division, half-even, trailing zeros stripped), on random and edge sums and counts.
 */
class StatsTest {

    @Test
    void meanPlainStringEqualsTheBigDecimalMean() {
        Random rnd = new Random(23);
        List<BigDecimal> sums = new ArrayList<>();
        for (String s : List.of("0", "0.0", "-0.00", "1", "-1", "27.5", "0.1", "1E+3", "100", "0.000001",
                "999999999999999999", "-999999999999999999", "0.999999999999999999", "1000000000000000000",
                "123456789012345678901234567890.12", "1e-30", "5", "25", "0.5", "1.5", "2.5")) {
            sums.add(new BigDecimal(s));
        }
        for (int i = 0; i < 3_000; i++) {
            long unscaled = rnd.nextLong() >> rnd.nextInt(64);
            sums.add(BigDecimal.valueOf(unscaled, rnd.nextInt(25)));
            sums.add(BigDecimal.valueOf(rnd.nextInt(200_000) - 100_000, 2));
        }
        List<Long> counts = new ArrayList<>(List.of(1L, 2L, 3L, 6L, 7L, 9L, 11L, 13L, 17L, 97L, 600L, 3600L,
                1L << 40, 1L << 59, 5L * 5 * 5 * 5 * 5 * 5 * 5 * 5 * 5 * 5 * 5 * 5 * 5 * 5 * 5 * 5 * 5 * 5 * 5 * 5 * 5 * 5,
                Long.MAX_VALUE / 10, Long.MAX_VALUE / 10 + 1, Long.MAX_VALUE, 999_999_999_999_999_999L));
        for (int i = 0; i < 40; i++) {
            counts.add(1 + (rnd.nextLong() >>> 1 >> rnd.nextInt(63)));
            counts.add(1L << rnd.nextInt(60));
        }
        int compared = 0;
        for (BigDecimal sum : sums) {
            for (long count : counts) {
                Stats s = new Stats(count, sum, sum, sum, 0, 0);
                assertThat(s.meanPlainString()).as("%s / %d", sum, count).isEqualTo(s.mean().toPlainString());
                compared++;
            }
        }
        // ties: odd / 2^m is odd * 5^m / 10^m, ending in a 5; with exactly 39 significant digits it is a tie
        int ties = 0;
        for (int m = 45; m < 60; m++) {
            for (long k = 0; k < 3_000; k++) {
                BigInteger odd = BigInteger.valueOf(2 * k + 1);
                if (odd.multiply(BigInteger.valueOf(5).pow(m)).toString().length() == 39) {
                    ties++;
                }
                BigDecimal sum = new BigDecimal(odd);
                Stats s = new Stats(1L << m, sum, sum, sum, 0, 0);
                assertThat(s.meanPlainString()).as("%s / 2^%d", sum, m).isEqualTo(s.mean().toPlainString());
            }
        }
        assertThat(ties).isGreaterThan(1_000);
        assertThat(compared).isGreaterThan(100_000);
    }
}
