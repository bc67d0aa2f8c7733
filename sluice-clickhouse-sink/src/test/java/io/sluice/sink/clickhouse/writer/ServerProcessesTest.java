package io.sluice.sink.clickhouse.writer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.sluice.sink.clickhouse.ClickHouseSinkConfig;
import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ServerProcesses} against a stand-in for one server's HTTP interface (the JDK's HttpServer) that answers as a
 * member of a cluster of two replicas would: {@code system.clusters}, {@code system.table_functions} (without
 * {@code clusterAllReplicas}, as 18.16, or with it), and the processes read, where each replica that answers lists
 * its part of the read (a non-initial query carrying the read's {@code query_id} as {@code initial_query_id}) and
 * replica 1 runs a Sluice insert. The real servers' side is {@code ReplicatedClickHouseIT}.
 */
class ServerProcessesTest {

    private static final TableSchema TABLE = new TableSchema("default", "t", List.of(
            new Column("v", ClickHouseTypeParser.parse("UInt32"), false)));

    private HttpServer server;
    private ClickHouseClient client;
    /** The SQL and URL parameters of every request, in order. */
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int replicasInCluster = 2;
    private volatile int replicasAnswering = 2;
    private volatile boolean allReplicasFunction;
    /** Active replicas of table t in ZooKeeper, or -1 when t is not replicated (no row in system.replicas). */
    private volatile int activeReplicas = -1;
    /** Whether the server has the SharedMergeTree engine, as ClickHouse Cloud does. */
    private volatile boolean cloud;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String sql = new String(ex.getRequestBody().readAllBytes(), UTF_8);
            String params = URLDecoder.decode(ex.getRequestURI().getRawQuery(), UTF_8);
            requests.add(sql + " ?" + params);
            StringBuilder answer = new StringBuilder();
            if (sql.contains("system.clusters")) {
                answer.append(replicasInCluster).append('\t').append(replicasInCluster).append('\n');
            } else if (sql.contains("system.replicas")) {
                answer.append(activeReplicas < 0 ? "" : activeReplicas + "\n");
            } else if (sql.contains("system.table_engines")) {
                answer.append(cloud ? "1\n" : "0\n");
            } else if (sql.contains("system.table_functions")) {
                answer.append(allReplicasFunction ? "1\n" : "0\n");
            } else if (sql.contains("processes")) {
                answer.append("sluice-insert-1\t0\n");
                for (int i = 0; i < replicasAnswering; i++) {
                    answer.append("sub-").append(i).append("\t1\n");
                }
            }
            byte[] b = answer.toString().getBytes(UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        client = new ClickHouseClient(new ClickHouseSinkConfig(Map.of("clickhouse.url",
                "http://127.0.0.1:" + server.getAddress().getPort(), "clickhouse.compression", "none")).endpoint());
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void withoutAClusterOnlyTheAnsweringServerIsRead() throws Exception {
        ServerProcesses processes = ServerProcesses.of(client, "");
        processes.queryIds("query_id = 'x'", null);
        processes.queryIds("query_id = 'y'", null);
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0)).contains("system.table_engines");
        assertThat(requests.get(2)).startsWith("SELECT query_id FROM system.processes WHERE query_id = 'y'");
    }

    @Test
    void onClickHouseCloudWithoutAClusterEveryReplicaOfDefaultIsRead() throws Exception {
        cloud = true;
        allReplicasFunction = true;
        assertThat(ServerProcesses.of(client, "").queryIds("query_id = 'x'", null)).containsExactly("sluice-insert-1");
        assertThat(requests.get(requests.size() - 1)).contains("FROM clusterAllReplicas('default', system, processes)");
    }

    @Test
    void on18_16EveryReplicaIsReadThroughClusterWithParallelReplicas() throws Exception {
        assertThat(ServerProcesses.of(client, "sluice").queryIds("query_id = 'x'", null)).containsExactly("sluice-insert-1");
        String read = requests.get(requests.size() - 1);
        assertThat(read).contains("FROM cluster('sluice', system, processes) WHERE (query_id = 'x') OR ")
                .contains("prefer_localhost_replica=0").contains("max_parallel_replicas=2")
                .contains("query_id=sluice-processes-");
    }

    @Test
    void whereTheServerHasClusterAllReplicasItIsUsed() throws Exception {
        allReplicasFunction = true;
        ServerProcesses.of(client, "sluice").queryIds("query_id = 'x'", null);
        assertThat(requests.get(requests.size() - 1)).contains("FROM clusterAllReplicas('sluice', system, processes)")
                .doesNotContain("max_parallel_replicas");
    }

    @Test
    void aReplicaThatDidNotAnswerFailsTheReadAsRetriable() {
        replicasAnswering = 1;
        assertThatThrownBy(() -> ServerProcesses.of(client, "sluice").queryIds("query_id = 'x'", null))
                .isInstanceOfSatisfying(ClickHouseException.class, e -> assertThat(e.retriable()).isTrue())
                .hasMessageContaining("1 of its 2 replicas answered");
    }

    @Test
    void aReplicaThatDidNotAnswerIsSkippedWhenTheReplicatedTableHasNoMoreActiveReplicasThanAnswered()
            throws Exception {
        replicasAnswering = 1;
        activeReplicas = 1; // the other one stopped: its is_active node is gone, so it cannot commit an insert
        assertThat(ServerProcesses.of(client, "sluice").queryIds("query_id = 'x'", TABLE))
                .containsExactly("sluice-insert-1");
        activeReplicas = 2; // still active in ZooKeeper, only unreachable: it may commit
        assertThatThrownBy(() -> ServerProcesses.of(client, "sluice").queryIds("query_id = 'x'", TABLE))
                .isInstanceOf(ClickHouseException.class).hasMessageContaining("1 of its 2 replicas answered");
        activeReplicas = -1; // not replicated: nothing tells whether the silent server runs an insert
        assertThatThrownBy(() -> ServerProcesses.of(client, "sluice").queryIds("query_id = 'x'", TABLE))
                .isInstanceOf(ClickHouseException.class);
    }

    @Test
    void aClusterTheServerDoesNotKnowIsNamedAndNotRetried() {
        replicasInCluster = 0;
        assertThatThrownBy(() -> ServerProcesses.of(client, "nowhere").queryIds("query_id = 'x'", null))
                .isInstanceOfSatisfying(ClickHouseException.class, e -> assertThat(e.retriable()).isFalse())
                .hasMessageContaining("clickhouse.cluster is 'nowhere'");
    }
}
