package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class SensorSimulatorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static List<Reading> drain(ReadingSource s) {
        List<Reading> out = new ArrayList<>();
        while (s.hasNext()) {
            out.add(s.next());
        }
        return out;
    }

    @Test
    void sameSeedAndStartGiveTheSameSequence() {
        List<Reading> a = drain(SensorSimulator.builder().devices(7).count(5_000).seed(42).startTime(T0).build());
        List<Reading> b = drain(SensorSimulator.builder().devices(7).count(5_000).seed(42).startTime(T0).build());
        List<Reading> c = drain(SensorSimulator.builder().devices(7).count(5_000).seed(43).startTime(T0).build());
        assertThat(a).hasSize(5_000).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void temperaturesStartIn25To35WithOneDecimalAndStepByAtMostOneDegree() {
        int devices = 50;
        List<Reading> all = drain(SensorSimulator.builder().devices(devices).count(devices * 400L).seed(7).startTime(T0).build());
        Map<Integer, Long> lastTenths = new HashMap<>();
        Map<Integer, Integer> steps = new HashMap<>();
        for (Reading r : all) {
            long tenths = Math.round(r.temperature() * 10);
            assertThat(tenths / 10.0).as("one decimal").isEqualTo(r.temperature());
            Long prev = lastTenths.put(r.deviceId(), tenths);
            if (prev == null) {
                assertThat(r.temperature()).isBetween(25.0, 35.0);
            } else {
                long step = tenths - prev;
                assertThat(step).as("step of device %d", r.deviceId()).isIn(-10L, 0L, 10L);
                steps.merge((int) step, 1, Integer::sum);
            }
        }
        assertThat(lastTenths.keySet()).hasSize(devices).allMatch(id -> id >= 1 && id <= devices);
        // all three steps occur, each roughly a third of the time
        assertThat(steps.keySet()).containsExactlyInAnyOrder(-10, 0, 10);
        steps.values().forEach(n -> assertThat(n).isBetween(5_500, 7_800));
    }

    @Test
    void devicesTakeTurnsAndTimestampsFollowTheRate() {
        SensorSimulator s = SensorSimulator.builder().devices(4).firstDeviceId(100).count(12).seed(1).startTime(T0).build();
        List<Long> due = new ArrayList<>();
        List<Reading> rs = new ArrayList<>();
        while (s.hasNext()) {
            due.add(s.nextDueNanos());
            rs.add(s.next());
        }
        // 10 readings/s per device: ticks 100 ms apart, 4 devices spread 25 ms apart within a tick
        assertThat(due).containsExactly(0L, 25_000_000L, 50_000_000L, 75_000_000L, 100_000_000L, 125_000_000L,
                150_000_000L, 175_000_000L, 200_000_000L, 225_000_000L, 250_000_000L, 275_000_000L);
        assertThat(rs).extracting(Reading::deviceId).containsExactly(100, 101, 102, 103, 100, 101, 102, 103, 100, 101, 102, 103);
        assertThat(rs.get(5).timestamp()).isEqualTo(T0.plusMillis(125));
        assertThatThrownBy(s::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void unpacedSourceIsDueAtOnceButKeepsNominalTimestamps() {
        SensorSimulator s = SensorSimulator.builder().devices(2).count(4).seed(1).startTime(T0).paced(false).build();
        List<Reading> rs = new ArrayList<>();
        while (s.hasNext()) {
            assertThat(s.nextDueNanos()).isZero();
            rs.add(s.next());
        }
        assertThat(rs).extracting(Reading::timestamp)
                .containsExactly(T0, T0.plusMillis(50), T0.plusMillis(100), T0.plusMillis(150));
    }

    @Test
    void rateAndDurationArithmetic() {
        assertThat(SensorSimulator.intervalNanos(10)).isEqualTo(100_000_000L);
        assertThat(SensorSimulator.intervalNanos(0.5)).isEqualTo(2_000_000_000L);
        assertThat(SensorSimulator.intervalNanos(3)).isEqualTo(333_333_333L);
        assertThat(SensorSimulator.readingsIn(10, 10, Duration.ofSeconds(60))).isEqualTo(6_000);
        assertThat(SensorSimulator.readingsIn(1, 10, Duration.ofMillis(250))).as("rounded up to whole ticks").isEqualTo(3);
        assertThat(SensorSimulator.readingsIn(3, 0.5, Duration.ofSeconds(10))).isEqualTo(15);

        SensorSimulator total = SensorSimulator.builder().devices(10).totalRate(1_000).duration(Duration.ofSeconds(5)).seed(1).build();
        assertThat(total.settings().ratePerDevice()).isEqualTo(100.0);
        assertThat(total.settings().totalRate()).isEqualTo(1_000.0);
        assertThat(total.size()).hasValue(5_000);
        assertThat(SensorSimulator.builder().devices(3).seed(1).build().size()).isEmpty();
        assertThat(SensorSimulator.builder().build().settings().ratePerDevice()).isEqualTo(10.0);
    }

    @Test
    void limitedByDurationStopsBeforeTheFirstReadingDueThen() {
        SensorSimulator unbounded = SensorSimulator.builder().devices(4).seed(1).startTime(T0).build();
        List<Reading> rs = drain(ReadingSource.limit(unbounded, Duration.ofMillis(260)));
        // due offsets 0..250 ms in steps of 25 ms are < 260 ms: 11 readings
        assertThat(rs).hasSize(11);
    }

    @Test
    void invalidSettingsAreRejectedWithTheSettingNamed() {
        assertThatThrownBy(() -> SensorSimulator.builder().devices(0).build()).hasMessageContaining("devices");
        assertThatThrownBy(() -> SensorSimulator.builder().ratePerDevice(0).build()).hasMessageContaining("rate");
        assertThatThrownBy(() -> SensorSimulator.builder().ratePerDevice(1).totalRate(2).build()).hasMessageContaining("not both");
        assertThatThrownBy(() -> SensorSimulator.builder().count(1).duration(Duration.ofSeconds(1)).build()).hasMessageContaining("not both");
        assertThatThrownBy(() -> SensorSimulator.builder().count(-1).build()).hasMessageContaining("count");
        assertThatThrownBy(() -> SensorSimulator.builder().firstDeviceId(Integer.MAX_VALUE).devices(2).build()).hasMessageContaining("device ids");
    }
}
