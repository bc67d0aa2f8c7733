package io.sluice.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReadingJsonTest {

    @Test
    void roundTripsAReading() throws Exception {
        Reading r = new Reading(42, Instant.parse("2026-11-21T07:00:00.100Z"), 27.5);
        byte[] json = ReadingJson.toBytes(r);
        assertThat(new String(json, UTF_8))
                .isEqualTo("{\"device_id\":42,\"timestamp\":\"2026-11-21T07:00:00.100Z\",\"temperature\":27.5}");
        assertThat(ReadingJson.parse(json)).isEqualTo(r);
    }

    @Test
    /** Also checks {@link ReadingJson#decimalOf} against {@link BigDecimal#valueOf(double)} on the same values. */
    void writesExactlyWhatJacksonsGeneratorWrote() throws Exception {
        List<Double> temperatures = new ArrayList<>(List.of(0.0, -0.0, 27.5, -27.5, 27.0, 1e-3, -1e-3,
                Math.nextDown(1e-3), Math.nextUp(1e-3), 1e7, -1e7, Math.nextDown(1e7), 9_999_999.9999, 9_999_999.99995,
                1e-4, 0.0001, 0.00015, 0.1 + 0.2, 1.0 / 3, 100.0, 1e21, 1e22, 1e23, 2e23, 8.41e21, 5e-324, -5e-324,
                Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 4.35, 2.675, 1.005, 123456.7891));
        Random rnd = new Random(16);
        for (int i = 0; i < 20_000; i++) {
            // the simulator's shape: whole tenths, drifting far in long runs
            temperatures.add((rnd.nextInt(40_001) - 20_000) / 10.0);
            // any finite double, all magnitudes, subnormals included
            double bits;
            do {
                bits = Double.longBitsToDouble(rnd.nextLong());
            } while (!Double.isFinite(bits));
            temperatures.add(bits);
            // short decimals of every magnitude around the fast path's range and at its edges
            int fractionDigits = rnd.nextInt(8);
            long unscaled = (long) (rnd.nextDouble() * Math.pow(10, rnd.nextInt(12)));
            temperatures.add((rnd.nextBoolean() ? 1 : -1) * new BigDecimal(unscaled).movePointLeft(fractionDigits)
                    .doubleValue());
            // near-decimals: one ulp off a short decimal, must fall back to Double.toString
            temperatures.add(Math.nextUp((rnd.nextInt(1_000_000)) / 1e4));
        }
        // every decimal with at most 4 fractional digits in 0..100, where sensors live
        for (int k = 0; k <= 1_000_000; k++) {
            temperatures.add(k / 1e4);
        }
        List<Integer> ids = new ArrayList<>(List.of(0, Integer.MAX_VALUE));
        for (int p = 1; p <= 1_000_000_000; p *= 10) {
            ids.addAll(List.of(p - 1, p, p + 1));
            if (p == 1_000_000_000) {
                break;
            }
        }
        long min = Instant.parse("-0100-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("+10100-01-01T00:00:00Z").getEpochSecond();
        int[] nanoSteps = {0, 1_000_000, 1_000, 1};
        List<Instant> times = new ArrayList<>(List.of(Instant.MIN, Instant.MAX, Instant.EPOCH,
                Instant.parse("2026-11-21T07:00:00.100Z"), Instant.parse("9999-12-31T23:59:59.999999999Z")));
        for (int i = 0; i < 2_000; i++) {
            long sec = min + (long) (rnd.nextDouble() * (max - min));
            int step = nanoSteps[rnd.nextInt(nanoSteps.length)];
            times.add(Instant.ofEpochSecond(sec, step == 0 ? 0 : rnd.nextInt(1_000_000_000 / step) * step));
        }
        for (double t : temperatures) {
            BigDecimal want = BigDecimal.valueOf(t);
            BigDecimal got = ReadingJson.decimalOf(t);
            if (!got.equals(want)) {
                // equals() compares the scale too: 27.5 and 27.50 differ here
                assertThat(got).as("decimalOf(%s)", t).isEqualTo(want);
            }
        }
        int i = 0;
        for (double t : temperatures) {
            int id = i < ids.size() ? ids.get(i) : rnd.nextInt(Integer.MAX_VALUE >> rnd.nextInt(31));
            Reading r = new Reading(id, times.get(i % times.size()), t);
            i++;
            byte[] expected = jackson(r);
            byte[] actual = ReadingJson.toBytes(r);
            if (!java.util.Arrays.equals(actual, expected)) {
                assertThat(new String(actual, UTF_8)).as("reading %s", r).isEqualTo(new String(expected, UTF_8));
            }
        }
        assertThat(i).isGreaterThan(1_000_000);
    }

    @Test
    void canonicalParseEqualsJacksonOnWrittenAndMutatedReadings() {
        Random rnd = new Random(17);
        List<byte[]> inputs = new ArrayList<>();
        for (String s : List.of("0", "-0", "-0.0", "0.0", "27", "-27", "27.50", "007", "1.", ".5", "1e2", "1E-2",
                "27.5 ", "123456789012345", "1234567890123456", "0.000000000000001", "1.0000000000000001",
                "999999999999999.9", "-999999999999999", "99999999999999999999", "0.1", "-", "+1", "0x10",
                "true", "null", "\"27\"", "NaN", "1e999", "12.3.4")) {
            inputs.add(("{\"device_id\":7,\"timestamp\":\"2026-11-21T07:00:00.100Z\",\"temperature\":" + s + "}")
                    .getBytes(UTF_8));
        }
        for (String id : List.of("0", "00", "01", "-1", "-0", "2147483647", "2147483648", "9999999999",
                "99999999999", "1.0", "1e1", "\"1\"", "")) {
            inputs.add(("{\"device_id\":" + id + ",\"timestamp\":\"2026-11-21T07:00:00Z\",\"temperature\":1.5}")
                    .getBytes(UTF_8));
        }
        for (String ts : List.of("2026-11-21T07:00:00Z", "2026-11-21T07:00:00.1Z", "2026-11-21T07:00:00.123456789Z",
                "2026-11-21T07:00:00.1234567890Z", "2026-11-21T07:00:00+00:00", "2026-11-21t07:00:00z",
                "2026-02-29T07:00:00Z", "2026-11-21T24:00:00Z", "2026-11-21T07:00Z", "", "\u00e9",
                "2026-11-21T07:00:00\\u005a", "yesterday", "2026-11-21T07:00:00.Z")) {
            inputs.add(("{\"device_id\":7,\"timestamp\":\"" + ts + "\",\"temperature\":1.5}").getBytes(UTF_8));
        }
        for (String whole : List.of("{\"device_id\":7,\"timestamp\":\"2026-11-21T07:00:00Z\",\"temperature\":1.5}x",
                "{\"device_id\":7,\"timestamp\":\"2026-11-21T07:00:00Z\",\"temperature\":1.5,\"x\":1}",
                "{\"device_id\":7,\"timestamp\":\"2026-11-21T07:00:00Z\",\"temperature\":1.5}}",
                " {\"device_id\":7,\"timestamp\":\"2026-11-21T07:00:00Z\",\"temperature\":1.5}",
                "{\"device_id\":7,\"timestamp\":\"2026-11-21T07:00:00Z\",\"temperature\":1.5",
                "{\"device_id\":7,\"timestamp\":\"2026-11-21T07:00:00Z\"}", "{}", "{\"device_id\":7}")) {
            inputs.add(whole.getBytes(UTF_8));
        }
        int canonical = 0;
        for (int i = 0; i < 30_000; i++) {
            double t = switch (i % 4) {
                case 0 -> (rnd.nextInt(40_001) - 20_000) / 100.0;
                case 1 -> Double.longBitsToDouble(rnd.nextLong() & 0x7fef_ffff_ffff_ffffL) * (rnd.nextBoolean() ? 1 : -1);
                case 2 -> new BigDecimal(rnd.nextLong() % 10_000_000_000_000_000L).movePointLeft(rnd.nextInt(20))
                        .doubleValue();
                default -> rnd.nextInt(1000) - 500.0;
            };
            byte[] json = ReadingJson.toBytes(new Reading(rnd.nextInt(Integer.MAX_VALUE >> rnd.nextInt(31)),
                    Instant.ofEpochMilli(1_790_000_000_000L + rnd.nextInt()), t));
            if ((i % 4 == 0 || i % 4 == 3) && ReadingJson.parseCanonical(json) != null) {
                canonical++;
            }
            inputs.add(json);
            // a mutation: one byte changed, removed or doubled
            byte[] m = json.clone();
            int at = rnd.nextInt(m.length);
            switch (rnd.nextInt(3)) {
                case 0 -> m[at] = (byte) "0123456789.-eE,:\"{} Z\u00ff".charAt(rnd.nextInt(20));
                case 1 -> m = concat(java.util.Arrays.copyOfRange(m, 0, at), java.util.Arrays.copyOfRange(m, at + 1, m.length));
                default -> m = concat(java.util.Arrays.copyOfRange(m, 0, at + 1), java.util.Arrays.copyOfRange(m, at, m.length));
            }
            inputs.add(m);
        }
        assertThat(canonical).as("sensor-like readings as written take the canonical path").isEqualTo(15_000);
        for (byte[] json : inputs) {
            assertThat(outcome(() -> ReadingJson.parse(json))).as(new String(json, UTF_8))
                    .isEqualTo(outcome(() -> ReadingJson.parseWithJackson(json)));
        }
    }

    private interface Parse {
        Reading run() throws InvalidReadingException;
    }

    /** The reading (with the temperature's bits, so -0.0 differs from 0.0), or the error's field and message. */
    private static String outcome(Parse p) {
        try {
            Reading r = p.run();
            return r + " " + Double.doubleToRawLongBits(r.temperature());
        } catch (InvalidReadingException e) {
            return "error " + e.field() + ": " + e.getMessage();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void nonFiniteTemperaturesNeverReachTheWriter() {
        Instant t = Instant.EPOCH;
        for (double v : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> new Reading(1, t, v)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** The serialisation {@link ReadingJson#toBytes} had before it was written by hand: one Jackson generator per reading. */
    private static byte[] jackson(Reading reading) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        try (JsonGenerator g = JACKSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField(ReadingJson.DEVICE_ID, reading.deviceId());
            g.writeStringField(ReadingJson.TIMESTAMP, DateTimeFormatter.ISO_INSTANT.format(reading.timestamp()));
            g.writeNumberField(ReadingJson.TEMPERATURE, reading.temperature());
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static final JsonFactory JACKSON = new JsonFactory();

    @Test
    void acceptsOffsetsAndIgnoresUnknownFields() throws Exception {
        Reading r = ReadingJson.parse(
                "{\"x\":{\"a\":[1]},\"temperature\":30,\"device_id\":1,\"timestamp\":\"2026-11-21T09:00:00+02:00\"}"
                        .getBytes(UTF_8));
        assertThat(r).isEqualTo(new Reading(1, Instant.parse("2026-11-21T07:00:00Z"), 30.0));
    }

    @Test
    void namesTheFieldAtFault() {
        assertThatThrownBy(() -> parse("{\"device_id\":\"7\",\"timestamp\":\"2026-11-21T07:00:00Z\",\"temperature\":1}"))
                .isInstanceOf(InvalidReadingException.class).hasMessage("device_id: expected an integer, got string '7'");
        assertThatThrownBy(() -> parse("{\"device_id\":7,\"temperature\":1}"))
                .hasMessage("timestamp: missing");
        assertThatThrownBy(() -> parse("{\"device_id\":7,\"timestamp\":\"yesterday\",\"temperature\":1}"))
                .hasMessageContaining("timestamp: not an ISO-8601");
        assertThatThrownBy(() -> parse("{\"device_id\":-1,\"timestamp\":\"2026-11-21T07:00:00Z\",\"temperature\":1}"))
                .hasMessageContaining("device_id: out of range");
        assertThatThrownBy(() -> parse("{\"device_id\":1,\"timestamp\":\"2026-11-21T07:00:00Z\",\"temperature\":1e999}"))
                .hasMessageContaining("temperature: not a finite number");
        assertThatThrownBy(() -> parse("{\"device_id\":1,"))
                .hasMessageStartingWith("malformed JSON");
        assertThatThrownBy(() -> parse("[1,2]")).hasMessage("payload is not a JSON object");
    }

    private static Reading parse(String s) throws InvalidReadingException {
        InvalidReadingException e;
        try {
            return ReadingJson.parse(s.getBytes(UTF_8));
        } catch (InvalidReadingException ex) {
            e = ex;
        }
        throw e;
    }
}
