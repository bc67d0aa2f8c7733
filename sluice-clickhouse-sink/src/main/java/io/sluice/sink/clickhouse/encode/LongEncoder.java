package io.sluice.sink.clickhouse.encode;

/**
 * A {@link FieldEncoder} for integer columns that also takes a primitive {@code long}, so Kafka coordinates
 * (partition, offset) are written without boxing. {@code encodeLong(x, out)} writes and throws exactly what
 * {@code encode(Long.valueOf(x), out)} would.
 */
interface LongEncoder {

    /**
     * Appends one integer value.
     *
     * @throws ValueException if the value is out of the column type's range
     */
    void encodeLong(long x, RowBinaryBuffer out) throws ValueException;
}
