package io.sluice.sink.clickhouse.encode.rowbinary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link TimeText}: the forms of ClickHouse's best-effort parser ({@code date_time_input_format=best_effort}), each
 * with the instant ClickHouse 18.16 stores for it (read back from the server); the invalid texts the server turns
 * into other dates, which the sink rejects; and the fixed-width fast path against the general one.
 */
class TimeTextTest {

    /** Text, then the epoch seconds ClickHouse 18.16 stores for it with best_effort in a UTC DateTime column. */
    private static final String[][] ACCEPTED = {
        {"2026-11-21 07:00:00", "1795244400"},
        {"2026/11/21 07:00", "1795244400"},
        {"21/11/2026 07:00:00", "1795244400"},
        {"21/11/2026 07:00", "1795244400"},
        {"21/11/26", "1795219200"},
        {"1/5/2026", "1777593600"},
        {"2026/1/5 7:05", "1767596700"},
        {"2026-11-21 7:5:3", "1795244703"},
        {"Sat, 21 Nov 2026 07:00:00 GMT", "1795244400"},
        {"Sat, 21 Nov 2026 07:00:00 +0000", "1795244400"},
        {"Sat, 21 Nov 2026 07:00 GMT", "1795244400"},
        {"Saturday, 21 November 2026 07:00:00 GMT", "1795244400"},
        {"Sat 21 Nov 2026", "1795219200"},
        {"Thu, 19 Nov 2026 07:00:00 GMT", "1795071600"},
        {"21 Nov 2026", "1795219200"},
        {"Nov 21 2026", "1795219200"},
        {"21 November 2026 7:00", "1795244400"},
        {"2026-11-21T07:00:00.123+05:30", "1795224600"},
        {"2026-11-21 07:00:00+0530", "1795224600"},
        {"2026-11-21 07:00:00+5:30", "1795224600"},
        {"2026-11-21 07:00:00 +05:30", "1795224600"},
        {"2026-11-21 07:00:00 +05", "1795226400"},
        {"2026-11-21 07:00:00 -0130", "1795249800"},
        {"2026-11-21 07:00 +0100", "1795240800"},
        {"2026-11-21T07:00:00-00:00", "1795244400"},
        {"2026-11-21 07:00:00 Z", "1795244400"},
        {"2026-11-21 07:00:00 UTC", "1795244400"},
        {"2026-11-21 07:00:00 MSK", "1795233600"},
        {"2026-11-21T07:00:00.5", "1795244400"},
        {"2026-11-21T07:00:00.123456789123Z", "1795244400"},
        {"2026-11-21T07:00", "1795244400"},
        {"2026-11-21 07", "1795244400"},
        {"2026-11-21 07:00:00 PM", "1795287600"},
        {"2026-11-21 07:00:00 pm", "1795287600"},
        {"2026-11-21 07:00:00PM", "1795287600"},
        {"2026-11-21 7 PM", "1795287600"},
        {"2026-11-21 07:00:00.5 PM", "1795287600"},
        {"2026-11-21 070000", "1795244400"},
        {"20261121 070000", "1795244400"},
        {"20261121070000", "1795244400"},
        {"20261121", "1795219200"},
        {"202611", "1793491200"},
        {"2026-11", "1793491200"},
        {"2026.11.21", "1795219200"},
        {" 2026-11-21 07:00:00 ", "1795244400"},
        {"1700000000", "1700000000"},
        {"170000000", "170000000"},
        {"099999999", "99999999"},
        // 18.16 differs on these (see JsonEachRowDifferentialIT); the values are a current server's (chDB 26.7)
        {"2026", "1767225600"},
        {"11/21/2026", "1795219200"},
        {"21-11-2026", "1795219200"},
        {"21.11.2026", "1795219200"},
        {"21-11-2026 07:00", "1795244400"},
    };

    /** Texts ClickHouse 18.16 stores as some other time (or rejects): the sink rejects each, with this reason. */
    private static final String[][] REJECTED = {
        {"2026-02-30 00:00:00", "day 30 is out of range for 2026-02"}, // 18.16: 2026-03-02
        {"2026-13-01", "month 13 is out of range"}, // 18.16: 0
        {"13/13/2026", "month 13 is out of range"},
        {"2026-11-21 25:00:00", "hour 25 is out of range"}, // 18.16: the next day, 01:00
        {"2026-11-21 07:00:60", "second 60 is out of range"}, // 18.16: 07:01:00
        {"2026-11-21 13:00 PM", "hour 13 with PM"}, // 18.16: 13:00
        {"21 Nov 26", "no year"}, // 18.16: 2000-11-22 02:00:00
        {"2026-11-21T07:00:00+25:00", "offset +25:00 is out of range"}, // 18.16: accepted
        {"2026-11-21 07:00:00Z+01:00", "second offset"}, // 18.16: 06:00:00
        {"", "no date"}, // 18.16: 2000-01-01 00:00:00
        {"12:34", "no date"}, // 18.16: 2000-01-01 12:34:00
        {"99", "no year"}, // 18.16: 0
        {"Novxyz 21 2026", "unexpected word 'Novxyz'"}, // 18.16: 2026-11-21
        {"0000-00-00 00:00:00", "month 0 is out of range"}, // 18.16: 2000-01-01
        {"not a time", "unexpected word 'not'"},
        {"21/Nov/2026", "expected a month number"},
        {"21/11-2026", "no time before the offset"},
        {"21 Nov", "no year"},
        {"1700000000 x", "text after epoch seconds"},
        {"1700000000.5", "text after epoch seconds"},
        {"12345678901", "digits (11)"},
        {"2026-11-21 07:00:00,123", "unexpected ','"},
        {"2026-11-21 07:00:00 CET", "unexpected word 'CET'"},
        {"2026-11-21t07:00:00", "unexpected word 't'"},
        {"Nov 21, 2026", "unexpected ','"},
    };

