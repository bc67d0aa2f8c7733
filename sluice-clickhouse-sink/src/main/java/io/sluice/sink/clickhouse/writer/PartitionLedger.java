package io.sluice.sink.clickhouse.writer;


/**
 * For one partition after (re)assignment: the offsets at or after the resume position that are already rows of
 * the table, written by an earlier task whose offsets were not committed. Records are delivered in increasing
 * offset order, so lookups walk a cursor forward; the ledger empties itself once past its last entry.
 */
public final class PartitionLedger {

    private final long[] written;
    private int cursor;

    /** @param written sorted, distinct offsets already in the table */
    public PartitionLedger(long[] written) {
        this.written = written;
    }

    /** Returns true if the offset is already a row. Calls must come with non-decreasing offsets. */
    public boolean contains(long offset) {
        while (cursor < written.length && written[cursor] < offset) {
            cursor++;
        }
        return cursor < written.length && written[cursor] == offset;
    }

    /** Returns true when every entry is behind the cursor, so the ledger can be dropped. */
    public boolean exhausted() {
        return cursor >= written.length;
    }

    /** Returns the number of offsets in the ledger. */
    public int size() {
        return written.length;
    }

    @Override
    public String toString() {
        return written.length == 0 ? "[]" : "[" + written.length + " offsets " + written[0] + ".."
                + written[written.length - 1] + "]";
    }
}
