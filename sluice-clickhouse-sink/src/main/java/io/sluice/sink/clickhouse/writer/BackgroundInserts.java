package io.sluice.sink.clickhouse.writer;

import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.metrics.SinkTaskMetrics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Runs a task's inserts on background threads, so the task keeps consuming and encoding while ClickHouse ingests,
 * and tables of a multi-topic task are inserted in parallel.
 *
 * <p>Rules: at most one insert per table at a time (rows of a partition land in order, and ClickHouse gets about
 * one insert per table per flush interval), and at most {@code maxInFlight} per task (bounds memory to the
 * buffered batches plus {@code maxInFlight} batches being sent). The task thread alone calls every method.
 *
 * <p>Offsets: a batch being inserted still counts as unwritten; {@link #firstOffset} gives the task its lowest
 * offset per partition so {@code preCommit} never passes it. A failed insert stays registered (its rows are never
 * reported as written) and {@link #collect} rethrows its failure, which fails the task with offsets uncommitted.
 *
 * <p>Rows the server refused alone (bisected, when errors are tolerated: {@link BatchInserter}) are handed to the
 * task's {@code onRefused} on the task thread as their insert is finished, before its offsets can be committed:
 * Kafka Connect's {@code ErrantRecordReporter} promises its ordering guarantee for reports made from the task's
 * {@code put}, not from other threads.
 */
public final class BackgroundInserts implements InsertQueue, AutoCloseable {

    private static final class InFlight {
        final TableBuffer.Batch rows;
        /** The rows refused alone. */
        final Future<List<RefusedRow>> done;

        InFlight(TableBuffer.Batch rows, Future<List<RefusedRow>> done) {
            this.rows = rows;
            this.done = done;
        }
    }

    /** Longest wait, as the task stops, for its inserts to leave the server, in milliseconds. */
    public static final long STOP_WAIT_MS = 30_000;

    private final BatchInserter inserter;
    private final SinkTaskMetrics metrics;
    private final Consumer<RefusedRow> onRefused;
    private final int maxInFlight;
    private final ExecutorService pool;
    /** Per table (keyed by the task's batch for it), the insert running now. */
    private final Map<TableBuffer, InFlight> inFlight = new IdentityHashMap<>();
    private ConnectException failure;
    /** The table whose insert failed, or null. */
    private TableBuffer failedTable;
    /** Tables (as {@code db.table}) with an insert finished since {@link #drainInserted}. */
    private final Set<String> inserted = new HashSet<>();

    /**
     * @param inserter    inserts one batch with retries
     * @param metrics     receives rows, bytes and latency of each successful insert
     * @param maxInFlight most inserts running at once for this task, at least 1
     * @param threadName  prefix of the insert threads' names
     * @param onRefused   dead-letters a row the server refused alone; called on the task thread
     */
    public BackgroundInserts(BatchInserter inserter, SinkTaskMetrics metrics, int maxInFlight, String threadName,
            Consumer<RefusedRow> onRefused) {
        this.inserter = inserter;
        this.metrics = metrics;
        this.onRefused = onRefused;
        this.maxInFlight = maxInFlight;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(maxInFlight, r -> {
            Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public boolean canSubmit(TableBuffer table) {
        return failure == null && !inFlight.containsKey(table) && inFlight.size() < maxInFlight;
    }

    @Override
    public void submit(TableBuffer table) {
        if (!canSubmit(table)) {
            throw new IllegalStateException("an insert into " + table.schema() + " is already running");
        }
        TableBuffer.Batch rows = table.detach();
        Future<List<RefusedRow>> f = pool.submit(() -> insert(rows));
        inFlight.put(table, new InFlight(rows, f));
    }

    private List<RefusedRow> insert(TableBuffer.Batch batch) throws ClickHouseException, InterruptedException {
        int rows = batch.rowCount();
        long bytes = batch.byteCount();
        long start = System.nanoTime();
        List<RefusedRow> refused = new ArrayList<>();
        for (TableBuffer.Shape shape : batch.nonEmptyShapes()) {
            inserter.insert(batch.schema(), shape, refused);
        }
        metrics.inserted(rows - refused.size(), bytes, (System.nanoTime() - start) / 1_000_000);
        return refused;
    }

    /**
     * Finishes the inserts that are done, recycling their buffers.
     *
     * @throws ConnectException if an insert failed (now or before); its rows stay unwritten
     */
    public void collect() {
        Iterator<Map.Entry<TableBuffer, InFlight>> it = inFlight.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<TableBuffer, InFlight> e = it.next();
            if (e.getValue().done.isDone() && failure == null) {
                finish(e.getKey(), e.getValue());
                if (failure == null) {
                    it.remove();
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Waits for the running insert of one table, if any, and finishes it.
     *
     * @throws ConnectException if it (or an earlier insert) failed, or the wait was interrupted
     */
    public void await(TableBuffer table) {
        if (failure != null) {
            throw failure;
        }
        InFlight f = inFlight.get(table);
        if (f != null) {
            finish(table, f);
            if (failure != null) {
                throw failure;
            }
            inFlight.remove(table);
        }
    }

    /**
     * Waits for every running insert and finishes them.
     *
     * @throws ConnectException if one failed
     */
    public void awaitAll() {
        for (TableBuffer t : new ArrayList<>(inFlight.keySet())) {
            await(t);
        }
    }

    /**
     * Inserts a table's running and buffered rows and waits until they are in ClickHouse.
     *
     * @throws ConnectException if an insert failed
     */
    public void flush(TableBuffer table) {
        await(table);
        if (table.rowCount() > 0) {
            if (!canSubmit(table)) {
                awaitAll();
            }
            submit(table);
            await(table);
        }
    }

    private void finish(TableBuffer table, InFlight f) {
        try {
            for (RefusedRow r : f.done.get()) {
                onRefused.accept(r);
            }
            inserted.add(f.rows.schema().toString());
            table.recycle(f.rows);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            failedTable = table;
            failure = new ConnectException("insert of " + f.rows.rowCount() + " rows into " + f.rows.schema()
                    + " failed; offsets stay uncommitted and the rows will be redelivered: " + c.getMessage(), c);
        } catch (ConnectException e) {
            failedTable = table; // a refused row could not be dead-lettered: fail like a refused insert
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new ConnectException("interrupted while inserting into " + f.rows.schema(), e);
        }
    }

    /** Returns the table (the task's batch for it) whose insert failed, or {@code null}. */
    public TableBuffer failedTable() {
        return failedTable;
    }

    /**
     * Forgets the failed insert so inserts run again; the caller takes responsibility for its rows (for
     * example by having Kafka Connect deliver their records again).
     *
     * @return the rows of the failed insert
     * @throws IllegalStateException if no insert failed
     */
    public TableBuffer.Batch discardFailed() {
        if (failedTable == null) {
            throw new IllegalStateException("no insert failed");
        }
        TableBuffer.Batch rows = inFlight.remove(failedTable).rows;
        failedTable = null;
        failure = null;
        return rows;
    }

    /** Returns the tables ({@code db.table}) with an insert finished since the last call, and forgets them. */
    public Set<String> drainInserted() {
        Set<String> done = new HashSet<>(inserted);
        inserted.clear();
        return done;
    }

    /** Returns the failure that stopped these inserts, or {@code null}. */
    public ConnectException failure() {
        return failure;
    }

    /** Returns the lowest offset of a partition in the running (or failed) insert of a table, or {@code null}. */
    public Long firstOffset(TableBuffer table, TopicPartition tp) {
        InFlight f = inFlight.get(table);
        return f == null ? null : f.rows.firstOffset(tp);
    }

    /** Returns true if the running (or failed) insert of a table holds rows of the partition. */
    public boolean holds(TableBuffer table, TopicPartition tp) {
        InFlight f = inFlight.get(table);
        return f != null && f.rows.holds(tp);
    }

    /** Returns the number of rows being inserted. */
    public long rowsInFlight() {
        long n = 0;
        for (InFlight f : inFlight.values()) {
            n += f.rows.rowCount();
        }
        return n;
    }

    /**
     * Gives up the running inserts that hold rows of any of the partitions, as their partitions are closed: each is
     * interrupted, so it makes no further attempt (an attempt already sent may go on running on the server; the
     * partitions' next owner waits for it, {@code task/StaleInserts}), and forgotten with its rows. A failed insert
     * is left as it is: the task fails on it anyway.
     *
     * @return per partition of the given-up batches that is not among {@code partitions}, its lowest offset in
     *         them: those rows are no longer being written, so the caller must have them delivered again
     */
    public Map<TopicPartition, Long> abandon(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> orphaned = new HashMap<>();
        Iterator<Map.Entry<TableBuffer, InFlight>> it = inFlight.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<TableBuffer, InFlight> e = it.next();
            InFlight f = e.getValue();
            if (e.getKey() == failedTable || !holdsAny(f.rows, partitions)) {
                continue;
            }
            f.done.cancel(true);
            it.remove();
            for (Map.Entry<TopicPartition, Long> first : f.rows.firstOffsets().entrySet()) {
                if (!partitions.contains(first.getKey())) {
                    orphaned.merge(first.getKey(), first.getValue(), Math::min);
                }
            }
        }
        return orphaned;
    }

    private static boolean holdsAny(TableBuffer.Batch rows, Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            if (rows.holds(tp)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Stops the insert threads, interrupting running inserts (their rows are uncommitted and, under exactly-once,
     * found by the next owner's check if they landed), then waits, up to {@code timeoutMs}, until none of their
     * attempts runs on the server any more ({@link BatchInserter#awaitAttemptsGone}), so that no insert outlives
     * the task.
     *
     * @param timeoutMs longest wait for the attempts to leave the server, in milliseconds
     * @return the query ids still running at the deadline (empty when none)
     */
    public Set<String> close(long timeoutMs) {
        pool.shutdownNow();
        try {
            pool.awaitTermination(Math.min(timeoutMs, 5_000), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inFlight.clear();
        return inserter.awaitAttemptsGone(timeoutMs);
    }

    /** As {@link #close(long)} with a wait of {@link #STOP_WAIT_MS}. */
    @Override
    public void close() {
        close(STOP_WAIT_MS);
    }
}
