package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PaceTest {

    @Test
    void parsesTheThreeForms() {
        assertThat(Pace.parse("recorded")).isEqualTo(Pace.RECORDED);
        assertThat(Pace.parse(" FAST ")).isEqualTo(Pace.FAST);
        assertThat(Pace.parse("3600x").factor()).isEqualTo(3600.0);
        assertThat(Pace.parse("0.5x").dueNanos(1_000)).isEqualTo(2_000);
        assertThat(Pace.parse("3600x").dueNanos(3_600_000_000_000L)).isEqualTo(1_000_000_000L);
        assertThat(Pace.RECORDED.dueNanos(42)).isEqualTo(42);
        assertThat(Pace.FAST.dueNanos(42)).isZero();
        assertThat(Pace.parse("60x")).hasToString("60.0x");
    }

    @Test
    void rejectsOtherForms() {
        for (String bad : new String[] {"", "x", "0x", "-2x", "abc", "10", "NaNx", "Infinityx"}) {
            assertThatThrownBy(() -> Pace.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("recorded, fast or a positive factor");
        }
    }
}
