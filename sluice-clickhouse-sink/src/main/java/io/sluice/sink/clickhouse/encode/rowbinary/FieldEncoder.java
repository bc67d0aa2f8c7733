package io.sluice.sink.clickhouse.encode.rowbinary;

/**
 * Encodes Java values of one ClickHouse column type into RowBinary. Built once per column by {@link Encoders} so
 * that the per-value path is a virtual call and a type switch on the value, with no lookups.
 */
public interface FieldEncoder {

    /**
     * Appends one value.
     *
     * @param value a Kafka Connect value: a Java primitive wrapper, String, byte[], ByteBuffer, BigDecimal,
     *              java.util.Date, List, Map or Struct; never {@code null} (callers handle nulls)
     * @param out   the buffer
     * @throws ValueException if the value cannot be represented in this type; the buffer may then hold a partial
     *                        value and the caller must truncate it
     */
    void encode(Object value, RowBinaryBuffer out) throws ValueException;

    /** Appends the type's default: zero, empty string or array, epoch, NULL for Nullable (ClickHouse "Data Types" defaults). */
    void encodeDefault(RowBinaryBuffer out);
}
