package io.sluice.aggregator.testing;

import io.sluice.core.Reading;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic readings shaped like the brief's simulator: per device the temperature starts at a random value in
 * 25..35 (two decimals) and takes a step of -1, 0 or +1 per reading; devices report at a fixed interval.
 */
public final class SensorData {

    private SensorData() {
    }

    /**
     * Generates readings interleaved by time: round 0 of every device, then round 1, and so on.
     *
     * @param devices    device ids 1..devices
     * @param perDevice  readings per device
     * @param start      first event time
     * @param intervalMs interval between a device's readings, ms
     * @param seed       random seed
     */
    public static List<Reading> generate(int devices, int perDevice, Instant start, long intervalMs, long seed) {
        Random rnd = new Random(seed);
        double[] temp = new double[devices + 1];
        for (int d = 1; d <= devices; d++) {
            temp[d] = BigDecimal.valueOf(25 + rnd.nextDouble() * 10).setScale(2, RoundingMode.HALF_UP).doubleValue();
        }
        List<Reading> out = new ArrayList<>(devices * perDevice);
        for (int i = 0; i < perDevice; i++) {
            for (int d = 1; d <= devices; d++) {
                temp[d] = BigDecimal.valueOf(temp[d]).add(BigDecimal.valueOf(rnd.nextInt(3) - 1)).doubleValue();
                // a device's clock jitters by up to 37 ms, so times within a partition are not strictly sorted
                Instant t = start.plusMillis(i * intervalMs + rnd.nextInt(38));
                out.add(new Reading(d, t, temp[d]));
            }
        }
        return out;
    }
}