    @Test
    void readsTheFormsOfClickHousesBestEffortParserAsTheServerDoes() {
        for (String[] c : ACCEPTED) {
            assertThat(TimeText.parse(c[0], ZoneOffset.UTC).getEpochSecond()).as(c[0]).isEqualTo(Long.parseLong(c[1]));
        }
    }

    @Test
    void textWithoutAnOffsetIsReadInTheGivenZoneAndEpochSecondsAreExact() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        assertThat(TimeText.parse("21/11/2026 08:00", paris)).isEqualTo(Instant.ofEpochSecond(1795244400L));
        assertThat(TimeText.parse("Sat, 21 Nov 2026 07:00:00 GMT", paris)).isEqualTo(Instant.ofEpochSecond(1795244400L));
        assertThat(TimeText.parse("1795244400", paris)).isEqualTo(Instant.ofEpochSecond(1795244400L));
        assertThat(TimeText.parse("2026-11-21 12:00:00 AM", ZoneOffset.UTC)).as("12 AM is midnight (18.16: noon)")
                .isEqualTo(Instant.ofEpochSecond(1795219200L));
        assertThat(TimeText.parse("2026-11-21T07:00:00.123456789Z", ZoneOffset.UTC))
                .isEqualTo(Instant.ofEpochSecond(1795244400L, 123456789));
    }

    @Test
    void rejectsWhatTheServerWouldTurnIntoAnotherTimeNamingTheReason() {
        for (String[] c : REJECTED) {
            assertThat(TimeText.parse(c[0], ZoneOffset.UTC)).as(c[0]).isNull();
            assertThatThrownBy(() -> TimeText.read(c[0], ZoneOffset.UTC)).as(c[0])
                    .isInstanceOf(ValueException.class).hasMessageContaining(c[1]);
        }
    }

    @Test
    void fastPathAgreesWithTheGeneralPathOnRandomAndOddTexts() {
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
                Instant expected = TimeText.parseBestEffort(t, zone);
                if (a != null) {
                    fast++;
                    assertThat(a).as("%s in %s", t, zone).isEqualTo(expected);
                }
                assertThat(TimeText.parse(t, zone)).as("%s in %s", t, zone).isEqualTo(expected);
            }
        }
        assertThat(fast).as("texts read by the fast path").isGreaterThan(2_500);
    }

    /**
     * The date cache ({@link TimeText.LastDay}) over runs of timestamps that share a date: across day, month and
     * year ends, leap days (2024-02-29, 2000-02-29; 2100-02-29 and 2023-02-29 do not exist), fractions of 0 to 10
     * digits, offsets and zones, and texts whose date is valid but whose time or suffix is not (so a date is
     * remembered from a text the fast path then rejects), and dates one digit apart. Each result equals the uncached fast path and the general
     * parser's epoch second.
     */
    @Test
    void cachedDateGivesTheSameSecondsAsParsingTheDate() {
        String[] dates = {"2026-11-21", "2026-11-22", "2026-12-31", "2027-01-01", "2024-02-28", "2024-02-29",
            "2024-03-01", "2000-02-29", "2100-02-28", "2100-02-29", "2023-02-29", "1969-12-31", "1970-01-01",
            "2106-02-07", "2026-04-30", "2026-04-31", "0000-01-01", "9999-12-31", "2026-1-021", "2026/11/21",
            // each differs from 2026-11-21 in one digit, so a cache that skips a position fails here
            "1026-11-21", "2126-11-21", "2036-11-21", "2027-11-21", "2026-01-21", "2026-12-21", "2026-11-11"};
        String[] suffixes = {"", "Z", "z", "+02:00", "-07:30", "+00:00", "+18:00", "+0200", " UTC"};
        Random rnd = new Random(17);
        List<String> texts = new ArrayList<>();
        String date = dates[0];
        for (int i = 0; i < 20_000; i++) {
            if (rnd.nextInt(8) == 0) {
                date = dates[rnd.nextInt(dates.length)]; // runs of one date, as in a topic, then a switch
            }
            StringBuilder b = new StringBuilder(date);
            b.append(rnd.nextInt(10) == 0 ? 'x' : rnd.nextBoolean() ? 'T' : ' ');
            b.append(String.format("%02d:%02d:%02d", rnd.nextInt(25), rnd.nextInt(61), rnd.nextInt(61)));
            if (rnd.nextBoolean()) {
                b.append('.');
                int digits = rnd.nextInt(11);
                for (int k = 0; k < digits; k++) {
                    b.append((char) ('0' + rnd.nextInt(10)));
                }
            }
            b.append(suffixes[rnd.nextInt(suffixes.length)]);
            texts.add(b.toString());
        }
        for (ZoneId zone : List.of(ZoneOffset.UTC, ZoneOffset.ofHours(-5), ZoneId.of("Europe/Paris"))) {
            TimeText.LastDay lastDay = new TimeText.LastDay();
            int fast = 0;
            for (String t : texts) {
                long cached = TimeText.fixedWidthEpochSecond(t, zone, lastDay);
                assertThat(cached).as("%s in %s", t, zone).isEqualTo(TimeText.fixedWidthEpochSecond(t, zone));
                if (cached != TimeText.NOT_FIXED_WIDTH) {
                    fast++;
                    assertThat(cached).as("%s in %s", t, zone)
                            .isEqualTo(TimeText.parseBestEffort(t, zone).getEpochSecond());
                }
            }
            assertThat(fast).as("texts read by the fast path in %s", zone).isGreaterThan(zone == ZoneOffset.UTC ? 5_000 : 2_000);
        }
    }
}
