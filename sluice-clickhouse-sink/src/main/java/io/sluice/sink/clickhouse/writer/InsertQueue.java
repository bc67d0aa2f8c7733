package io.sluice.sink.clickhouse.writer;

/** Where full and due batches go to be inserted: at most one insert per table at a time. */
public interface InsertQueue {

    /** Returns true if a batch of this table can start inserting now. */
    boolean canSubmit(TableBuffer table);

    /**
     * Starts inserting every row buffered in {@code table}, which is left empty to fill again.
     *
     * @throws IllegalStateException unless {@link #canSubmit} holds
     */
    void submit(TableBuffer table);

}
