package io.sluice.aggregator.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hand-written equals and hashCode must behave as the record's generated ones. */
class WindowKeyTest {

    @Test
    void equalsAndHashCodeFollowBothComponents() {
        WindowKey k = new WindowKey(7, 60_000L);
        assertThat(k).isEqualTo(new WindowKey(7, 60_000L)).hasSameHashCodeAs(new WindowKey(7, 60_000L));
        assertThat(k).isNotEqualTo(new WindowKey(8, 60_000L)).isNotEqualTo(new WindowKey(7, 120_000L))
                .isNotEqualTo(null).isNotEqualTo("7/60000");
        Set<WindowKey> keys = new HashSet<>();
        for (int d = 0; d < 100; d++) {
            for (long w = 0; w < 10; w++) {
                keys.add(new WindowKey(d, w * 60_000L));
                keys.add(new WindowKey(d, w * 60_000L));
            }
        }
        assertThat(keys).hasSize(1_000);
        assertThat(k.compareTo(new WindowKey(7, 0))).isPositive();
    }
}
