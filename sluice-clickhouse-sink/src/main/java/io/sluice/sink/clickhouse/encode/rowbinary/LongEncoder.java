package io.sluice.sink.clickhouse.encode.rowbinary;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * A {@link FieldEncoder} for integer columns that also takes a primitive {@code long}, so Kafka coordinates
 * (partition, offset) are written without boxing. {@code encodeLong(x, out)} writes and throws exactly what
 * {@code encode(Long.valueOf(x), out)} would.
 */
public interface LongEncoder {

    /**
     * Appends one integer value.
     *
     * @throws ValueException if the value is out of the column type's range
     */
    void encodeLong(long x, RowBinaryBuffer out) throws ValueException;

    /**
     * The {@link JsonTokenEncoder} path of integer columns: writes a JSON integer that fits a {@code long} and the
     * column's range.
     *
     * @return false, having written nothing, for other tokens and values out of range
     */
    default boolean encodeIntegerToken(JsonScalar v, RowBinaryBuffer out) throws IOException {
        if (v.token() != JsonToken.VALUE_NUMBER_INT || !v.fitsLong()) {
            return false;
        }
        try {
            encodeLong(v.longValue(), out); // writes nothing when it throws
            return true;
        } catch (ValueException e) {
            return false;
        }
    }
}
