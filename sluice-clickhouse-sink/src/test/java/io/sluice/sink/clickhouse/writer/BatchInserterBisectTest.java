package io.sluice.sink.clickhouse.writer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.sluice.sink.clickhouse.ClickHouseSinkConfig;
import io.sluice.sink.clickhouse.ClickHouseSinkConfig.RetryPolicy;
import io.sluice.sink.clickhouse.encode.RecordEncoder;
import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bisecting an insert that the server refuses for some rows' values, against a stand-in for ClickHouse's HTTP
 * interface (the JDK's HttpServer) that reads the RowBinary rows and refuses, as a whole and with code 395, any insert
 * holding a guilty value, the way 18.16 refuses a block whose {@code MATERIALIZED throwIf(...)} column fires.
 */
class BatchInserterBisectTest {

    private static final TableSchema SCHEMA = new TableSchema("default", "t", List.of(
            new Column("v", ClickHouseTypeParser.parse("UInt32"), false),
            new Column("_kafka_topic", ClickHouseTypeParser.parse("String"), false),
            new Column("_kafka_partition", ClickHouseTypeParser.parse("UInt32"), false),
            new Column("_kafka_offset", ClickHouseTypeParser.parse("UInt64"), false)));
    /** RowBinary bytes of one row: v (4), topic "t" (1 + 1), partition (4), offset (8). */
    private static final int ROW_BYTES = 18;
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final Pattern OFFSET_RANGE = Pattern.compile("_kafka_offset >= (\\d+) AND _kafka_offset <= (\\d+)");

    private HttpServer server;
    /** Values that make the server refuse an insert. */
    private volatile Set<Long> guilty = Set.of();
    /** Error code of a refusal. */
    private volatile int code = 395;
    /** Whether a refused insert keeps its rows in the table, as a materialized view's error does on 18.16. */
    private volatile boolean keepRefusedRows;
    /** Offsets of the rows in the table, one entry per row. */
    private final List<Long> table = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inserts = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String query = ex.getRequestURI().getRawQuery();
            byte[] body = ex.getRequestBody().readAllBytes();
            String answer = "";
            int status = 200;
            if (query.contains("&query=")) {
                inserts.incrementAndGet();
                ByteBuffer rows = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
                List<Long> offsets = new ArrayList<>();
                boolean refuse = false;
                for (int at = 0; at < body.length; at += ROW_BYTES) {
                    refuse |= guilty.contains(Integer.toUnsignedLong(rows.getInt(at)));
                    offsets.add(rows.getLong(at + 10));
                }
                if (!refuse || keepRefusedRows) {
                    table.addAll(offsets);
                }
                if (refuse) {
                    status = 500;
                    answer = "Code: " + code + ", e.displayText() = DB::Exception: Value passed to 'throwIf' function "
                            + "is non zero";
                    ex.getResponseHeaders().add("X-ClickHouse-Exception-Code", String.valueOf(code));
                }
            } else {
                Matcher m = OFFSET_RANGE.matcher(new String(body, UTF_8));
                if (m.find()) { // which of the batch's offsets landed
                    long from = Long.parseLong(m.group(1));
                    long to = Long.parseLong(m.group(2));
                    synchronized (table) {
                        answer = new TreeSet<>(table).stream().filter(o -> o >= from && o <= to).map(String::valueOf)
                                .collect(Collectors.joining("\n"));
                    }
                }
            }
            byte[] out = answer.getBytes(UTF_8);
            ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private BatchInserter inserter(boolean bisect) {
        return inserter(bisect, BatchInserter.MAX_BISECTION_INSERTS);
    }

    private BatchInserter inserter(boolean bisect, int maxBisectionInserts) {
        ClickHouseSinkConfig config = new ClickHouseSinkConfig(Map.of(
                "clickhouse.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "clickhouse.compression", "none"));
        ClickHouseClient client = new ClickHouseClient(config.endpoint());
        return new BatchInserter(client, ServerProcesses.of(client, ""), new BoundedRetry(new RetryPolicy(0, 1, 1)),
                true, bisect, maxBisectionInserts);
    }

    /** A shape of rows with v = offset = 0 .. n-1, keeping their records. */
    private static TableBuffer.Shape rows(int n) throws Exception {
        TableBuffer b = new TableBuffer(new RecordEncoder(SCHEMA, false), true);
        for (long i = 0; i < n; i++) {
            b.add(new SinkRecord("t", 0, null, null, null, Map.of("v", i), i), TP, 0);
        }
        return b.detach().nonEmptyShapes().get(0);
    }

    @Test
    void rowsRefusedAloneAreHandedBackAndTheRestIsInsertedOnce() throws Exception {
        guilty = Set.of(3L, 50L, 99L);
        List<RefusedRow> refused = new ArrayList<>();
        int inserted = inserter(true).insert(SCHEMA, rows(100), refused);

        assertThat(inserted).isEqualTo(97);
        assertThat(refused).extracting(r -> r.record().kafkaOffset()).containsExactly(3L, 50L, 99L);
        for (RefusedRow r : refused) {
            assertThat(r.table()).isEqualTo("default.t");
            assertThat(r.reason()).contains("code 395", "Value passed to 'throwIf' function is non zero");
        }
        assertThat(table).hasSize(97).doesNotHaveDuplicates().doesNotContain(3L, 50L, 99L);
        // The refused insert, then for each guilty row at most two inserts per level of halving (log2 100 < 7).
        assertThat(inserts.get()).isLessThanOrEqualTo(1 + 3 * 2 * 7);
    }

    @Test
    void rowsOfARefusedInsertThatLandedAnywayAreNotInsertedAgain() throws Exception {
        guilty = Set.of(7L);
        keepRefusedRows = true; // a materialized view's error: the table keeps the part
        List<RefusedRow> refused = new ArrayList<>();
        int inserted = inserter(true).insert(SCHEMA, rows(100), refused);

        assertThat(inserted).isZero();
        assertThat(refused).isEmpty();
        assertThat(table).hasSize(100).doesNotHaveDuplicates();
        assertThat(inserts.get()).isEqualTo(1);
    }

    @Test
    void withoutBisectionTheRefusalFailsWithTheServersMessage() throws Exception {
        guilty = Set.of(7L);
        assertThatThrownBy(() -> inserter(false).insert(SCHEMA, rows(100), new ArrayList<>()))
                .isInstanceOf(ClickHouseException.class)
                .hasMessageContaining("code 395").hasMessageContaining("throwIf");
        assertThat(inserts.get()).isEqualTo(1);
        assertThat(table).isEmpty();
    }

    @Test
    void aRefusalThatEveryRowWouldMeetIsNotBisected() throws Exception {
        guilty = Set.of(7L);
        code = 60; // UNKNOWN_TABLE: no half would pass
        assertThatThrownBy(() -> inserter(true).insert(SCHEMA, rows(100), new ArrayList<>()))
                .isInstanceOf(ClickHouseException.class).hasMessageContaining("code 60");
        assertThat(inserts.get()).isEqualTo(1);
    }

    @Test
    void bisectionStopsAtItsCapAndFailsNamingTheServersMessage() throws Exception {
        Set<Long> all = new java.util.HashSet<>();
        for (long i = 0; i < 100; i++) {
            all.add(i);
        }
        guilty = all; // every row refused: 199 inserts to find them all, past a cap of 50
        assertThatThrownBy(() -> inserter(true, 50).insert(SCHEMA, rows(100), new ArrayList<>()))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("took more than 50 inserts")
                .hasMessageContaining("default.t").hasMessageContaining("code 395");
        assertThat(inserts.get()).isEqualTo(1 + 50);
        assertThat(table).isEmpty();
    }
}
