package io.sluice.sink.clickhouse.task;

import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.FieldRefusedException;
import io.sluice.sink.clickhouse.schema.SchemaEvolver;
import io.sluice.sink.clickhouse.schema.TableCatalog;
import io.sluice.sink.clickhouse.schema.TableSchema;
import io.sluice.sink.clickhouse.writer.BackgroundInserts;
import io.sluice.sink.clickhouse.writer.TableBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps batches in step with their tables' columns:
 * <ul>
 *   <li><b>Evolution</b> ({@code schema.evolution=add_columns}): a record with a new field inserts what its buffer
 *       holds, adds the columns ({@link SchemaEvolver}) and switches the buffer to them.</li>
 *   <li><b>Rewind</b>: an insert that the server refuses because a cached column is gone
 *       (NO_SUCH_COLUMN_IN_TABLE, code 16) re-reads the table, drops the refused and buffered rows, and asks Kafka
 *       Connect to deliver their records again from each partition's first such offset
 *       ({@link SinkTaskContext#offset}); they are encoded for the current columns. Rows inserted before the
 *       refusal are found by the resume check. A second refusal before the table takes an insert fails the task.</li>
 * </ul>
 */
public final class SchemaRecovery {

    private static final Logger log = LoggerFactory.getLogger(SchemaRecovery.class);
    /** ClickHouse error code NO_SUCH_COLUMN_IN_TABLE ("No such column x in table t"). */
    static final int NO_SUCH_COLUMN_IN_TABLE = 16;

    private final SinkTaskContext context;
    private final TableCatalog catalog;
    private final SchemaEvolver evolver;
    private final BackgroundInserts inserts;
    private final BatchDispatcher dispatcher;
    private final PartitionOffsets offsets;
    private final ResumeCheck resume;
    private final TableRouter router;
    private final IngestMode<?> mode;
    /** Partitions rewound in this put(); their later records in it come again. */
    private final Set<TopicPartition> rewound = new HashSet<>();
    /** Tables re-read after a refusal and not inserted into since. */
    private final Set<String> refreshedTables = new HashSet<>();

    /**
     * @param context    asks Kafka Connect to deliver records again
     * @param catalog    cached table structures
     * @param evolver    adds columns, or {@code null} when schema evolution is off
     * @param inserts   the task's inserts
     * @param dispatcher resumes partitions paused for a rewound table
     * @param offsets    positions set back by a rewind
     * @param resume     checks rewound partitions again
     * @param router     gives encoders for changed tables
     * @param mode       types added columns and prepares changed tables
     */
    public SchemaRecovery(SinkTaskContext context, TableCatalog catalog, SchemaEvolver evolver,
            BackgroundInserts inserts, BatchDispatcher dispatcher, PartitionOffsets offsets, ResumeCheck resume,
            TableRouter router, IngestMode<?> mode) {
        this.context = context;
        this.catalog = catalog;
        this.evolver = evolver;
        this.inserts = inserts;
        this.dispatcher = dispatcher;
        this.offsets = offsets;
        this.resume = resume;
        this.router = router;
        this.mode = mode;
    }

    /** Starts a {@code put}: forgets the partitions rewound in the last one. */
    public void startPut() {
        rewound.clear();
    }

    /** Returns true if the partition was rewound in this {@code put}: its later records in it come again. */
    public boolean rewound(TopicPartition tp) {
        return !rewound.isEmpty() && rewound.contains(tp);
    }

    /** Returns true when schema evolution is on ({@code schema.evolution}). */
    public boolean evolving() {
        return evolver != null;
    }

    /**
     * Adds columns for the value's new fields, if schema evolution is on and it has any: inserts what the buffer
     * holds, alters the table, and switches the buffer to the new columns. If that insert is refused for a gone
     * column, the buffer is rewound instead (check {@link #rewound}).
     *
     * @param fields the record's value as {@link IngestMode#fields} gives it
     * @throws RecordEncodingException if this record's new fields cannot become columns (see
     *                                 {@link SchemaEvolver#addColumns}): the record goes to the dead-letter queue
     * @throws ConnectException        if the columns cannot be added for another reason, or an insert failed
     */
    public void evolve(TableBuffer buffer, Object fields) throws RecordEncodingException {
        try {
            if (evolver == null || !evolver.hasNewFields(buffer.schema(), fields)) {
                return;
            }
        } catch (FieldRefusedException e) {
            throw new RecordEncodingException(e.field(), e.getMessage());
        }
        try {
            inserts.flush(buffer);
        } catch (ConnectException e) {
            boolean mine = inserts.failedTable() == buffer;
            recover(e);
            if (mine) {
                return; // rewound: the record comes again and is encoded for the re-read columns
            }
            inserts.flush(buffer); // another table's refusal was recovered; finish this one
        }
        TableSchema old = buffer.schema();
        try {
            TableSchema s = evolver.addColumns(old, fields, mode.typer());
            mode.prepare(s);
            buffer.setEncoder(router.encoderFor(s));
        } catch (FieldRefusedException e) {
            throw new RecordEncodingException(e.field(), e.getMessage());
        } catch (ClickHouseException e) {
            throw new ConnectException("cannot add columns for new fields to " + old + ": " + e.getMessage(), e);
        } catch (DataException | IllegalStateException e) {
            throw new ConnectException("cannot add columns for new fields to " + old + ": " + e.getMessage()
                    + "; add them with ALTER TABLE yourself", e);
        }
    }

    /**
     * Finishes the inserts that are done, recovering from a refused cached column.
     *
     * @throws ConnectException if an insert failed for another reason
     */
    public void collect() {
        try {
            inserts.collect();
        } catch (ConnectException e) {
            recover(e);
        }
        refreshedTables.removeAll(inserts.drainInserted());
    }

    /**
     * Handles a failed insert: when the server refused it because a cached column no longer exists and the table
     * was not just re-read, rewinds the table's partitions; otherwise rethrows.
     *
     * @throws ConnectException {@code failure}, unless it was recovered
     */
    public void recover(ConnectException failure) {
        TableBuffer table = inserts.failedTable();
        if (table == null || !(failure.getCause() instanceof ClickHouseException)
                || ((ClickHouseException) failure.getCause()).code() != NO_SUCH_COLUMN_IN_TABLE) {
            throw failure;
        }
        TableSchema old = table.schema();
        catalog.invalidate(old.database(), old.table());
        if (!refreshedTables.add(old.toString())) {
            throw failure;
        }
        TableBuffer.Batch refused = inserts.discardFailed();
        dispatcher.release(table);
        rewind(table, refused, (ClickHouseException) failure.getCause());
    }

    private void rewind(TableBuffer buffer, TableBuffer.Batch refused, ClickHouseException cause) {
        TableSchema old = buffer.schema();
        TableSchema s;
        try {
            s = catalog.get(old.database(), old.table());
        } catch (ClickHouseException e) {
            throw new ConnectException("cannot re-read " + old + " after: " + cause.getMessage(), e);
        }
        if (s == null) {
            throw new ConnectException("table " + old + " no longer exists: " + cause.getMessage());
        }
        Map<TopicPartition, Long> first = new HashMap<>(buffer.firstOffsets());
        for (Map.Entry<TopicPartition, Long> e : refused.firstOffsets().entrySet()) {
            first.merge(e.getKey(), e.getValue(), Math::min);
        }
        buffer.clear();
        buffer.setEncoder(router.encoderFor(s));
        for (Map.Entry<TopicPartition, Long> e : first.entrySet()) {
            TopicPartition tp = e.getKey();
            context.offset(tp, e.getValue());
            offsets.rewind(tp, e.getValue());
            rewound.add(tp);
            resume.recheck(tp);
        }
        log.warn("{} refused a column the sink had cached ({}); re-read its columns {} and rewound {}", old,
                cause.getMessage(), s.columns(), first);
    }
}
