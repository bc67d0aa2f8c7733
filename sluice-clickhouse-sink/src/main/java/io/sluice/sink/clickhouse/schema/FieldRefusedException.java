package io.sluice.sink.clickhouse.schema;

/**
 * A record's new field that schema evolution cannot turn into a column (a name ClickHouse refuses or cannot store,
 * no type that fits, or the table's column cap reached). It concerns one record: the task dead-letters that record
 * with {@code errors.tolerance=all} and goes on.
 */
public final class FieldRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field  the field, or {@code null} when the refusal concerns the record's new fields together
     * @param reason why, for the dead-letter headers and the log
     */
    public FieldRefusedException(String field, String reason) {
        super(reason, null, false, false);
        this.field = field;
    }

    /** Returns the refused field, or {@code null} when the refusal concerns the record's new fields together. */
    public String field() {
        return field;
    }
}
