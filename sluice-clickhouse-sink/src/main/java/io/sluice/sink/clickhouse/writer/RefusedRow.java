package io.sluice.sink.clickhouse.writer;

import org.apache.kafka.connect.sink.SinkRecord;

/**
 * A row that the server refused alone, found by bisecting a refused insert ({@link BatchInserter}): its record, to
 * be dead-lettered, and the server's message.
 */
public final class RefusedRow {

    private final SinkRecord record;
    private final String table;
    private final String reason;

    /**
     * @param record the row's record
     * @param table  the table that refused it, as {@code db.table}
     * @param reason the server's error, with its code
     */
    public RefusedRow(SinkRecord record, String table, String reason) {
        this.record = record;
        this.table = table;
        this.reason = reason;
    }

    /** Returns the row's record. */
    public SinkRecord record() {
        return record;
    }

    /** Returns the table that refused the row ({@code db.table}). */
    public String table() {
        return table;
    }

    /** Returns the server's error, with its code. */
    public String reason() {
        return reason;
    }
}
