package io.sluice.sink.clickhouse.encode.rowbinary;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written fixed-width path of {@link TimeText} agrees with java.time's formatters. */
class TimeTextTest {

    @Test
    void fastPathAgreesWithTheFormattersOnRandomAndOddTexts() {
        Random rnd = new Random(3);
        List<String> texts = new ArrayList<>(List.of("2026-11-21T07:00:00Z", "2026-11-21 07:00:00",
                "2024-02-29T23:59:59.999999999+14:00", "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-11-21T24:00:00Z", "2026-11-21T07:00:60Z", "2026-11-21T07:00:00.Z", "2026-11-21T07:00:00.1234567891Z",
                "2026-11-21T07:00:00+18:00", "2026-11-21T07:00:00-00:30", "2026-11-21t07:00:00z", " 2026-11-21T07:00:00Z",
                "2026-11-21T07:00:00+0200", "2026-11-21", "0000-01-01T00:00:00Z", "2026-04-31T00:00:00Z"));
        String[] suffixes = {"", "Z", "z", "+02:00", "-07:30", "+00:00"};
        for (int i = 0; i < 5_000; i++) {
            StringBuilder b = new StringBuilder();
            b.append(String.format("%04d-%02d-%02d%c%02d:%02d:%02d", rnd.nextInt(10_000), rnd.nextInt(14),
                    rnd.nextInt(33), rnd.nextBoolean() ? 'T' : ' ', rnd.nextInt(26), rnd.nextInt(62), rnd.nextInt(62)));
            if (rnd.nextBoolean()) {
                b.append('.');
                int digits = rnd.nextInt(10);
                for (int k = 0; k < digits; k++) {
                    b.append((char) ('0' + rnd.nextInt(10)));
                }
            }
            b.append(suffixes[rnd.nextInt(suffixes.length)]);
            texts.add(b.toString());
        }
        int fast = 0;
        for (ZoneId zone : List.of(ZoneOffset.UTC, ZoneOffset.ofHours(3), ZoneId.of("Europe/Paris"))) {
            for (String t : texts) {
                Instant a = TimeText.parseFixedWidth(t, zone);
                Instant expected = TimeText.parseWithFormatters(t, zone);
                if (a != null) {
                    fast++;
                    assertThat(a).as("%s in %s", t, zone).isEqualTo(expected);
                }
                assertThat(TimeText.parse(t, zone)).as("%s in %s", t, zone).isEqualTo(expected);
            }
        }
        assertThat(fast).as("texts read by the fast path").isGreaterThan(2_500);
    }
}
