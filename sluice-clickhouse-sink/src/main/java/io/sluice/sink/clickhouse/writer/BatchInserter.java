package io.sluice.sink.clickhouse.writer;

import io.sluice.sink.clickhouse.encode.Encoders;
import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.Sql;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inserts batches with bounded retries ({@link BoundedRetry}). Non-retriable failures and exhausted retries surface
 * as exceptions; the caller fails the task and leaves offsets uncommitted.
 *
 * <p>With exactly-once delivery, an insert whose outcome is unknown (the connection broke after the body was
 * sent, the request timed out, or the server answered TIMEOUT_EXCEEDED, UNKNOWN_STATUS_OF_INSERT or a Keeper
 * error) may have landed in whole or in part (one part per table partition), and may still be running on the
 * server: a client timeout does not stop it. Every attempt therefore carries its own {@code query_id}. Before the
 * next attempt the inserter waits until that query has left {@code system.processes} (after
 * {@link #STILL_RUNNING_GRACE_MS} it kills it with {@code KILL QUERY ... SYNC}; parts are written atomically, so a
 * killed insert leaves whole parts), then asks the table which of the batch's Kafka offsets it already holds and
 * drops those rows, so the retry writes exactly the missing ones. Asking while the first attempt still ran saw
 * nothing, and both attempts landed.
 */
public final class BatchInserter {

    private static final Logger log = LoggerFactory.getLogger(BatchInserter.class);
    /** How long a timed-out insert may go on running on the server before it is killed, in milliseconds. */
    static final long STILL_RUNNING_GRACE_MS = 30_000;
    private static final long POLL_MS = 100;

    private final ClickHouseClient client;
    private final BoundedRetry retry;
    private final boolean exactlyOnce;
    /** Per qualified table name, how its inserts and checks stay consistent across replicas. */
    private final Map<String, ReplicaConsistency> consistency = new ConcurrentHashMap<>();

    /**
     * @param client      the ClickHouse client
     * @param retry       the retry policy
     * @param exactlyOnce whether to remove already-landed rows before retrying an insert with an unknown outcome
     */
    public BatchInserter(ClickHouseClient client, BoundedRetry retry, boolean exactlyOnce) {
        this.client = client;
        this.retry = retry;
        this.exactlyOnce = exactlyOnce;
    }

    /**
     * Sets how a table is inserted into and checked ({@link ReplicaConsistency}); tables never set are
     * {@link ReplicaConsistency#LOCAL}.
     */
    public void use(TableSchema schema, ReplicaConsistency c) {
        consistency.put(schema.qualifiedName(), c);
    }

    /** Returns how a table is inserted into and checked. */
    public ReplicaConsistency consistency(TableSchema schema) {
        return consistency.getOrDefault(schema.qualifiedName(), ReplicaConsistency.LOCAL);
    }

    /**
     * Inserts one shape of a batch.
     *
     * @param schema the target table
     * @param shape  the rows and their INSERT statement; may shrink when rows turn out to be written already
     * @return the number of rows inserted by this call
     * @throws ClickHouseException  if the insert fails with a non-retriable error, or retries run out; the last
     *                              error is thrown
     * @throws InterruptedException if interrupted while backing off
     */
    public int insert(TableSchema schema, TableBuffer.Shape shape) throws ClickHouseException, InterruptedException {
        boolean[] mayHaveLanded = {false};
        String[] lastQueryId = {null};
        return retry.call("Insert of " + shape.rowCount() + " rows into " + schema, () -> {
            if (mayHaveLanded[0] && exactlyOnce) {
                awaitFinished(lastQueryId[0]);
                int removed = removeLanded(schema, shape);
                if (removed > 0) {
                    log.info("{} of {} rows for {} had landed before the failure; inserting the rest",
                            removed, removed + shape.rowCount(), schema);
                }
                if (shape.rowCount() == 0) {
                    return 0;
                }
            }
            String queryId = "sluice-" + UUID.randomUUID();
            List<String> settings = new ArrayList<>(Encoders.insertSettings(schema.columnTypes()));
            settings.addAll(consistency(schema).insertSettings());
            settings.add("query_id=" + queryId);
            try {
                client.insert(shape.insertSql(), shape.rows().array(), shape.rows().size(), settings);
                return shape.rowCount();
            } catch (ClickHouseException e) {
                if (e.ambiguous()) {
                    mayHaveLanded[0] = true;
                    lastQueryId[0] = queryId;
                }
                throw e;
            }
        });
    }

    /**
     * Waits until the query has left {@code system.processes}, killing it after {@link #STILL_RUNNING_GRACE_MS}.
     *
     * @throws ClickHouseException if the server cannot be asked, the query is still there after being killed
     *                             (retriable: the next attempt waits again), or the thread is interrupted
     */
    private void awaitFinished(String queryId) throws ClickHouseException {
        String where = " WHERE query_id = " + Sql.quoteString(queryId);
        long deadline = System.nanoTime() + STILL_RUNNING_GRACE_MS * 1_000_000;
        boolean logged = false;
        while (!client.query("SELECT count() FROM system.processes" + where).equals("0")) {
            if (System.nanoTime() > deadline) {
                log.warn("Insert {} still runs {} ms after its outcome became unknown; killing it", queryId,
                        STILL_RUNNING_GRACE_MS);
                client.query("KILL QUERY" + where + " SYNC");
                if (!client.query("SELECT count() FROM system.processes" + where).equals("0")) {
                    throw ClickHouseException.fromTransport("waiting for insert " + queryId, false,
                            new java.io.IOException("still running after KILL QUERY"));
                }
                return;
            }
            if (!logged) {
                log.info("Insert {} timed out on the client but still runs on the server; waiting for it before "
                        + "checking which rows landed", queryId);
                logged = true;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ClickHouseException.fromTransport("waiting for insert " + queryId, false, e);
            }
        }
    }

    private int removeLanded(TableSchema schema, TableBuffer.Shape shape) throws ClickHouseException {
        Map<TopicPartition, long[]> ranges = new HashMap<>();
        for (int i = 0; i < shape.rowCount(); i++) {
            long o = shape.offset(i);
            long[] r = ranges.computeIfAbsent(shape.partition(i), k -> new long[] {o, o});
            r[0] = Math.min(r[0], o);
            r[1] = Math.max(r[1], o);
        }
        Map<TopicPartition, long[]> landed = new HashMap<>();
        for (Map.Entry<TopicPartition, long[]> e : ranges.entrySet()) {
            long[] range = e.getValue();
            int span = (int) Math.min(Integer.MAX_VALUE, range[1] - range[0] + 1);
            landed.put(e.getKey(), WrittenOffsets.query(client, consistency(schema), schema, e.getKey().topic(),
                    e.getKey().partition(), range[0], range[1], span));
        }
        BitSet keep = new BitSet(shape.rowCount());
        for (int i = 0; i < shape.rowCount(); i++) {
            if (Arrays.binarySearch(landed.get(shape.partition(i)), shape.offset(i)) < 0) {
                keep.set(i);
            }
        }
        return shape.retainRows(keep);
    }
}
