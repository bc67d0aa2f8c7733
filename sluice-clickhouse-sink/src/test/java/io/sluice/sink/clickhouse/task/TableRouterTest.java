package io.sluice.sink.clickhouse.task;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.sluice.sink.clickhouse.ClickHouseSinkConfig;
import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ServerVersion;
import io.sluice.sink.clickhouse.schema.TableCatalog;
import io.sluice.sink.clickhouse.schema.TypeMapping;
import io.sluice.sink.clickhouse.writer.BoundedRetry;
import io.sluice.sink.clickhouse.writer.TableBuffer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Table routing and its checks, against a stand-in for ClickHouse's HTTP interface that knows table {@code t} (with
 * the coordinate columns) and {@code bare} (without {@code _kafka_topic}), answers UNKNOWN_TABLE for any other, and
 * records the statements it receives.
 */
class TableRouterTest {

    private static final String COORDINATES =
            "_kafka_topic\tString\t\t\n_kafka_partition\tUInt32\t\t\n_kafka_offset\tUInt64\t\t\n";

    private HttpServer server;
    private final List<String> statements = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String sql = new String(ex.getRequestBody().readAllBytes(), UTF_8);
            synchronized (statements) {
                statements.add(sql);
            }
            String answer = "";
            int status = 200;
            if (sql.startsWith("DESCRIBE TABLE `default`.`t`")) {
                answer = "v\tUInt32\t\t\n" + COORDINATES;
            } else if (sql.startsWith("DESCRIBE TABLE `default`.`bare`")) {
                answer = "v\tUInt32\t\t\n_kafka_partition\tUInt32\t\t\n_kafka_offset\tUInt64\t\t\n";
            } else if (sql.startsWith("DESCRIBE TABLE")) {
                status = 404;
                answer = "Code: 60, e.displayText() = DB::Exception: Table doesn't exist";
                ex.getResponseHeaders().add("X-ClickHouse-Exception-Code", "60");
            } else if (sql.contains("system.tables")) {
                answer = "MergeTree\t_kafka_topic, _kafka_partition, _kafka_offset\n";
            }
            byte[] out = answer.getBytes(UTF_8);
            ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                ex.getResponseBody().write(out);
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private TableRouter router(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>();
        props.put("clickhouse.url", "http://127.0.0.1:" + server.getAddress().getPort());
        props.put("retry.timeout.ms", "0");
        props.putAll(extra);
        ClickHouseSinkConfig config = new ClickHouseSinkConfig(props);
        ClickHouseClient client = new ClickHouseClient(config.endpoint());
        return new TableRouter(config, client, new TableCatalog(client), new BoundedRetry(config.retryPolicy()),
                (table, consistency) -> { });
    }

    private static AppendIngest append(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(extra);
        props.put("clickhouse.url", "http://127.0.0.1:1");
        ClickHouseSinkConfig config = new ClickHouseSinkConfig(props);
        return new AppendIngest(config::tableFor, new TypeMapping(ServerVersion.parse("18.16.1"), t -> false), "", "",
                "");
    }

    private static SinkRecord rec(String topic) {
        return new SinkRecord(topic, 0, null, null, null, "{\"v\":1}".getBytes(UTF_8), 0);
    }

    @Test
    void topicsMappedToOneTableShareItsBufferAndTheTableIsReadOnce() {
        Map<String, String> map = Map.of("topic.to.table", "a=t,b=t");
        TableRouter router = router(map);
        AppendIngest mode = append(map);
        TableBuffer a = router.route(rec("a"), mode, rec("a"));
        TableBuffer b = router.route(rec("b"), mode, rec("b"));
        assertThat(b).isSameAs(a);
        assertThat(router.forTopic("a")).isSameAs(a);
        assertThat(router.batches()).hasSize(1);
        assertThat(a.schema().qualifiedName()).isEqualTo("`default`.`t`");
        assertThat(statements.stream().filter(s -> s.startsWith("DESCRIBE")).count()).isEqualTo(1);
    }

    @Test
    void aMissingTableWithoutAutoCreateNamesTheTableTheTopicAndTheOption() {
        assertThatThrownBy(() -> router(Map.of()).route(rec("gone"), append(Map.of()), rec("gone")))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("table default.gone (for topic gone) does not exist")
                .hasMessageContaining("table.auto.create=true");
    }

    @Test
    void aMissingTableIsCreatedWithTheCoordinatesWhenAutoCreateIsOn() {
        Map<String, String> auto = Map.of("table.auto.create", "true");
        // The stand-in never has the table afterwards, like a server behind a load balancer that did not create it.
        assertThatThrownBy(() -> router(auto).route(rec("fresh"), append(auto), rec("fresh")))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("table default.fresh was created but the server that answered next does not "
                        + "have it");
        assertThat(statements).anyMatch(s -> s.startsWith("CREATE TABLE IF NOT EXISTS `default`.`fresh` (`v` Int64, "
                + "`_kafka_topic` String, `_kafka_partition` UInt32, `_kafka_offset` UInt64)"));
    }

    @Test
    void exactlyOnceRefusesATableWithoutTheTopicCoordinateBeforeAnyRow() {
        Map<String, String> map = Map.of("topic.to.table", "a=bare");
        assertThatThrownBy(() -> router(map).route(rec("a"), append(map), rec("a")))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("default.bare has no _kafka_topic column")
                .hasMessageContaining("delivery.guarantee=at_least_once");
        Map<String, String> atLeastOnce = Map.of("topic.to.table", "a=bare", "delivery.guarantee", "at_least_once");
        assertThat(router(atLeastOnce).route(rec("a"), append(atLeastOnce), rec("a")).schema().table())
                .isEqualTo("bare");
    }
}
