package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.Reading;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeviceKeysTest {

    @Test
    void givesEveryReadingItsOwnKeyAlsoWhenIdsShareASlot() {
        DeviceKeys keys = new DeviceKeys();
        Random rnd = new Random(16);
        // ids 16,384 apart share a slot; interleave them with random and repeated ids
        int[] ids = {0, 16_384, 0, 1, 16_385, 1, Integer.MAX_VALUE, Integer.MAX_VALUE - 16_384, Integer.MAX_VALUE};
        for (int id : ids) {
            assertThat(keys.key(reading(id))).isEqualTo(Integer.toString(id));
        }
        for (int i = 0; i < 100_000; i++) {
            int id = rnd.nextBoolean() ? rnd.nextInt(40_000) : rnd.nextInt(Integer.MAX_VALUE);
            assertThat(keys.key(reading(id))).isEqualTo(reading(id).key());
        }
    }

    private static Reading reading(int id) {
        return new Reading(id, Instant.EPOCH, 20.0);
    }
}
