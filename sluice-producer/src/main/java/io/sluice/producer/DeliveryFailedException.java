package io.sluice.producer;

/**
 * A reading could not be delivered to Kafka (for example the topic does not exist, the brokers are unreachable past
 * {@code delivery.timeout.ms} / {@code max.block.ms}, authentication failed, or a record was too large). The run
 * stops at the first failure; the cause is the Kafka client's exception.
 */
public final class DeliveryFailedException extends Exception {

    private final long sent;
    private final long acked;

    /**
     * @param message what failed
     * @param sent    readings handed to the producer before the run stopped
     * @param acked   readings acknowledged before the run stopped
     * @param cause   the Kafka client's exception
     */
    public DeliveryFailedException(String message, long sent, long acked, Throwable cause) {
        super(message, cause);
        this.sent = sent;
        this.acked = acked;
    }

    /** Returns how many readings were handed to the producer before the run stopped. */
    public long sent() {
        return sent;
    }

    /** Returns how many readings were acknowledged before the run stopped. */
    public long acked() {
        return acked;
    }
}
