package io.sluice.aggregator.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.InvalidReadingException;
import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cache of exact temperatures must always give what {@link BigDecimal#valueOf(double)} gives, and accept or
 * reject exactly as the range and scale rules say, whether the value is cached or not.
 */
class ReadingRulesTest {

    @Test
    void exactEqualsBigDecimalValueOfWhetherCachedOrNot() throws InvalidReadingException {
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

    @Test
    void checkAcceptsAndRejectsAsTheRulesSayWhetherCachedOrNot() {
        Random rnd = new Random(5);
        double[] pool = new double[4_000];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = switch (i % 5) {
                case 0 -> Math.round(rnd.nextDouble() * 10_000) / 100.0;
                case 1 -> (rnd.nextDouble() - 0.5) * 4e6;
                case 2 -> Math.scalb(rnd.nextDouble(), -rnd.nextInt(120));
                case 3 -> Math.nextUp(1e6) * (rnd.nextBoolean() ? 1 : -1);
                default -> Math.round(rnd.nextDouble() * 1e8) / 100.0;
            };
        }
        pool[0] = 1e6;
        pool[1] = -1e6;
        pool[2] = 1e-20;
        pool[3] = 1.5e-20;
        pool[4] = 1e-21;
        for (int round = 0; round < 3; round++) {
            for (double d : pool) {
                BigDecimal t = BigDecimal.valueOf(d);
                boolean valid = t.abs().compareTo(ReadingRules.MAX_ABS_TEMPERATURE) <= 0
                        && t.stripTrailingZeros().scale() <= ReadingRules.MAX_SCALE;
                byte[] json = ReadingJson.toBytes(new Reading(1, Instant.parse("2026-11-21T07:00:00Z"), d));
                try {
                    ReadingRules.Accepted a = ReadingRules.check(json);
                    assertThat(valid).as("accepted %s", d).isTrue();
                    assertThat(a.temperature()).isEqualTo(t);
                } catch (InvalidReadingException e) {
                    assertThat(valid).as("rejected %s: %s", d, e.getMessage()).isFalse();
                    assertThat(e.field()).isEqualTo(ReadingJson.TEMPERATURE);
                    assertThat(e.getMessage()).endsWith(": " + d);
                }
            }
        }
    }
}
