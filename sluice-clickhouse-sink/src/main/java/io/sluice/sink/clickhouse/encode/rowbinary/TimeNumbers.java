package io.sluice.sink.clickhouse.encode.rowbinary;

/**
 * How a plain number (a JSON number, or a Connect integer without a logical type) is read into a Date, Date32,
 * DateTime or DateTime64 column. Connect's {@code Timestamp} and {@code Date} ({@code java.util.Date}) are exact
 * instants and are not affected; nor is a Connect INT32 into a Date column, which is always days (Debezium's
 * {@code io.debezium.time.Date}).
 */
public enum TimeNumbers {
    /**
     * As ClickHouse reads a number in text formats such as JSONEachRow (checked against chDB 26.7): epoch seconds
     * into DateTime, ticks of 10^-P seconds into DateTime64(P) (epoch milliseconds for DateTime64(3)), days since
     * 1970-01-01 into Date and Date32. A number with a fraction is rejected, as the server rejects it.
     */
    CLICKHOUSE,
    /** Epoch milliseconds into every time column; a Date or Date32 takes the UTC day of that instant. */
    EPOCH_MILLIS
}
