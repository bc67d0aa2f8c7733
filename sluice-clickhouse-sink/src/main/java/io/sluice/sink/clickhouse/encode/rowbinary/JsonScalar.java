package io.sluice.sink.clickhouse.encode.rowbinary;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * One scalar JSON value as a {@link JsonTokenEncoder} reads it, from Jackson's parser or from
 * {@code FlatJsonScanner}. Only the accessor matching {@link #token()} may be called.
 */
public interface JsonScalar {

    /** Returns VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_STRING, VALUE_TRUE or VALUE_FALSE. */
    JsonToken token();

    /** For VALUE_NUMBER_INT: true if the integer fits a {@code long} (else it is read as a BigInteger). */
    boolean fitsLong() throws IOException;

    /** For VALUE_NUMBER_INT that {@link #fitsLong}: the value. */
    long longValue() throws IOException;

    /** For VALUE_NUMBER_FLOAT: the nearest double, as {@code Double.parseDouble} of the text gives it. */
    double doubleValue() throws IOException;

    /**
     * For VALUE_STRING: the unescaped text. It may be a view of the reader's input, valid only until the reader
     * moves on: call {@code toString()} to keep it.
     */
    CharSequence text() throws IOException;

    /** For VALUE_STRING: appends the unescaped text as a RowBinary String, as {@link RowBinaryBuffer#writeString(String)} would. */
    void writeString(RowBinaryBuffer out) throws IOException;
}
