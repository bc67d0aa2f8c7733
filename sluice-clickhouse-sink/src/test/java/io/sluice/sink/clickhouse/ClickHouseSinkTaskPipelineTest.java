package io.sluice.sink.clickhouse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.sluice.sink.clickhouse.metrics.MetricsRegistration;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The task's background inserts, against a stand-in for ClickHouse's HTTP interface (the JDK's HttpServer) whose
 * inserts block until the test lets them finish: tables insert in parallel, preCommit never reports a row whose
 * insert is still running, a full batch whose table is still inserting pauses that table's partitions, a failed
 * insert fails the task without committing its rows, and the metrics MBean counts what happened.
 */
class ClickHouseSinkTaskPipelineTest {

    private static final TopicPartition A = new TopicPartition("a", 0);
    private static final TopicPartition B = new TopicPartition("b", 0);

    private HttpServer server;
    private volatile CountDownLatch gate = new CountDownLatch(1);
    private volatile boolean failInserts;
    private static final String COLUMNS =
            "v\tUInt32\t\t\n_kafka_topic\tString\t\t\n_kafka_partition\tUInt32\t\t\n_kafka_offset\tUInt64\t\t\n";
    private volatile String describe = COLUMNS;
    /** ClickHouse error code for the next insert to fail with, or 0. */
    private volatile int refuseNextInsert;
    /** A value of v that makes the server refuse the insert holding it (code 395, a throwIf), or -1. */
    private volatile long refuseValue = -1;
    private final List<String> insertSql = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final Map<String, AtomicInteger> insertsByTable = new ConcurrentHashMap<>();
    private final FakeContext context = new FakeContext();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", ex -> {
            String query = ex.getRequestURI().getRawQuery();
            String insert = query.contains("&query=") ? URLDecoder.decode(query.substring(query.indexOf("&query=") + 7),
                    UTF_8) : null;
            byte[] body = ex.getRequestBody().readAllBytes();
            String sql = new String(body, UTF_8);
            String answer = "";
            int status = 200;
            if (insert != null) {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
                insertsByTable.computeIfAbsent(insert.split(" ")[2], k -> new AtomicInteger()).incrementAndGet();
                insertSql.add(insert);
                if (refuseValue >= 0 && holdsValue(body, refuseValue)) {
                    status = 500;
                    answer = "Code: 395, e.displayText() = DB::Exception: Value passed to 'throwIf' function is "
                            + "non zero";
                    ex.getResponseHeaders().add("X-ClickHouse-Exception-Code", "395");
                } else if (refuseNextInsert != 0) {
                    status = 404;
                    answer = "Code: " + refuseNextInsert + ", e.displayText() = DB::Exception: No such column old";
                    ex.getResponseHeaders().add("X-ClickHouse-Exception-Code", String.valueOf(refuseNextInsert));
                    refuseNextInsert = 0;
                } else if (failInserts) {
                    status = 500;
                    answer = "Code: 60, e.displayText() = DB::Exception: Table is gone";
                    ex.getResponseHeaders().add("X-ClickHouse-Exception-Code", "60");
                }
            } else if (sql.startsWith("SELECT version()")) {
                answer = "18.16.1\n";
            } else if (sql.startsWith("DESCRIBE TABLE")) {
                answer = describe;
            } else if (sql.contains("system.table_engines")) {
                answer = "0\n"; // no SharedMergeTree: not ClickHouse Cloud, so system.processes is read here only
            }
            byte[] out = answer.getBytes(UTF_8);
            ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
    }

    /** Whether RowBinary rows of table ta or tb (18 bytes: v UInt32 first) hold {@code v}. */
    private static boolean holdsValue(byte[] rows, long v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(rows).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + 18 <= rows.length; at += 18) {
            if (Integer.toUnsignedLong(b.getInt(at)) == v) {
                return true;
            }
        }
        return false;
    }

    @AfterEach
    void stopServer() {
        gate.countDown();
        server.stop(0);
    }

    private ClickHouseSinkTask startTask() {
        return startTask(Map.of());
    }

    private ClickHouseSinkTask startTask(Map<String, String> extraProps) {
        Map<String, String> props = new HashMap<>(extraProps);
        props.put("name", "pipeline-test");
        props.put(ClickHouseSinkConnector.TASK_ID, "3");
        props.put("clickhouse.url", "http://127.0.0.1:" + server.getAddress().getPort());
        props.put("clickhouse.compression", "none");
        props.put("topic.to.table", "a=ta,b=tb");
        props.put("batch.max.rows", "2");
        props.put("flush.interval.ms", "3600000");
        props.put("retry.timeout.ms", "0");
        ClickHouseSinkTask task = new ClickHouseSinkTask();
        task.initialize(context);
        task.start(props);
        task.open(List.of(A, B));
        return task;
    }

    private static SinkRecord rec(TopicPartition tp, long offset) {
        return new SinkRecord(tp.topic(), tp.partition(), null, null, null, Map.of("v", offset), offset);
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(long a, long b) {
        return Map.of(A, new OffsetAndMetadata(a), B, new OffsetAndMetadata(b));
    }

    @Test
    void tablesInsertInParallelAndOffsetsWaitForTheirInsertAndAFullBusyTableIsPaused() throws Exception {
        ClickHouseSinkTask task = startTask();
        task.put(List.of(rec(A, 0), rec(A, 1), rec(B, 0), rec(B, 1)));
        waitFor(() -> running.get() == 2, "both tables' inserts running at once");
        assertThat(task.preCommit(offsets(2, 2))).isEqualTo(offsets(0, 0));

        // Table a is full again while its insert runs: its partition is paused, and put() returns at once (it
        // never waits for an insert, which could outlast the consumer's max.poll.interval.ms).
        task.put(List.of(rec(A, 2), rec(A, 3)));
        assertThat(context.paused).contains(A).doesNotContain(B);
        assertThat(running.get()).isEqualTo(2);
        gate.countDown();
        waitFor(() -> {
            task.put(List.of()); // the worker polls again within the short timeout the task asked for
            return context.paused.isEmpty();
        }, "partition a-0 resumed");
        waitFor(() -> task.preCommit(offsets(4, 2)).equals(offsets(4, 2)), "all rows committed");
        assertThat(insertsByTable.get("`default`.`ta`").get()).isEqualTo(2);
        assertThat(maxRunning.get()).isEqualTo(2);

        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = MetricsRegistration.objectName("pipeline-test", "3");
        assertThat(jmx.getAttribute(name, "records-received")).isEqualTo(6L);
        assertThat(jmx.getAttribute(name, "records-inserted")).isEqualTo(6L);
        assertThat(jmx.getAttribute(name, "batches-inserted")).isEqualTo(3L);
        assertThat(jmx.getAttribute(name, "records-pending")).isEqualTo(0L);
        // RowBinary per row: v UInt32 (4), _kafka_topic "a"/"b" (1 + 1), _kafka_partition (4), _kafka_offset (8).
        assertThat((Long) jmx.getAttribute(name, "bytes-inserted")).isEqualTo(6L * 18);
        task.close(List.of(A, B));
        task.stop();
        assertThat(jmx.isRegistered(name)).isFalse();
    }

    @Test
    void closeWritesNothingMoreForTheClosedPartitionsAndWaitsForNoInsert() throws Exception {
        ClickHouseSinkTask task = startTask();
        task.put(List.of(rec(A, 0), rec(A, 1), rec(B, 0)));
        waitFor(() -> running.get() == 1, "table a's insert running");
        task.put(List.of(rec(A, 2))); // buffered behind it

        task.close(List.of(A)); // returns although the insert still runs on the server
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = MetricsRegistration.objectName("pipeline-test", "3");
        task.preCommit(offsets(3, 1));
        assertThat(jmx.getAttribute(name, "records-pending")).as("b-0's row only").isEqualTo(1L);
        assertThat(task.preCommit(Map.of(B, new OffsetAndMetadata(1)))).containsEntry(B, new OffsetAndMetadata(0));
        gate.countDown();
        task.put(List.of()); // caught up: b-0's row goes; nothing of a-0 is sent again
        waitFor(() -> task.preCommit(Map.of(B, new OffsetAndMetadata(1))).get(B).offset() == 1, "b-0 committed");
        assertThat(insertsByTable.get("`default`.`ta`").get()).as("only the attempt sent before close").isEqualTo(1);
        assertThat(insertSql).noneMatch(sql -> sql.contains("`ta`") && insertSql.indexOf(sql) > 0);
        task.stop();
    }

    @Test
    void aFailedInsertFailsTheTaskAndItsRowsAreNeverCommitted() throws Exception {
        failInserts = true;
        gate.countDown();
        ClickHouseSinkTask task = startTask();
        task.put(List.of(rec(A, 0), rec(A, 1), rec(A, 2)));
        waitFor(() -> insertsByTable.containsKey("`default`.`ta`"), "the insert was tried");
        waitFor(() -> {
            try {
                task.put(List.of());
                return false;
            } catch (ConnectException e) {
                assertThat(e).hasMessageContaining("insert of 2 rows into default.ta failed")
                        .hasMessageContaining("Table is gone");
                return true;
            }
        }, "put() fails the task");
        assertThat(task.preCommit(offsets(3, 0))).isEmpty();
        assertThatThrownBy(() -> task.put(List.of(rec(A, 3)))).isInstanceOf(ConnectException.class);
        task.close(List.of(A, B));
        task.stop();
    }

    @Test
    void anInsertRefusedForAGoneColumnRewindsItsPartitionAndTheRecordsComeAgainForTheCurrentColumns()
            throws Exception {
        gate.countDown();
        describe = COLUMNS + "old\tNullable(UInt32)\t\t\n";
        refuseNextInsert = 16; // NO_SUCH_COLUMN_IN_TABLE: "old" was dropped after the task read the table
        ClickHouseSinkTask task = startTask();
        task.put(List.of(rec(A, 5), rec(A, 6)));
        waitFor(() -> insertSql.size() == 1, "the first insert was refused");
        describe = COLUMNS;
        waitFor(() -> {
            task.put(List.of());
            return context.offsets.containsKey(A);
        }, "partition a-0 rewound");
        assertThat(context.offsets).containsEntry(A, 5L);
        assertThat(insertSql.get(0)).contains("`old`");
        assertThat(task.preCommit(offsets(7, 0))).containsEntry(A, new OffsetAndMetadata(5));

        // Kafka Connect delivers from offset 5 again; the records are encoded for the re-read columns.
        task.put(List.of(rec(A, 5), rec(A, 6)));
        waitFor(() -> task.preCommit(offsets(7, 0)).get(A).offset() == 7, "both rows committed");
        assertThat(insertSql).hasSize(2);
        assertThat(insertSql.get(1)).doesNotContain("`old`").contains("`v`");
        task.close(List.of(A, B));
        task.stop();
    }

    @Test
    void aSecondRefusalOfTheSameTableBeforeAnyInsertFailsTheTask() throws Exception {
        gate.countDown();
        refuseNextInsert = 16;
        ClickHouseSinkTask task = startTask();
        task.put(List.of(rec(A, 0), rec(A, 1)));
        waitFor(() -> {
            task.put(List.of());
            return context.offsets.containsKey(A);
        }, "partition a-0 rewound");
        refuseNextInsert = 16; // the re-read columns are refused too: the table changes under the task
        task.put(List.of(rec(A, 0), rec(A, 1)));
        waitFor(() -> {
            try {
                task.put(List.of());
                return false;
            } catch (ConnectException e) {
                assertThat(e).hasMessageContaining("No such column");
                return true;
            }
        }, "put() fails the task");
        task.close(List.of(A, B));
        task.stop();
    }

    @Test
    void withErrorsToleratedARowTheServerRefusesIsDeadLetteredFromTheTaskThreadAndTheRestInserted() throws Exception {
        gate.countDown();
        refuseValue = 2;
        List<String> reported = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> reportedOn = java.util.Collections.synchronizedList(new ArrayList<>());
        context.reporter = (record, error) -> {
            reported.add(record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset() + ": "
                    + error.getMessage());
            reportedOn.add(Thread.currentThread());
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        };
        ClickHouseSinkTask task = startTask(Map.of("errors.tolerance", "all"));
        task.put(List.of(rec(A, 0), rec(A, 1), rec(A, 2), rec(A, 3)));
        waitFor(() -> {
            task.put(List.of());
            return task.preCommit(offsets(4, 0)).get(A).offset() == 4;
        }, "every offset committed");

        assertThat(reported).hasSize(1);
        assertThat(reported.get(0)).startsWith("a-0@2: ").contains("default.ta", "code 395", "throwIf");
        assertThat(reportedOn).containsOnly(Thread.currentThread());
        // Batches [0, 1] and [2, 3]; [2, 3] refused, then [2] refused alone and [3] inserted.
        assertThat(insertsByTable.get("`default`.`ta`").get()).isEqualTo(4);
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = MetricsRegistration.objectName("pipeline-test", "3");
        assertThat(jmx.getAttribute(name, "records-inserted")).isEqualTo(3L);
        assertThat(jmx.getAttribute(name, "records-dead-lettered")).isEqualTo(1L);
        task.close(List.of(A, B));
        task.stop();
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Records pause and resume; assignment is both partitions. */
    private static final class FakeContext implements SinkTaskContext {
        final Set<TopicPartition> paused = ConcurrentHashMap.newKeySet();
        final Map<TopicPartition, Long> offsets = new ConcurrentHashMap<>();
        volatile org.apache.kafka.connect.sink.ErrantRecordReporter reporter;

        @Override
        public org.apache.kafka.connect.sink.ErrantRecordReporter errantRecordReporter() {
            return reporter;
        }

        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {
        }

        @Override
        public void offset(TopicPartition tp, long offset) {
            offsets.put(tp, offset);
        }

        @Override
        public void timeout(long timeoutMs) {
        }

        @Override
        public Set<TopicPartition> assignment() {
            return Set.of(A, B);
        }

        @Override
        public void pause(TopicPartition... partitions) {
            paused.addAll(new ArrayList<>(List.of(partitions)));
        }

        @Override
        public void resume(TopicPartition... partitions) {
            List.of(partitions).forEach(paused::remove);
        }

        @Override
        public void requestCommit() {
        }
    }
}
