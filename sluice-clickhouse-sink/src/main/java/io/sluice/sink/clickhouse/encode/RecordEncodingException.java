package io.sluice.sink.clickhouse.encode;

/**
 * A record whose value cannot become a row of its target table. Carries the column and value at fault so the task
 * can name topic, partition, offset, column and value in the task failure or the dead-letter reason.
 */
public final class RecordEncodingException extends Exception {

    private final String column;

    /**
     * @param column the column at fault, or {@code null} when the record as a whole is unusable
     * @param reason what is wrong, including the value
     */
    public RecordEncodingException(String column, String reason) {
        super(column == null ? reason : "column '" + column + "': " + reason, null, false, false);
        this.column = column;
    }

    /** Returns the column at fault, or {@code null} when the record as a whole is unusable. */
    public String column() {
        return column;
    }
}
