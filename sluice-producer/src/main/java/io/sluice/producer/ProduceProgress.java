package io.sluice.producer;

/**
 * A snapshot of a running {@link ReadingProducer}, passed to a {@link ProgressListener}.
 *
 * @param sent          readings handed to the Kafka producer so far
 * @param acked         readings acknowledged by the brokers (acks=all) so far
 * @param bytes         key and value bytes of the acknowledged readings, before compression
 * @param elapsedMillis milliseconds since the run started
 * @param currentRate   acknowledged readings/s since the previous snapshot
 * @param averageRate   acknowledged readings/s since the start
 */
public record ProduceProgress(long sent, long acked, long bytes, long elapsedMillis, double currentRate,
                              double averageRate) {
}
