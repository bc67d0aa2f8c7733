package io.sluice.aggregator.core;

/**
 * A record the aggregator skipped because its value is not a valid reading.
 *
 * @param topic     topic name
 * @param partition partition number
 * @param offset    record offset
 * @param field     JSON field at fault, or null when the payload as a whole is unreadable
 * @param reason    what is wrong, with the offending value where there is one
 */
public record Rejection(String topic, int partition, long offset, String field, String reason) {
}
