package io.sluice.producer;

import io.sluice.core.Reading;

/**
 * The record keys ({@link Reading#key()}) of the devices a sending thread has seen, so that a fleet's keys are built
 * once per device instead of once per reading. Direct-mapped on the low 14 bits of the device id: fleets of up to
 * 16,384 consecutive ids always hit; beyond that a key is built as before. Not thread-safe: one per sending thread.
 */
final class DeviceKeys {

    private static final int SLOTS = 1 << 14;

    private final int[] ids = new int[SLOTS];
    private final String[] keys = new String[SLOTS];

    /**
     * Returns the reading's record key.
     *
     * @param reading the reading
     * @return a string equal to {@code reading.key()}
     */
    String key(Reading reading) {
        int id = reading.deviceId();
        int slot = id & (SLOTS - 1);
        String key = keys[slot];
        if (key == null || ids[slot] != id) {
            key = reading.key();
            keys[slot] = key;
            ids[slot] = id;
        }
        return key;
    }
}
