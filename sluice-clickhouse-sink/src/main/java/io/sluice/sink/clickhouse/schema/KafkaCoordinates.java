package io.sluice.sink.clickhouse.schema;

/**
 * The columns that hold a row's Kafka coordinates, filled by the sink from its SinkRecord rather than from the
 * record's value. {@code (_kafka_topic, _kafka_partition, _kafka_offset)} identify the record a row came from; the
 * exactly-once resume check reads them back (ARCHITECTURE.md, "Delivery guarantees").
 */
public final class KafkaCoordinates {

    /** Column filled with the record's topic (String). */
    public static final String TOPIC = "_kafka_topic";
    /** Column filled with the record's partition (UInt32). */
    public static final String PARTITION = "_kafka_partition";
    /** Column filled with the record's offset (UInt64). */
    public static final String OFFSET = "_kafka_offset";
    /** Column filled with the record's timestamp (epoch milliseconds, or a DateTime column). */
    public static final String TIMESTAMP = "_kafka_timestamp";

    private KafkaCoordinates() {
    }

    /** Returns true for the names of the three coordinate columns that auto-create adds (not the timestamp). */
    public static boolean isCoordinate(String name) {
        return name.equals(TOPIC) || name.equals(PARTITION) || name.equals(OFFSET);
    }
}
