package io.sluice.aggregator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class OffsetRangesTest {

    @Test
    void unionMergesOverlappingAndAdjacentIntervals() {
        OffsetRanges r = OffsetRanges.of(10, 19).union(OffsetRanges.of(30, 39)).union(OffsetRanges.of(20, 25));
        assertThat(r.format()).isEqualTo("10-25,30-39");
        assertThat(r.union(OffsetRanges.of(26, 29)).format()).isEqualTo("10-39");
        assertThat(r.union(OffsetRanges.of(0, 100)).format()).isEqualTo("0-100");
        assertThat(OffsetRanges.EMPTY.union(r)).isEqualTo(r);
    }

    @Test
    void containsAndIntersects() {
        OffsetRanges r = OffsetRanges.parse("0-4,10-10,20-29");
        assertThat(r.contains(4)).isTrue();
        assertThat(r.contains(5)).isFalse();
        assertThat(r.contains(10)).isTrue();
        assertThat(r.contains(30)).isFalse();
        assertThat(r.intersects(5, 9)).isFalse();
        assertThat(r.intersects(5, 10)).isTrue();
        assertThat(r.intervalCount()).isEqualTo(3);
    }

    @Test
    void runsOfConsecutiveOffsets() {
        assertThat(OffsetRanges.runsOf(new long[] {3, 4, 5, 9, 11, 12}).format()).isEqualTo("3-5,9-9,11-12");
        assertThat(OffsetRanges.runsOf(new long[0]).isEmpty()).isTrue();
        assertThatThrownBy(() -> OffsetRanges.runsOf(new long[] {3, 3})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void textFormRoundTripsAndRejectsGarbage() {
        OffsetRanges r = OffsetRanges.parse("0-99,200-350");
        assertThat(OffsetRanges.parse(r.format())).isEqualTo(r);
        assertThat(OffsetRanges.parse("")).isEqualTo(OffsetRanges.EMPTY);
        assertThatThrownBy(() -> OffsetRanges.parse("5-3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OffsetRanges.parse("10-20,0-5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OffsetRanges.parse("x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomUnionsMatchASetOfOffsets() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            TreeSet<Long> expected = new TreeSet<>();
            OffsetRanges r = OffsetRanges.EMPTY;
            for (int i = 0; i < 8; i++) {
                long lo = rnd.nextInt(200);
                long hi = lo + rnd.nextInt(15);
                for (long o = lo; o <= hi; o++) {
                    expected.add(o);
                }
                r = r.union(OffsetRanges.of(lo, hi));
            }
            for (long o = 0; o < 230; o++) {
                assertThat(r.contains(o)).as("offset %d in %s", o, r).isEqualTo(expected.contains(o));
            }
        }
    }
}
