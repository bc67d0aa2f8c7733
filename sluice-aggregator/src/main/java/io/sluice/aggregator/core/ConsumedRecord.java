package io.sluice.aggregator.core;

/**
 * One Kafka record as the aggregation core sees it, whichever entry point delivered it.
 *
 * @param topic     topic name
 * @param partition partition number, non-negative
 * @param offset    record offset, non-negative
 * @param value     record value: UTF-8 JSON of a reading (see {@code io.sluice.core.ReadingJson}), or null for a
 *                  tombstone or an undecodable value (then reported as invalid)
 */
public record ConsumedRecord(String topic, int partition, long offset, byte[] value) {

    /** Returns {@code topic-partition}, the name used for this record's partition in items, logs and Lambda events. */
    public String source() {
        return ConsumedRecord.sourceName(topic, partition);
    }

    /**
     * Returns {@code topic-partition}, the same form as the keys of a Lambda {@code KafkaEvent}'s record map.
     *
     * @param topic     topic name
     * @param partition partition number
     */
    public static String sourceName(String topic, int partition) {
        return topic + "-" + partition;
    }
}
