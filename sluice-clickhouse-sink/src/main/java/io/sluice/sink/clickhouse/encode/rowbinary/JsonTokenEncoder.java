package io.sluice.sink.clickhouse.encode.rowbinary;

import java.io.IOException;

/**
 * A {@link FieldEncoder} that can write a scalar JSON value ({@link JsonScalar}) itself, without first making the
 * boxed value {@link io.sluice.sink.clickhouse.encode.json.JsonRecordReader} would otherwise hand to {@link FieldEncoder#encode} (a {@code Long},
 * {@code Double} or {@code String} per field).
 *
 * <p>Contract: when it returns true, the bytes written are exactly those {@code encode(value, out)} would write for
 * the value {@link io.sluice.sink.clickhouse.encode.json.JsonRecordReader} reads from that token; when it returns false, it has written nothing, and the
 * caller takes the general path, which also produces the error message for values that do not fit.
 */
public interface JsonTokenEncoder {

    /**
     * Writes a value if it has a form this encoder takes directly.
     *
     * @param v   the value; never JSON {@code null}
     * @param out the buffer
     * @return false, having written nothing, if the token needs the general path (other token kinds, values out of
     *         range, text that does not parse)
     * @throws IOException if the parser fails
     */
    boolean encodeToken(JsonScalar v, RowBinaryBuffer out) throws IOException;
}
