package io.sluice.bench;

/**
 * One way of loading the benchmark topic into a ClickHouse table, started and stopped by the round loop of
 * {@link SinkThroughputBench}, which times it by watching the table's row count.
 */
interface Contender {

    /** Returns the label used in the result tables. */
    String name();

    /** Returns its delivery guarantee, stated next to its figures. */
    String delivery();

    /** Returns whether it writes the Kafka coordinates of each row ({@code _kafka_partition}, {@code _kafka_offset}). */
    boolean writesCoordinates();

    /**
     * Starts loading every row into {@code table} (already created, empty) and returns without waiting.
     *
     * @param run a number unique within the bench, for consumer group and connector names
     * @throws Exception if it cannot start
     */
    void start(String table, int run) throws Exception;

    /** Returns the error that stopped it early, or {@code null}. */
    default Throwable failure() {
        return null;
    }

    /** Stops what {@link #start} started and releases it; called after the last row is visible or on a timeout. */
    void stop() throws Exception;
}
