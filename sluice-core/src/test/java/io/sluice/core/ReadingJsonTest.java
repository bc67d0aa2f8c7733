package io.sluice.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
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
