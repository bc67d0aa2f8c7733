package io.sluice.sink.clickhouse.writer;

import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.Sql;
import io.sluice.sink.clickhouse.schema.TableEngine;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How the sink writes and reads one table so that the exactly-once checks (the resume check and the check after an
 * insert with an unknown outcome, both {@link WrittenOffsets#query}, and the comparison of a skipped record with its
 * stored row, {@link StoredRow}) see every row the sink inserted, whichever
 * replica answers: behind a load balancer (ClickHouse Cloud's endpoint, or any proxy in front of replicas) each
 * connection may reach another replica, and an asynchronously replicated table lets a replica answer before it has
 * fetched the last insert. The check then reports written records as missing, and they are written twice.
 *
 * <ul>
 *   <li><b>ReplicatedMergeTree family</b>: inserts carry {@code insert_quorum=Q} (by default Q = every replica of
 *   the table, from {@code system.replicas.total_replicas}; or {@code clickhouse.insert.quorum}) and, where the
 *   server knows it, {@code insert_quorum_parallel=0}, so the quorum inserts of a table are linearised; reads of
 *   written offsets carry {@code select_sequential_consistency=1}, so a replica reads only parts whose quorum is
 *   confirmed and refuses (REPLICA_IS_NOT_IN_QUORUM, retried) when it lacks one (ClickHouse docs, settings
 *   "insert_quorum" and "select_sequential_consistency"). Before reading, the sink waits until no quorum insert into
 *   the table is pending ({@code <zookeeper_path>/quorum/status} absent): a part whose quorum is pending (an insert
 *   that timed out, or whose writer died) is hidden from a sequentially consistent read, yet becomes visible once
 *   the lagging replica fetches it, so "not there" is final only when no quorum is pending. ZooKeeper creates and
 *   removes that node atomically with the part's commit and the quorum's confirmation. Reads also count only
 *   parts that ZooKeeper lists for some replica ({@code <zookeeper_path>/replicas/<r>/parts}, {@link #visibleParts}):
 *   an insert whose commit ZooKeeper never received (its connection lost as it committed: UNKNOWN_STATUS_OF_INSERT)
 *   leaves its part active on its replica, and 18.16 shows it even to a sequentially consistent read, until it
 *   detaches it as unexpected about 5 minutes later ({@code ReplicatedClickHouseIT}); counting those rows as written
 *   lost them. This applies to a replicated table of one replica too.</li>
 *   <li><b>SharedMergeTree family</b> (ClickHouse Cloud): {@code insert_quorum} does not apply (every acknowledged
 *   insert is in shared storage and Keeper); reads carry {@code select_sequential_consistency=1}, which makes the
 *   answering replica update its set of parts from Keeper first (ClickHouse docs, SharedMergeTree, and the settings
 *   {@code shared_merge_tree_sequential_consistency_*}).</li>
 *   <li><b>Distributed</b>: refused. Inserts are forwarded in the background by default, so an acknowledged batch
 *   may not be in any shard yet, and the check reads one replica per shard chosen by load balancing. The sink
 *   writes the underlying replicated table instead (see the sink README).</li>
 *   <li>Anything else (MergeTree on one server): nothing added.</li>
 * </ul>
 * Immutable.
 */
public final class ReplicaConsistency {

    /** A table on one server: no settings, nothing to wait for. */
    public static final ReplicaConsistency LOCAL = new ReplicaConsistency("a single server",
            Collections.emptyList(), Collections.emptyList(), null, false);

    private final String description;
    private final List<String> insertSettings;
    private final List<String> readSettings;
    /** The replicated table's {@code <zookeeper_path>}, or null for other engines. */
    private final String zookeeperPath;
    /** Whether inserts carry a quorum, so reads wait while one is pending ({@code <zookeeper_path>/quorum}). */
    private final boolean quorum;

    private ReplicaConsistency(String description, List<String> insertSettings, List<String> readSettings,
                               String zookeeperPath, boolean quorum) {
        this.description = description;
        this.insertSettings = Collections.unmodifiableList(insertSettings);
        this.readSettings = Collections.unmodifiableList(readSettings);
        this.zookeeperPath = zookeeperPath;
        this.quorum = quorum;
    }

    /**
     * Chooses the consistency for a table from its engine, reading {@code system.replicas} for replicated ones.
     *
     * @param client           the client
     * @param schema           the table
     * @param engine           its engine, from {@code system.tables}
     * @param configuredQuorum {@code clickhouse.insert.quorum}: 0 for every replica of the table, else the quorum
     * @return the consistency to use
     * @throws ClickHouseException   if the server cannot be asked
     * @throws IllegalStateException naming the table, the reason and the fix, for a Distributed table, a quorum
     *                               larger than the table's replicas, or a quorum of 1 on several replicas (no
     *                               quorum at all)
     */
    public static ReplicaConsistency of(ClickHouseClient client, TableSchema schema, TableEngine engine,
                                        int configuredQuorum) throws ClickHouseException {
        String name = engine.engine();
        if (name.equals("Distributed")) {
            throw new IllegalStateException("table " + schema + " is Distributed. Inserts into it reach the shards "
                    + "in the background (or, with insert_distributed_sync=1, through a node whose failure leaves "
                    + "some shards written), and reads through it go to one replica per shard chosen by load "
                    + "balancing, so exactly-once delivery cannot tell which records are rows. Point the sink at the "
                    + "replicated table under it (a ReplicatedMergeTree on a cluster of one shard, or one connector "
                    + "per shard), and query the Distributed table; or set delivery.guarantee=at_least_once");
        }
        if (name.startsWith("Shared")) {
            List<String> read = new ArrayList<>();
            read.add("select_sequential_consistency=1");
            return new ReplicaConsistency(name + " (sequentially consistent reads)", new ArrayList<>(), read, null,
                    false);
        }
        if (!name.startsWith("Replicated")) {
            return LOCAL;
        }
        List<List<String>> rows = client.queryRows("SELECT zookeeper_path, total_replicas FROM system.replicas "
                + "WHERE database = " + Sql.quoteString(schema.database()) + " AND table = "
                + Sql.quoteString(schema.table()));
        if (rows.isEmpty()) {
            return LOCAL; // dropped since it was described: the insert reports that
        }
        int replicas = Integer.parseInt(rows.get(0).get(1));
        int quorum = configuredQuorum > 0 ? configuredQuorum : replicas;
        if (quorum > replicas) {
            throw new IllegalStateException("clickhouse.insert.quorum=" + configuredQuorum + " but table " + schema
                    + " has " + replicas + " replicas, so no insert could reach its quorum; set it to at most "
                    + replicas + ", or 0 for all of them");
        }
        if (quorum < 2 && replicas >= 2) {
            throw new IllegalStateException("clickhouse.insert.quorum=1 but table " + schema + " has " + replicas
                    + " replicas: ClickHouse turns quorum inserts off below 2 (setting insert_quorum), so a replica "
                    + "that has not yet fetched the last insert could answer the resume check, and the records of "
                    + "that insert would be written twice. Set it to 0 (every replica) or between 2 and " + replicas
                    + ", or set delivery.guarantee=at_least_once");
        }
        if (quorum < 2) {
            return new ReplicaConsistency(name + " with one replica", new ArrayList<>(), new ArrayList<>(),
                    rows.get(0).get(0), false);
        }
        List<String> insert = new ArrayList<>();
        insert.add("insert_quorum=" + quorum);
        // The server gives up waiting for the quorum (UNKNOWN_STATUS_OF_INSERT) when the client would, so the
        // outcome is reported instead of cut off; the part stays, its quorum pending, and the check waits for it.
        insert.add("insert_quorum_timeout=" + client.endpoint().requestTimeout().toMillis());
        List<List<String>> parallel = client.queryRows(
                "SELECT count() FROM system.settings WHERE name = 'insert_quorum_parallel'");
        if (!parallel.isEmpty() && !parallel.get(0).get(0).equals("0")) {
            insert.add("insert_quorum_parallel=0"); // 20.x and later; 18.16 linearises quorum inserts always
        }
        List<String> read = new ArrayList<>();
        read.add("select_sequential_consistency=1");
        return new ReplicaConsistency(name + " (insert_quorum=" + quorum + " of " + replicas
                + " replicas, sequentially consistent reads)", insert, read, rows.get(0).get(0), true);
    }

    /** Returns the settings to add to every insert, as {@code name=value} pairs. */
    public List<String> insertSettings() {
        return insertSettings;
    }

    /**
     * Reads rows the sink wrote (written offsets, a stored row) so that the answer holds every insert the sink was
     * told succeeded, whichever replica answers: first fails, retriably, while a quorum insert into the table is
     * pending, then queries with the read settings ({@code select_sequential_consistency=1} for replicated and shared
     * tables), under which a replica that lacks a confirmed part refuses (REPLICA_IS_NOT_IN_QUORUM, retriable)
     * instead of answering without it. The caller retries ({@link BoundedRetry}).
     *
     * @param client the client
     * @param table  the table read, for the pending-quorum check and its message
     * @param sql    the query, with its FORMAT clause
     * @return the response body as UTF-8 text
     * @throws ClickHouseException UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE (286, retriable) while a quorum insert is
     *                             pending, or if the query fails
     */
    public String read(ClickHouseClient client, TableSchema table, String sql) throws ClickHouseException {
        requireNoPendingQuorum(client, table);
        return client.query(sql, readSettings);
    }

    /**
     * Like {@link #read}, for binary formats such as {@code FORMAT RowBinary}.
     *
     * @return the response body
     * @throws ClickHouseException as {@link #read}
     */
    public byte[] readBytes(ClickHouseClient client, TableSchema table, String sql) throws ClickHouseException {
        requireNoPendingQuorum(client, table);
        return client.queryBytes(sql, readSettings);
    }

    /**
     * Returns a condition to add to the WHERE clause of every read of rows the sink wrote, or an empty string: for a
     * replicated table, {@code AND _part IN (...)} the parts that ZooKeeper lists for any of the table's replicas,
     * so that a part whose commit never reached ZooKeeper (kept on its replica until 18.16 detaches it) is not
     * counted as written. Reads the replicas' names from ZooKeeper on each call, so a replica added later counts.
     *
     * @throws ClickHouseException if {@code system.zookeeper} cannot be read (retriable when the server is)
     */
    public String visibleParts(ClickHouseClient client) throws ClickHouseException {
        if (zookeeperPath == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (List<String> replica : client.queryRows("SELECT name FROM system.zookeeper WHERE path = "
                + Sql.quoteString(zookeeperPath + "/replicas"))) {
            parts.add("SELECT name FROM system.zookeeper WHERE path = "
                    + Sql.quoteString(zookeeperPath + "/replicas/" + replica.get(0) + "/parts"));
        }
        return parts.isEmpty() ? "" : " AND _part IN (" + String.join(" UNION ALL ", parts) + ")";
    }

    /** Fails, retriably, while a quorum insert into the table waits for its replicas; no-op without a quorum. */
    private void requireNoPendingQuorum(ClickHouseClient client, TableSchema table) throws ClickHouseException {
        if (!quorum) {
            return;
        }
        String quorumPath = zookeeperPath + "/quorum";
        String pending = client.query("SELECT count() FROM system.zookeeper WHERE path = "
                + Sql.quoteString(quorumPath) + " AND name = 'status'");
        if (!pending.trim().equals("0")) {
            throw ClickHouseException.fromServer(200, 286, "a quorum insert into " + table + " is still waiting for "
                    + "its replicas (" + quorumPath + "/status); which offsets are rows is known only once it is "
                    + "confirmed or given up, so the check waits");
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
