package io.sluice.sink.clickhouse.writer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.sluice.sink.clickhouse.ClickHouseSinkConfig;
import io.sluice.sink.clickhouse.encode.RecordEncoder;
import io.sluice.sink.clickhouse.encode.rowbinary.RowBinaryBuffer;
import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.TableEngine;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StoredRow} on a replicated table, against a stand-in for one replica's HTTP interface (the JDK's HttpServer)
 * that answers the metadata queries of {@link ReplicaConsistency#of} as 18.16 does for a ReplicatedMergeTree of two
 * replicas, and reads the stored row as a replica of the given state would: one that lacks the row's part answers
 * without it, unless the read asks for {@code select_sequential_consistency=1}, under which it refuses with
 * REPLICA_IS_NOT_IN_QUORUM (289) as 18.16 does for a part the quorum confirmed. The real servers' side is
 * {@code ReplicatedClickHouseIT}.
 */
class StoredRowTest {

    private static final TableSchema SCHEMA = new TableSchema("default", "t", List.of(
            new Column("v", ClickHouseTypeParser.parse("UInt32"), false),
            new Column("_kafka_topic", ClickHouseTypeParser.parse("String"), false),
            new Column("_kafka_partition", ClickHouseTypeParser.parse("UInt32"), false),
            new Column("_kafka_offset", ClickHouseTypeParser.parse("UInt64"), false)));
    private static final SinkRecord RECORD = new SinkRecord("t", 0, null, null, null, Map.of("v", 7L), 42);

    private HttpServer server;
    /** Whether this replica has not yet fetched the part that holds the row. */
    private volatile boolean lagging;
    /** Whether a quorum insert into the table waits for its replicas ({@code quorum/status} exists). */
    private volatile boolean quorumPending;
    private final AtomicInteger rowReads = new AtomicInteger();
    /** The SQL of the last read of the stored row. */
    private volatile String rowSql;
    private ClickHouseClient client;
    private RecordEncoder encoder;

    @BeforeEach
    void startServer() throws Exception {
        encoder = new RecordEncoder(SCHEMA, false);
        RowBinaryBuffer row = new RowBinaryBuffer(64);
        encoder.encode(RECORD, row, new BitSet());
        byte[] stored = Arrays.copyOf(row.array(), row.size());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String sql = new String(ex.getRequestBody().readAllBytes(), UTF_8);
            boolean consistent = ex.getRequestURI().getRawQuery().contains("select_sequential_consistency=1");
            byte[] answer = new byte[0];
            int status = 200;
            if (sql.contains("FORMAT RowBinary")) {
                rowReads.incrementAndGet();
                rowSql = sql;
                if (!lagging) {
                    answer = stored;
                } else if (consistent) {
                    status = 500;
                    answer = ("Code: 289, e.displayText() = DB::Exception: Replica doesn't have part all_1_1_0 which "
                            + "was successfully written to quorum of other replicas.").getBytes(UTF_8);
                    ex.getResponseHeaders().add("X-ClickHouse-Exception-Code", "289");
                }
            } else if (sql.contains("system.tables")) {
                answer = "ReplicatedMergeTree\t_kafka_topic, _kafka_partition, _kafka_offset\n".getBytes(UTF_8);
            } else if (sql.contains("system.replicas")) {
                answer = "/clickhouse/tables/01/default/t\t2\n".getBytes(UTF_8);
            } else if (sql.contains("system.settings")) {
                answer = "0\n".getBytes(UTF_8); // 18.16: no insert_quorum_parallel
            } else if (sql.contains("/replicas'")) {
                answer = "replica-1\nreplica-2\n".getBytes(UTF_8);
            } else if (sql.contains("system.zookeeper")) {
                answer = (quorumPending ? "1\n" : "0\n").getBytes(UTF_8);
            }
            ex.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.start();
        ClickHouseSinkConfig config = new ClickHouseSinkConfig(Map.of(
                "clickhouse.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "clickhouse.compression", "none"));
        client = new ClickHouseClient(config.endpoint());
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private ReplicaConsistency consistency() throws ClickHouseException {
        return ReplicaConsistency.of(client, SCHEMA, TableEngine.read(client, "default", "t"), 0);
    }

    @Test
    void aReplicaThatHasTheRowFindsTheRecordThere() throws Exception {
        assertThat(StoredRow.matches(client, consistency(), encoder, RECORD)).isTrue();
        // Only parts that ZooKeeper lists for a replica count: not one whose commit never reached it.
        assertThat(rowSql).contains(" AND _part IN (SELECT name FROM system.zookeeper WHERE path = "
                + "'/clickhouse/tables/01/default/t/replicas/replica-1/parts' UNION ALL SELECT name FROM "
                + "system.zookeeper WHERE path = '/clickhouse/tables/01/default/t/replicas/replica-2/parts')");
        SinkRecord other = new SinkRecord("t", 0, null, null, null, Map.of("v", 8L), 42);
        assertThat(StoredRow.matches(client, consistency(), encoder, other)).isFalse();
    }

    /** Before, the read carried no setting, the lagging replica answered no row, and the task stopped as if the offsets had started again. */
    @Test
    void aReplicaThatHasNotFetchedTheRowRefusesRetriablyInsteadOfAnsweringNoRow() throws Exception {
        lagging = true;
        assertThatThrownBy(() -> StoredRow.matches(client, consistency(), encoder, RECORD))
                .isInstanceOfSatisfying(ClickHouseException.class, e -> {
                    assertThat(e.code()).isEqualTo(289);
                    assertThat(e.retriable()).isTrue();
                });
    }

    @Test
    void aPendingQuorumIsWaitedForBeforeTheRowIsRead() throws Exception {
        quorumPending = true;
        assertThatThrownBy(() -> StoredRow.matches(client, consistency(), encoder, RECORD))
                .isInstanceOfSatisfying(ClickHouseException.class, e -> {
                    assertThat(e.code()).isEqualTo(286);
                    assertThat(e.retriable()).isTrue();
                });
        assertThat(rowReads.get()).isZero();
    }
}
