package io.sluice.sink.clickhouse.task;

import io.sluice.sink.clickhouse.writer.InsertQueue;
import io.sluice.sink.clickhouse.writer.TableBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * Sends batches to be inserted and applies back pressure. A batch goes when it holds {@code batch.max.rows} rows
 * or {@code batch.max.bytes} bytes, when its oldest row is {@code flush.interval.ms} old, or when a poll finds
 * nothing new (the task is caught up) and the table's previous partial insert from this task started at least
 * {@code flush.min.interval.ms} ago (capped at {@code flush.interval.ms}). The spacing keeps a steady stream at about
 * one insert per second per table, as ClickHouse recommends, however often the gaps between a source's requests empty
 * a poll; a table idle for longer still gets its rows at once, and so does the rest of a backlog drained in full
 * batches (full inserts are what ClickHouse wants, so they do not count). While rows are buffered, the worker's
 * polls last at most {@value #CAUGHT_UP_POLL_MS} ms ({@link SinkTaskContext#timeout}), not until its next offset commit
 * ({@code offset.flush.interval.ms}, 60 s by default), so a partial last batch waits about that long. A full batch whose
 * table is still inserting pauses that table's partitions ({@link SinkTaskContext#pause}), so the consumer keeps
 * polling (and stays in its group) while nothing more is buffered; they resume once the batch could start. No
 * method waits for an insert.
 */
public final class BatchDispatcher {

    /**
     * Longest poll while rows are buffered. A poll that waited this long and got nothing means the task is caught
     * up, and its buffered rows are inserted without waiting for the flush interval. Short enough to fit in the
     * gaps between a source's batches at moderate load (a Debezium connector hands over a batch every
     * {@code poll.interval.ms}, 250 ms in Sluice's presets), so changes do not wait for the timer there: at 100 ms
     * those gaps were mostly filled by a busy worker at 400 transactions/s and p99 commit-to-visible was 1.9 s
     * (BENCHMARKS.md, change data capture). Under high load records arrive without such gaps, and batches go by
     * size or {@code flush.interval.ms}, about one insert per second per table.
     */
    static final long CAUGHT_UP_POLL_MS = 30;

    private final InsertQueue inserts;
    private final SinkTaskContext context;
    private final Function<String, TableBuffer> batchOfTopic;
    private final int maxRows;
    private final long maxBytes;
    private final long flushIntervalMs;
    private final long minIntervalMs;
    /** When each table's last partial insert from this task started, epoch milliseconds; absent before the first. */
    private final Map<TableBuffer, Long> lastStartMs = new IdentityHashMap<>();
    /** Tables whose batch is full while their insert runs, with the partitions paused for them. */
    private final Map<TableBuffer, List<TopicPartition>> paused = new IdentityHashMap<>();

    /**
     * @param inserts         runs the inserts
     * @param context         pauses and resumes partitions; its assignment names them
     * @param batchOfTopic    the batch a topic's records go to, or {@code null} if none yet
     * @param maxRows         rows that make a batch full ({@code batch.max.rows})
     * @param maxBytes        bytes that make a batch full ({@code batch.max.bytes})
     * @param flushIntervalMs age in milliseconds of a batch's oldest row that makes it due ({@code flush.interval.ms})
     * @param minIntervalMs   shortest time in milliseconds from the start of a table's previous partial insert to a
     *                        caught-up insert ({@code flush.min.interval.ms}); above the flush interval it
     *                        acts as the flush interval
     */
    public BatchDispatcher(InsertQueue inserts, SinkTaskContext context, Function<String, TableBuffer> batchOfTopic,
            int maxRows, long maxBytes, long flushIntervalMs, long minIntervalMs) {
        this.inserts = inserts;
        this.context = context;
        this.batchOfTopic = batchOfTopic;
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
        this.flushIntervalMs = flushIntervalMs;
        this.minIntervalMs = Math.min(minIntervalMs, flushIntervalMs);
    }

    /** Sends the batch if it is full; called after each row added, {@code nowMs} in epoch milliseconds. */
    public void offer(TableBuffer b, long nowMs) {
        if (full(b)) {
            dispatch(b, true, nowMs);
        }
    }

    /**
     * Sends every batch whose oldest row is at least {@code flush.interval.ms} old at {@code nowMs}, and when
     * {@code caughtUp} every non-empty one whose table's previous partial insert started at least
     * {@code flush.min.interval.ms} before; while rows stay buffered, asks for the next poll within
     * {@value #CAUGHT_UP_POLL_MS} ms, so a caught-up insert held back by the spacing comes soon after it allows.
     *
     * @param nowMs    epoch milliseconds
     * @param caughtUp true when the {@code put} delivered no records: the poll found nothing new
     */
    public void flushDue(Collection<TableBuffer> batches, long nowMs, boolean caughtUp) {
        boolean buffered = false;
        for (TableBuffer b : batches) {
            if (b.rowCount() > 0 && (b.ageMs(nowMs) >= flushIntervalMs || caughtUp && spaced(b, nowMs))) {
                dispatch(b, full(b), nowMs);
            }
            buffered |= b.rowCount() > 0;
        }
        if (buffered) {
            context.timeout(CAUGHT_UP_POLL_MS);
        }
    }

    private boolean full(TableBuffer b) {
        return b.rowCount() >= maxRows || b.byteCount() >= maxBytes;
    }

    private boolean spaced(TableBuffer b, long nowMs) {
        Long last = lastStartMs.get(b);
        return last == null || nowMs - last >= minIntervalMs;
    }

    /** Starts inserting a batch, or, if it is full and cannot start yet, pauses its table's partitions. */
    private void dispatch(TableBuffer b, boolean full, long nowMs) {
        if (inserts.canSubmit(b)) {
            submit(b, full, nowMs);
        } else if (full && !paused.containsKey(b)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (TopicPartition tp : context.assignment()) {
                if (batchOfTopic.apply(tp.topic()) == b) {
                    tps.add(tp);
                }
            }
            context.pause(tps.toArray(new TopicPartition[0]));
            paused.put(b, tps);
        }
    }

    /**
     * Resumes paused tables whose batch can now be inserted ({@code nowMs} in epoch milliseconds); while any stays
     * paused, asks for the next {@code put()} within {@value #CAUGHT_UP_POLL_MS} ms to look again. Never waits for
     * an insert: a {@code put()} that waited as long as a slow insert could pass the consumer's
     * {@code max.poll.interval.ms}, and the task would be ejected from its group while still writing its partitions.
     */
    public void relieve(long nowMs) {
        if (paused.isEmpty()) {
            return;
        }
        resumeReady(nowMs);
        if (!paused.isEmpty()) {
            context.timeout(CAUGHT_UP_POLL_MS);
        }
    }

    private void submit(TableBuffer b, boolean full, long nowMs) {
        inserts.submit(b);
        if (!full) {
            lastStartMs.put(b, nowMs);
        }
    }

    private void resumeReady(long nowMs) {
        for (Iterator<Map.Entry<TableBuffer, List<TopicPartition>>> it = paused.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TableBuffer, List<TopicPartition>> e = it.next();
            if (inserts.canSubmit(e.getKey())) {
                if (e.getKey().rowCount() > 0) {
                    submit(e.getKey(), full(e.getKey()), nowMs);
                }
                context.resume(e.getValue().toArray(new TopicPartition[0]));
                it.remove();
            }
        }
    }

    /** Resumes the partitions paused for a table whose buffered rows were dropped (a rewind). */
    public void release(TableBuffer b) {
        List<TopicPartition> tps = paused.remove(b);
        if (tps != null) {
            context.resume(tps.toArray(new TopicPartition[0]));
        }
    }

    /**
     * Forgets closed partitions, resuming those it paused ({@link #resumeClosed}); a table left with no paused
     * partition is no longer paused, so a full batch pauses the table's newly assigned partitions again. Called
     * while the partitions are still assigned ({@code SinkTask.close}).
     */
    public void forget(Collection<TopicPartition> partitions) {
        List<TopicPartition> wasPaused = new ArrayList<>();
        for (Iterator<List<TopicPartition>> it = paused.values().iterator(); it.hasNext(); ) {
            List<TopicPartition> tps = it.next();
            for (Iterator<TopicPartition> p = tps.iterator(); p.hasNext(); ) {
                TopicPartition tp = p.next();
                if (partitions.contains(tp)) {
                    wasPaused.add(tp);
                    p.remove();
                }
            }
            if (tps.isEmpty()) {
                it.remove();
            }
        }
        resumeClosed(context, wasPaused);
    }

    /**
     * Resumes partitions a part of the task paused and is closing. Kafka Connect remembers every partition a task
     * paused and pauses it again when it is assigned anew (WorkerSinkTask, on partitions assigned); a partition
     * closed while paused and assigned back to this task would then stay paused with nothing left to resume it,
     * and the task would stop consuming it without an error (PausedRebalanceIT). Partitions no longer assigned are
     * left alone (resuming them would fail the task).
     *
     * @param context    the task's context
     * @param partitions partitions being closed that were paused
     */
    static void resumeClosed(SinkTaskContext context, Collection<TopicPartition> partitions) {
        List<TopicPartition> assigned = new ArrayList<>(partitions);
        assigned.retainAll(context.assignment());
        if (!assigned.isEmpty()) {
            context.resume(assigned.toArray(new TopicPartition[0]));
        }
    }

    /** Returns the number of partitions paused now. */
    public long pausedPartitions() {
        long n = 0;
        for (List<TopicPartition> tps : paused.values()) {
            n += tps.size();
        }
        return n;
    }

    /** Forgets every pause and insert time, as the task stops. */
    public void clear() {
        paused.clear();
        lastStartMs.clear();
    }
}
