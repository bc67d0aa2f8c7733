package io.sluice.aggregator.runner;

import io.sluice.aggregator.core.PartitionSlice;

/**
 * Encodes the partition watermark in the metadata string of a committed Kafka offset
 * ({@code OffsetAndMetadata.metadata()}), so that a restarted runner judges lateness exactly as the first run did:
 * {@code "sluice-wm=<epoch ms>"}, or empty when unknown.
 */
final class WatermarkMetadata {

    private static final String PREFIX = "sluice-wm=";

    private WatermarkMetadata() {
    }

    static String encode(long watermark) {
        return watermark == PartitionSlice.NO_WATERMARK ? "" : PREFIX + watermark;
    }

    static long decode(String metadata) {
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return PartitionSlice.NO_WATERMARK;
        }
        try {
            return Long.parseLong(metadata.substring(PREFIX.length()));
        } catch (NumberFormatException e) {
            return PartitionSlice.NO_WATERMARK;
        }
    }
}
