package io.sluice.sink.clickhouse.encode.rowbinary;

/**
 * A value that cannot be encoded as its column's type: a wrong Java type, out of range, or unparseable text. The
 * message says what was expected and shows the value; the caller adds topic, partition, offset and column.
 */
public final class ValueException extends Exception {

    /** @param message what is wrong, including the value */
    public ValueException(String message) {
        super(message, null, false, false);
    }
}
