package io.sluice.producer;

/**
 * The outcome of a {@link ReadingProducer#run} that did not fail.
 *
 * @param records          readings acknowledged by the brokers
 * @param sent             readings handed to the Kafka producer; equal to {@code records} unless cancelled
 * @param bytes            key and value bytes of the acknowledged readings, before compression
 * @param elapsedMillis    milliseconds from the start of the run until every reading was acknowledged
 * @param recordsPerSecond achieved rate, acknowledged readings/s over the elapsed time
 * @param cancelled        {@code true} if the run was stopped by {@link ReadingProducer#cancel()} before its
 *                         sources were exhausted
 */
public record ProduceResult(long records, long sent, long bytes, long elapsedMillis, double recordsPerSecond,
                            boolean cancelled) {
}
