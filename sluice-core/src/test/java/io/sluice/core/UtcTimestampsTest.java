package io.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast path must agree with {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} wherever it answers. */
class UtcTimestampsTest {

    @Test
    void agreesWithTheFormatterOnEdgesAndMutations() {
        List<String> cases = new ArrayList<>(List.of(
                "2026-11-21T07:00:00Z", "2026-11-21T07:00:00.1Z", "2026-11-21T07:00:00.100Z",
                "2026-11-21T07:00:00.123456789Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2024-02-29T12:00:00Z",
                "2023-02-29T12:00:00Z", "1900-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
                "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-11-21T24:00:00Z",
                "2026-11-21T23:60:00Z", "2026-11-21T23:59:60Z", "2026-11-21t07:00:00Z", "2026-11-21T07:00:00z",
                "2026-11-21T07:00Z", "2026-11-21T07:00:00.Z", "2026-11-21T07:00:00.1234567890Z",
                "2026-11-21T07:00:00+00:00", "2026-11-21T09:00:00+02:00", "+2026-11-21T07:00:00Z",
                "2026-11-21 07:00:00Z", "2026-11-2a07:00:00Z", "2026-11-21T07:00:00,5Z", "２026-11-21T07:00:00Z",
                "2026-1-21T07:00:00Z", "yesterday", ""));
        Random rnd = new Random(16);
        for (int i = 0; i < 5_000; i++) {
            String t = String.format("%04d-%02d-%02dT%02d:%02d:%02d", rnd.nextInt(10_000), rnd.nextInt(14),
                    rnd.nextInt(33), rnd.nextInt(25), rnd.nextInt(61), rnd.nextInt(61));
            int digits = rnd.nextInt(11);
            if (digits > 0) {
                t += "." + String.valueOf(Math.abs(rnd.nextLong())).substring(0, Math.min(digits, 9));
            }
            cases.add(t + "Z");
        }
        int answered = 0;
        for (String s : cases) {
            Instant fast = UtcTimestamps.parse(s.toCharArray(), 0, s.length());
            Instant slow = formatter(s);
            if (fast != null) {
                answered++;
                assertThat(fast).as(s).isEqualTo(slow);
            }
            // Embedded in a larger buffer, as Jackson hands it over.
            char[] padded = ("xx\"" + s + "\"yy").toCharArray();
            assertThat(UtcTimestamps.parse(padded, 3, s.length())).as(s).isEqualTo(fast);
        }
        assertThat(answered).isGreaterThan(250);
    }

    @Test
    void answersTheShapeProducersWrite() {
        Instant t = Instant.parse("2026-11-21T07:00:00.100Z");
        String s = DateTimeFormatter.ISO_INSTANT.format(t);
        assertThat(UtcTimestamps.parse(s.toCharArray(), 0, s.length())).isEqualTo(t);
    }

    @Test
    void formatsAsIsoInstantDoes() {
        List<Instant> cases = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2026-11-21T07:00:00.100Z"),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("1969-12-31T23:59:59.999Z"), Instant.parse("2024-02-29T12:00:00.000001Z"),
                Instant.parse("2024-02-29T12:00:00.000000001Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59Z"), Instant.MIN, Instant.MAX));
        Random rnd = new Random(61);
        long min = Instant.parse("-0100-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("+10100-01-01T00:00:00Z").getEpochSecond();
        int[] nanoSteps = {0, 1_000_000, 1_000, 1};
        for (int i = 0; i < 5_000; i++) {
            long sec = min + (long) (rnd.nextDouble() * (max - min));
            int step = nanoSteps[rnd.nextInt(nanoSteps.length)];
            cases.add(Instant.ofEpochSecond(sec, step == 0 ? 0 : rnd.nextInt(1_000_000_000 / step) * step));
        }
        int answered = 0;
        for (Instant t : cases) {
            byte[] out = new byte[35];
            int n = UtcTimestamps.format(t, out, 3);
            assertThat(UtcTimestamps.length(t)).as("length of %s", t).isEqualTo(n);
            if (n >= 0) {
                answered++;
                assertThat(new String(out, 3, n, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(t));
            } else {
                assertThat(DateTimeFormatter.ISO_INSTANT.format(t)).doesNotMatch("\\d{4}-.*");
            }
        }
        assertThat(answered).isGreaterThan(4_000);
    }

    @Test
    void reusesASecondsTextOnlyForThatSecondAlsoAcrossThreads() throws Exception {
        // four threads, each a stream of instants 0.5 s apart in its own year, so the shared last-second text
        // is replaced under every thread all the time
        List<Thread> threads = new ArrayList<>();
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int k = 0; k < 4; k++) {
            Instant start = Instant.parse("2026-11-21T23:59:58Z").plusSeconds(86_400L * 400 * k);
            threads.add(new Thread(() -> {
                byte[] out = new byte[30];
                for (int i = 0; i < 200_000; i++) {
                    Instant t = start.plusMillis(500L * i + i % 7);
                    int n = UtcTimestamps.format(t, out, 0);
                    String text = new String(out, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
                    if (!text.equals(DateTimeFormatter.ISO_INSTANT.format(t))) {
                        wrong.add(text + " for " + t);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(wrong).isEmpty();
    }

    private static Instant formatter(String s) {
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
