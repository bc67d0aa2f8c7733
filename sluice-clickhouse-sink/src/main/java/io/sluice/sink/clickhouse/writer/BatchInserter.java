package io.sluice.sink.clickhouse.writer;

import io.sluice.sink.clickhouse.encode.rowbinary.Encoders;
import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.Sql;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
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
 * next attempt the inserter waits until that query has left {@code system.processes}, of every replica when
 * {@code clickhouse.cluster} is set, since behind a load balancer the next request may reach another one
 * ({@link ServerProcesses}; after
 * {@link #STILL_RUNNING_GRACE_MS} it asks the server to kill it with {@code KILL QUERY ... SYNC}, which ClickHouse
 * 18.16 refuses for an INSERT (code 380), so there the attempt fails as retriable and the next one waits again, up to
 * {@code retry.timeout.ms}; parts are written atomically, so a killed insert leaves whole parts), then asks the table which of the batch's Kafka offsets it already holds and
 * drops those rows, so the retry writes exactly the missing ones. Asking while the first attempt still ran saw
 * nothing, and both attempts landed.
 *
 * <p>When errors are tolerated ({@code errors.tolerance=all}), an insert that the server refuses for some rows'
 * values ({@link ClickHouseException#rowDependent()}: a CHECK constraint, a {@code throwIf} in a column's expression
 * or a materialized view, a value it cannot convert) is bisected: each half is inserted alone, a refused half is
 * halved again, and a row refused alone is handed back as a {@link RefusedRow} with the server's message, to be
 * dead-lettered by the task. A batch of n rows with k refused rows takes at most about 2k·log2(n) extra inserts;
 * past {@link #MAX_BISECTION_INSERTS} the insert fails. Under exactly-once, before a refused insert is split, the
 * rows of it that landed anyway are dropped, as after an unknown outcome: a materialized view's error keeps the
 * table's part (checked on 18.16), and an insert larger than {@code max_insert_block_size} keeps the blocks before
 * the refused one. Under at-least-once those rows are inserted again.
 */
public final class BatchInserter {

    private static final Logger log = LoggerFactory.getLogger(BatchInserter.class);
    /** How long a timed-out insert may go on running on the server before it is killed, in milliseconds. */
    static final long STILL_RUNNING_GRACE_MS = 30_000;
    private static final long POLL_MS = 100;
    /** Most inserts that bisecting one refused insert may make. */
    static final int MAX_BISECTION_INSERTS = 1_000;

    private final ClickHouseClient client;
    private final ServerProcesses processes;
    private final BoundedRetry retry;
    private final boolean exactlyOnce;
    private final boolean bisect;
    private final int maxBisectionInserts;
    /**
     * Query ids of this inserter's attempts that may still run on the server: added as an attempt starts, removed
     * once it is known to have ended (answered, or awaited after an unknown outcome).
     */
    private final Set<String> attempts = ConcurrentHashMap.newKeySet();
    /** Per qualified table name, how its inserts and checks stay consistent across replicas. */
    private final Map<String, ReplicaConsistency> consistency = new ConcurrentHashMap<>();

    /**
     * @param client      the ClickHouse client
     * @param processes   where running inserts are looked for: the answering server, or every replica of
     *                    {@code clickhouse.cluster}
     * @param retry       the retry policy
     * @param exactlyOnce whether to remove already-landed rows before retrying an insert with an unknown outcome
     * @param bisect      whether to bisect inserts refused for some rows' values (errors are tolerated); the
     *                    shapes then keep their records ({@link TableBuffer.Shape#record})
     */
    public BatchInserter(ClickHouseClient client, ServerProcesses processes, BoundedRetry retry, boolean exactlyOnce,
            boolean bisect) {
        this(client, processes, retry, exactlyOnce, bisect, MAX_BISECTION_INSERTS);
    }

    /** As the public constructor, with another cap on the inserts of one bisection (for tests). */
    BatchInserter(ClickHouseClient client, ServerProcesses processes, BoundedRetry retry, boolean exactlyOnce,
            boolean bisect, int maxBisectionInserts) {
        this.client = client;
        this.processes = processes;
        this.retry = retry;
        this.exactlyOnce = exactlyOnce;
        this.bisect = bisect;
        this.maxBisectionInserts = maxBisectionInserts;
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
     * Inserts one shape of a batch; when bisecting, rows the server refuses alone go to {@code refused} instead.
     *
     * @param schema  the target table
     * @param shape   the rows and their INSERT statement; may shrink when rows turn out to be written already
     * @param refused receives the rows refused alone, when bisecting
     * @return the number of rows inserted by this call
     * @throws ClickHouseException  if the insert fails with a non-retriable error that is not bisected, or retries
     *                              run out; the last error is thrown
     * @throws ConnectException     if bisecting takes more than {@link #MAX_BISECTION_INSERTS} inserts
     * @throws InterruptedException if interrupted while backing off
     */
    public int insert(TableSchema schema, TableBuffer.Shape shape, List<RefusedRow> refused)
            throws ClickHouseException, InterruptedException {
        try {
            return insertWithRetries(schema, shape);
        } catch (ClickHouseException e) {
            if (!bisect || !e.rowDependent()) {
                throw e;
            }
            log.warn("{} refused an insert of {} rows for some rows' values; bisecting it to dead-letter those rows "
                    + "and insert the rest: {}", schema, shape.rowCount(), e.getMessage());
            int[] budget = {maxBisectionInserts};
            int before = refused.size();
            int inserted = bisect(schema, shape, e, refused, budget);
            log.info("Bisected the refused insert into {} with {} inserts: {} rows inserted, {} refused",
                    schema, maxBisectionInserts - budget[0], inserted, refused.size() - before);
            return inserted;
        }
    }

    /** Drops the landed rows of a refused shape, then inserts its halves, recursing into refused halves. */
    private int bisect(TableSchema schema, TableBuffer.Shape shape, ClickHouseException refusal,
            List<RefusedRow> refused, int[] budget) throws ClickHouseException, InterruptedException {
        if (exactlyOnce) {
            int rows = shape.rowCount();
            int removed = retry.call("Reading which rows of a refused insert into " + schema + " landed",
                    () -> removeLanded(schema, shape));
            if (removed > 0) {
                log.warn("{} of {} rows of an insert that {} refused are in the table anyway (a materialized view's "
                        + "error keeps the table's part); not inserting them again: {}", removed, rows, schema,
                        refusal.getMessage());
            }
        }
        if (shape.rowCount() == 0) {
            return 0;
        }
        if (shape.rowCount() == 1) {
            refused.add(new RefusedRow(shape.record(0), schema.toString(), refusal.getMessage()));
            return 0;
        }
        int mid = shape.rowCount() / 2;
        int inserted = 0;
        for (TableBuffer.Shape half : List.of(shape.slice(0, mid), shape.slice(mid, shape.rowCount()))) {
            if (budget[0]-- <= 0) {
                throw new ConnectException("bisecting an insert into " + schema
                        + " that the server refused took more than " + maxBisectionInserts + " inserts ("
                        + refused.size() + " rows refused alone so far); so many refused rows suggest the refusal "
                        + "is not about single rows (fix the table or the data, or lower batch.max.rows): "
                        + refusal.getMessage());
            }
            try {
                inserted += insertWithRetries(schema, half);
            } catch (ClickHouseException e) {
                if (!e.rowDependent()) {
                    throw e;
                }
                inserted += bisect(schema, half, e, refused, budget);
            }
        }
        return inserted;
    }

    private int insertWithRetries(TableSchema schema, TableBuffer.Shape shape)
            throws ClickHouseException, InterruptedException {
        boolean[] mayHaveLanded = {false};
        String[] lastQueryId = {null};
        return retry.call("Insert of " + shape.rowCount() + " rows into " + schema, () -> {
            if (mayHaveLanded[0] && exactlyOnce) {
                awaitFinished(schema, lastQueryId[0]);
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
            attempts.add(queryId);
            try {
                client.insert(shape.insertSql(), shape.rows().array(), shape.rows().size(), settings);
                attempts.remove(queryId);
                return shape.rowCount();
            } catch (ClickHouseException e) {
                if (e.ambiguous()) {
                    mayHaveLanded[0] = true;
                    lastQueryId[0] = queryId;
                } else {
                    attempts.remove(queryId);
                }
                throw e;
            }
        });
    }

    /**
     * Waits until the query has left {@code system.processes} (of every replica, with {@code clickhouse.cluster}:
     * {@link ServerProcesses}), asking the server that answers to kill it after {@link #STILL_RUNNING_GRACE_MS}.
     *
     * @throws ClickHouseException if the servers cannot be asked, not every replica answers (retriable), the query
     *                             is still there after being killed (retriable: the next attempt waits again), or
     *                             the thread is interrupted
     */
    private void awaitFinished(TableSchema schema, String queryId) throws ClickHouseException {
        String condition = "query_id = " + Sql.quoteString(queryId);
        long deadline = System.nanoTime() + STILL_RUNNING_GRACE_MS * 1_000_000;
        boolean logged = false;
        while (!processes.queryIds(condition, schema).isEmpty()) {
            if (System.nanoTime() > deadline) {
                log.warn("Insert {} still runs {} ms after its outcome became unknown; killing it", queryId,
                        STILL_RUNNING_GRACE_MS);
                try {
                    client.query("KILL QUERY WHERE " + condition + " SYNC");
                } catch (ClickHouseException refused) {
                    // 18.16 cannot kill an INSERT (code 380): the next attempt waits for it again
                    log.debug("KILL QUERY refused ({})", refused.getMessage());
                }
                if (!processes.queryIds(condition, schema).isEmpty()) {
                    throw ClickHouseException.fromTransport("waiting for insert " + queryId, false,
                            new java.io.IOException("still running after KILL QUERY"));
                }
                attempts.remove(queryId);
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
        attempts.remove(queryId);
    }

    /**
     * Returns the query ids of the Sluice inserts (of any task) into the table that run now, on every replica with
     * {@code clickhouse.cluster}: their {@code query_id} starts with {@code sluice-} and their SQL with this sink's
     * {@code INSERT INTO <table> (}.
     *
     * @throws ClickHouseException if the servers cannot be asked, or not every replica answers (retriable)
     */
    public Set<String> insertsRunningInto(TableSchema schema) throws ClickHouseException {
        String prefix = "INSERT INTO " + schema.qualifiedName() + " (";
        return processes.queryIds("query_id LIKE 'sluice-%' AND substring(query, 1, "
                + prefix.getBytes(StandardCharsets.UTF_8).length + ") = " + Sql.quoteString(prefix), schema);
    }

    /**
     * Returns those of the query ids that still run, on every replica with {@code clickhouse.cluster}.
     *
     * @param table the table they insert into, or null for inserts into any table
     * @throws ClickHouseException if the servers cannot be asked, or not every replica answers (retriable; for a
     *                             replicated {@code table}, enough when as many answered as it has active replicas)
     */
    public Set<String> stillRunning(TableSchema table, Set<String> queryIds) throws ClickHouseException {
        if (queryIds.isEmpty()) {
            return Set.of();
        }
        List<String> quoted = new ArrayList<>();
        for (String id : queryIds) {
            quoted.add(Sql.quoteString(id));
        }
        return processes.queryIds("query_id IN (" + String.join(", ", quoted) + ")", table);
    }

    /**
     * Waits until none of this inserter's attempts runs on the server any more, asking the server to kill them
     * first ({@code KILL QUERY ... ASYNC}; ClickHouse 18.16 refuses to kill an INSERT, code 380, so there the wait
     * is for the insert to end). Called once the insert threads were interrupted, as the task stops: an attempt
     * already sent goes on running on the server without its client, and may still land.
     *
     * @param timeoutMs longest wait in milliseconds
     * @return the query ids still running at the deadline, or that could not be asked about (empty when all ended)
     */
    public Set<String> awaitAttemptsGone(long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        boolean killed = false;
        while (!attempts.isEmpty()) {
            Set<String> ids = Set.copyOf(attempts);
            try {
                if (!killed) {
                    killed = true;
                    List<String> quoted = new ArrayList<>();
                    for (String id : ids) {
                        quoted.add(Sql.quoteString(id));
                    }
                    try {
                        client.query("KILL QUERY WHERE query_id IN (" + String.join(", ", quoted) + ") ASYNC");
                    } catch (ClickHouseException e) {
                        log.debug("KILL QUERY refused ({}); waiting for the inserts to end", e.getMessage());
                    }
                }
                Set<String> running = stillRunning(null, ids);
                attempts.removeIf(id -> ids.contains(id) && !running.contains(id));
            } catch (ClickHouseException e) {
                log.warn("Cannot ask ClickHouse whether inserts {} still run: {}", attempts, e.getMessage());
            }
            if (attempts.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Set.copyOf(attempts);
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
