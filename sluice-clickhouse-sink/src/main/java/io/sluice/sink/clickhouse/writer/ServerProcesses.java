package io.sluice.sink.clickhouse.writer;

import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.http.TabSeparated;
import io.sluice.sink.clickhouse.schema.Sql;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Reads which queries run where this sink's inserts may run: {@code system.processes} of the server that answers,
 * or of every replica of a cluster. Behind a load balancer (ClickHouse Cloud's endpoint, a proxy in front of
 * replicas) an insert whose client timed out may still run on one replica while the next request reaches another,
 * so reading only the answering server's processes would miss it.
 *
 * <p>The cluster is {@code clickhouse.cluster}; where that is empty and the server has the SharedMergeTree engine
 * (ClickHouse Cloud, whose docs read system tables of every replica with {@code clusterAllReplicas('default', ...)};
 * from the documentation only, no such server runs here) it is {@code default}; otherwise only the answering server
 * is read. A cluster read goes through {@code clusterAllReplicas} where the server has it, and on older servers
 * such as 18.16 through {@code cluster()} with {@code max_parallel_replicas} set to the shard's replica count and
 * {@code prefer_localhost_replica=0}, which sends the query to every replica of each shard (checked on 18.16).
 * Either way the servers connect to each other with the user and password of the cluster's {@code remote_servers}
 * entry (ClickHouse docs, "Distributed table engine"), never with credentials in the SQL text. Neither read says
 * when a replica did not answer (one that is down is skipped), so each carries a probe: every replica that runs the
 * read lists its own part of it, a non-initial query whose {@code initial_query_id} is the read's id. A read that
 * fewer replicas answered than {@code system.clusters} lists fails as retriable, and the caller waits: an insert may
 * still run on a replica that it cannot see. One exception keeps a replica that is down from stopping the sink: for
 * a replicated table, an insert commits its part through its replica's ZooKeeper session, so a replica that is not
 * active in ZooKeeper (its {@code is_active} node gone: stopped, or its session expired after a crash) cannot
 * commit one; a read about such a table passes when at least as many replicas answered as the table has active
 * ({@code system.replicas.active_replicas}).
 */
public final class ServerProcesses {

    /** The cluster that ClickHouse Cloud services define over their replicas. */
    static final String CLOUD_CLUSTER = "default";

    private final ClickHouseClient client;
    private final String configuredCluster;
    /** How processes are read; null until first used. */
    private volatile Read read;

    private ServerProcesses(ClickHouseClient client, String configuredCluster) {
        this.client = client;
        this.configuredCluster = configuredCluster;
    }

    /**
     * Reads {@code system.processes} of every replica of {@code cluster}, or, when it is empty, of every replica of
     * a ClickHouse Cloud service or else of the answering server.
     *
     * @param client  the client
     * @param cluster {@code clickhouse.cluster}, or empty
     */
    public static ServerProcesses of(ClickHouseClient client, String cluster) {
        return new ServerProcesses(client, cluster);
    }

    /**
     * How processes are read: the FROM clause, the settings, and how many replicas must answer (0: one server, no
     * probe).
     */
    private static final class Read {
        final String cluster;
        final String from;
        final List<String> settings;
        final int replicas;

        Read(String cluster, String from, List<String> settings, int replicas) {
            this.cluster = cluster;
            this.from = from;
            this.settings = settings;
            this.replicas = replicas;
        }
    }

    /**
     * Returns the {@code query_id} of every query that runs now and meets {@code condition}.
     *
     * @param condition a boolean SQL expression over {@code system.processes} columns
     * @param table     the table whose inserts are looked for, or null for any (then every replica must answer)
     * @return the query ids, on every replica when a cluster is read
     * @throws ClickHouseException if the server cannot be asked (retriable), {@code clickhouse.cluster} is not known
     *                             to it (not retriable: a configuration error, named), or fewer replicas answered
     *                             than the cluster has and than {@code table} has active replicas (retriable)
     */
    public Set<String> queryIds(String condition, TableSchema table) throws ClickHouseException {
        Read r = read();
        Set<String> ids = new HashSet<>();
        if (r.replicas == 0) {
            for (List<String> row : client.queryRows("SELECT query_id FROM " + r.from + " WHERE " + condition)) {
                ids.add(row.get(0));
            }
            return ids;
        }
        String probeId = "sluice-processes-" + UUID.randomUUID();
        String probe = "(is_initial_query = 0 AND initial_query_id = " + Sql.quoteString(probeId) + ")";
        List<String> settings = new ArrayList<>(r.settings);
        settings.add("query_id=" + probeId);
        int answered = 0;
        for (List<String> row : TabSeparated.parse(client.query("SELECT query_id, " + probe + " FROM " + r.from
                + " WHERE (" + condition + ") OR " + probe + " FORMAT TabSeparated", settings))) {
            if (row.get(1).equals("1")) {
                answered++;
            } else {
                ids.add(row.get(0));
            }
        }
        if (answered < r.replicas && (table == null || answered < activeReplicas(table))) {
            throw ClickHouseException.fromTransport("reading system.processes of cluster '" + r.cluster + "'", false,
                    new IOException(answered + " of its " + r.replicas + " replicas answered; an insert may still "
                            + "run on the others"));
        }
        return ids;
    }

    private Read read() throws ClickHouseException {
        Read r = read;
        if (r != null) {
            return r;
        }
        String cluster = configuredCluster;
        if (cluster.isEmpty()) {
            if (count("SELECT count() FROM system.table_engines WHERE name = 'SharedMergeTree'") == 0) {
                r = new Read("", "system.processes", List.of(), 0);
                read = r;
                return r;
            }
            cluster = CLOUD_CLUSTER;
        }
        List<List<String>> shape = client.queryRows("SELECT count(), max(replica_num) FROM system.clusters WHERE "
                + "cluster = " + Sql.quoteString(cluster));
        int replicas = Integer.parseInt(shape.get(0).get(0));
        if (replicas == 0) {
            throw ClickHouseException.fromServer(400, 0, "clickhouse.cluster is '" + cluster + "', which the "
                    + "server's remote_servers does not define (see system.clusters); set it to the cluster that holds "
                    + "the tables, or leave it empty for a single server");
        }
        String quoted = Sql.quoteString(cluster);
        r = count("SELECT count() FROM system.table_functions WHERE name = 'clusterAllReplicas'") > 0
                ? new Read(cluster, "clusterAllReplicas(" + quoted + ", system, processes)",
                        List.of("prefer_localhost_replica=0"), replicas)
                : new Read(cluster, "cluster(" + quoted + ", system, processes)",
                        List.of("prefer_localhost_replica=0", "max_parallel_replicas=" + shape.get(0).get(1)),
                        replicas);
        read = r;
        return r;
    }

    /** Returns how many replicas of a replicated table are active in ZooKeeper, or MAX_VALUE for another table. */
    private int activeReplicas(TableSchema table) throws ClickHouseException {
        List<List<String>> rows = client.queryRows("SELECT active_replicas FROM system.replicas WHERE database = "
                + Sql.quoteString(table.database()) + " AND table = " + Sql.quoteString(table.table()));
        return rows.isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(rows.get(0).get(0));
    }

    private long count(String sql) throws ClickHouseException {
        return Long.parseLong(client.query(sql).trim());
    }
}
