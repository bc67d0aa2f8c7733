package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.local.server.ClickHouseCluster;
import io.sluice.local.verify.ClickHouseQuery;
import io.sluice.local.connect.ConnectWorkerProcess;
import io.sluice.local.LocalStack;
import io.sluice.local.pipeline.SensorPipeline;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once delivery into replicated ClickHouse behind a round-robin endpoint (issue 13, case 6), on the local
 * stack's {@link ClickHouseCluster}: ZooKeeper, two ClickHouse 18.16 replicas and a TCP proxy that hands each new
 * connection to the next replica, as ClickHouse Cloud's endpoint does. The Connect worker runs in a child JVM and
 * commits offsets only every 10 minutes, so a killed worker leaves its inserted rows uncommitted and the restarted
 * task's resume check decides alone whether they are written twice.
 */
class ReplicatedClickHouseIT {

    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = Stack.replicated("replicas", 2);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * Replica 2 has stopped fetching ({@code SYSTEM STOP FETCHES}) and the endpoint sends every connection to
     * replica 1, which takes the sink's insert of 500 records. The worker is killed before committing; when it
     * comes back, the endpoint sends its connections to replica 2, which lacks that insert. Before the fix, the resume
     * check asked replica 2, found nothing and inserted the 500 records again: once replica 2 fetched again, both
     * replicas held 1,000 rows. With quorum inserts and sequentially consistent checks, the first insert waits for
     * replica 2, the check waits for that pending quorum, and once replica 2 fetches it sees the 500 rows and skips
     * them.
     *
     * <p>The table keeps no window of block hashes ({@code replicated_deduplication_window = 0}). With the default
     * window ReplicatedMergeTree drops a block identical to one of its last 100, which here would hide the
     * duplicate: one poll and one full batch make the redelivered block the same as the first. After a real crash
     * the redelivered records rarely fall into the same batches (more records have arrived, polls return other
     * counts), so the sink must not rest on that coincidence.
     */
    @Test
    void aResumeCheckAnsweredByALaggingReplicaWritesNothingTwice() throws Exception {
        ClickHouseCluster cluster = stack.clickHouseCluster();
        ClickHouseQuery first = Stack.query(cluster.replica(0));
        ClickHouseQuery second = Stack.query(cluster.replica(1));
        String topic = "lag-in";
        String table = "lag_rows";
        SensorPipeline.createTopic(stack.bootstrapServers(), topic, 1);
        Stack.createReplicatedTable(first, table, "", true);
        second.execute("SYSTEM STOP FETCHES " + table);
        cluster.proxy().drain(1);

        List<String> values = new ArrayList<>();
        for (int i = 1; i <= 500; i++) {
            values.add("{\"id\":" + i + "}");
        }
        KafkaState kafka = new KafkaState(stack.bootstrapServers());
        kafka.send(topic, values);
        String connector = "lag-sink";
        Map<String, String> c = new SensorPipeline(stack, topic, table).sinkConfig(1, null);
        // One full batch, inserted at once: with commits 10 minutes apart, Connect polls (and calls put, which
        // flushes by age) only when records come.
        c.put("batch.max.rows", "500");
        // The insert waits for replica 2 as long as its quorum timeout (the request timeout), and the restarted
        // task waits for it to end: 10 s, not the default.
        c.put("clickhouse.request.timeout.ms", "10000");
        stack.connect().putConnector(connector, c);
        stack.connect().awaitRunning(connector, 1, Duration.ofSeconds(60));
        Waits.until(Duration.ofSeconds(60), () -> first.scalar("SELECT count() FROM " + table) == 500,
                () -> "replica 1 holds " + first.scalar("SELECT count() FROM " + table) + " rows");
        assertThat(second.scalar("SELECT count() FROM " + table)).isZero();

        ConnectWorkerProcess worker = stack.connectWorkerProcess();
        worker.kill();
        assertThat(kafka.committed(connector, topic, 1).get(0)).as("committed before the kill").isZero();
        cluster.proxy().restore(1);
        cluster.proxy().drain(0);
        long logFrom = Files.size(worker.logFile());
        worker.start();

        // The restarted task has checked once it wrote to replica 2 (before the fix) or waits for the quorum (after).
        Waits.until(Duration.ofSeconds(120), () -> second.scalar("SELECT count() FROM " + table) > 0
                        || worker.logSince(logFrom).contains("is still waiting for its replicas"),
                () -> "replica 2 holds no rows and the task does not wait for a quorum");
        second.execute("SYSTEM START FETCHES " + table);
        Waits.until(Duration.ofSeconds(120), () -> worker.logSince(logFrom).contains(
                        "resumes at offset 0; default." + table + " already has")
                        || first.scalar("SELECT count() FROM " + table) > 500,
                () -> "the restarted task has not reported the written rows");
        first.execute("SYSTEM SYNC REPLICA " + table);
        second.execute("SYSTEM SYNC REPLICA " + table);
        for (ClickHouseQuery replica : List.of(first, second)) {
            assertThat(replica.rows("SELECT count(), uniqExact(_kafka_offset), sum(id) FROM " + table).get(0))
                    .containsExactly("500", "500", String.valueOf(500 * 501 / 2));
        }
        assertThat(KafkaState.failedTrace(stack.connect(), connector)).isNull();
        stack.connect().deleteConnector(connector);
        cluster.proxy().restore(0);
    }

    /**
     * An insert still running on replica 1 after its client's connection was cut, while the endpoint now sends every
     * new connection to replica 2 (issue 13, cases 1 and 6). Each insert takes 5 s on the server (two columns with
     * {@code DEFAULT sleep(3)} and {@code sleep(2)}); 2 s into the first one the endpoint fails replica 1 over
     * ({@link io.sluice.local.server.RoundRobinProxy#disconnect}), so the inserter's wait for the cut insert and
     * its landed-rows check reach replica 2. Before the fix the wait read replica 2's {@code system.processes},
     * found nothing, the check found no rows (the first insert had not written its part), and the batch was sent
     * again to replica 2, committing 2 s after the first one had reached its quorum: 600 rows for 300 records. The
     * wait now reads every replica's processes, so the check runs once the first insert ended and finds its rows.
     * The table keeps no window of block hashes ({@code replicated_deduplication_window = 0}, as in the lagging
     * replica test): the sink must not rest on the resent batch being identical to the first one.
     */
    @Test
    void anInsertStillRunningOnAnotherReplicaIsAwaitedNotRepeated() throws Exception {
        ClickHouseCluster cluster = stack.clickHouseCluster();
        ClickHouseQuery first = Stack.query(cluster.replica(0));
        ClickHouseQuery second = Stack.query(cluster.replica(1));
        String topic = "moved-in";
        String table = "moved_rows";
        SensorPipeline.createTopic(stack.bootstrapServers(), topic, 1);
        // sleep() takes at most 3 s
        Stack.createReplicatedTable(first, table, "pause UInt8 DEFAULT sleep(3), pause2 UInt8 DEFAULT sleep(2), ", true);
        String connector = "moved-sink";
        cluster.proxy().drain(1);
        try {
            List<String> values = new ArrayList<>();
            for (int i = 1; i <= 300; i++) {
                values.add("{\"id\":" + i + "}");
            }
            KafkaState kafka = new KafkaState(stack.bootstrapServers());
            kafka.send(topic, values);
            Map<String, String> c = new SensorPipeline(stack, topic, table).sinkConfig(1, null);
            c.put("batch.max.rows", "300");
            c.put("clickhouse.request.timeout.ms", "30000"); // the cut, not a timeout, makes the outcome unknown
            stack.connect().putConnector(connector, c);
            stack.connect().awaitRunning(connector, 1, Duration.ofSeconds(60));
            String running = "SELECT count() FROM system.processes WHERE query LIKE 'INSERT INTO %" + table + "%'";
            Waits.until(Duration.ofSeconds(60), () -> first.scalar(running + " AND elapsed >= 2") > 0,
                    () -> "no insert has run 2 s on replica 1");
            ConnectWorkerProcess worker = stack.connectWorkerProcess();
            long logFrom = Files.size(worker.logFile());
            String landed = "rows for default." + table + " had landed before the failure";
            cluster.proxy().restore(1);
            cluster.proxy().drain(0);
            cluster.proxy().disconnect(0);
            // Until the check has found the rows, or a second copy has landed and nothing runs any more.
            Waits.until(Duration.ofSeconds(120), () -> worker.logSince(logFrom).contains(landed)
                            || (first.scalar("SELECT count() FROM " + table) > 300 && first.scalar(running) == 0
                            && second.scalar(running) == 0),
                    () -> "replica 1 holds " + first.scalar("SELECT count() FROM " + table) + " rows, inserts running: "
                            + first.scalar(running) + " and " + second.scalar(running));
            first.execute("SYSTEM SYNC REPLICA " + table);
            second.execute("SYSTEM SYNC REPLICA " + table);
            for (ClickHouseQuery replica : List.of(first, second)) {
                assertThat(replica.rows("SELECT count(), uniqExact(_kafka_offset), sum(id) FROM " + table).get(0))
                        .containsExactly("300", "300", String.valueOf(300 * 301 / 2));
            }
            // The cut did make the outcome unknown, and the check found the rows of the insert that went on running.
            assertThat(worker.logSince(logFrom)).contains(landed);
            assertThat(KafkaState.failedTrace(stack.connect(), connector)).isNull();
        } finally {
            cluster.proxy().restore(0);
            cluster.proxy().restore(1);
            stack.connect().deleteConnector(connector);
        }
    }

    /**
     * ZooKeeper's connection cut while an insert commits its part: the part is written on replica 1, and ZooKeeper
     * drops the commit's transaction unapplied and closes replica 1's connection
     * ({@link io.sluice.local.server.ZooKeeperNode#cutNextCommit}), so the insert's outcome is unknown to the server
     * too (UNKNOWN_STATUS_OF_INSERT). 18.16 keeps the part active on replica 1, visible even to a sequentially
     * consistent read, and decides its fate about 5 minutes later (detached, since the commit never reached
     * ZooKeeper; not waited for here). Before the fix the check after the unknown outcome counted that part's 300
     * rows as written and inserted nothing: replica 2 never received them, and they would leave replica 1. Now the
     * check counts only parts that ZooKeeper lists, so the batch is written again: every record must be one row on
     * replica 2, and in replica 1's parts that ZooKeeper lists.
     */
    @Test
    void anInsertWhoseCommitZooKeeperDroppedIsWrittenAgainOnce() throws Exception {
        ClickHouseCluster cluster = stack.clickHouseCluster();
        ClickHouseQuery first = Stack.query(cluster.replica(0));
        ClickHouseQuery second = Stack.query(cluster.replica(1));
        String topic = "cut-commit-in";
        String table = "cut_commit_rows";
        String connector = "cut-commit-sink";
        SensorPipeline.createTopic(stack.bootstrapServers(), topic, 1);
        Stack.createReplicatedTable(first, table, "", true);
        cluster.proxy().drain(1);
        try {
            java.util.concurrent.CountDownLatch cut = cluster.zooKeeper().cutNextCommit(
                    "/clickhouse/tables/01/default/" + table + "/log/log-");
            List<String> values = new ArrayList<>();
            for (int i = 1; i <= 300; i++) {
                values.add("{\"id\":" + i + "}");
            }
            new KafkaState(stack.bootstrapServers()).send(topic, values);
            Map<String, String> c = new SensorPipeline(stack, topic, table).sinkConfig(1, null);
            c.put("batch.max.rows", "300");
            stack.connect().putConnector(connector, c);
            assertThat(cut.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("a commit was cut").isTrue();
            cluster.proxy().restore(1);
            Waits.until(Duration.ofSeconds(120), () -> second.scalar("SELECT count() FROM " + table) >= 300,
                    () -> "replica 2 holds " + second.scalar("SELECT count() FROM " + table) + " rows");
            first.execute("SYSTEM SYNC REPLICA " + table);
            second.execute("SYSTEM SYNC REPLICA " + table);
            String rows = "SELECT count(), uniqExact(_kafka_offset), sum(id) FROM " + table;
            System.out.printf("cut commit: replica 1 holds %s (all parts), replica 2 %s%n",
                    String.join("/", first.rows(rows).get(0)), String.join("/", second.rows(rows).get(0)));
            assertThat(second.rows(rows).get(0)).containsExactly("300", "300", String.valueOf(300 * 301 / 2));
            // Replica 1's parts that ZooKeeper lists for it (the part whose commit was dropped is not among them).
            assertThat(first.rows(rows + " WHERE _part IN (SELECT name FROM system.zookeeper WHERE path = "
                    + "'/clickhouse/tables/01/default/" + table + "/replicas/replica-1/parts')").get(0))
                    .containsExactly("300", "300", String.valueOf(300 * 301 / 2));
            assertThat(KafkaState.failedTrace(stack.connect(), connector)).isNull();
        } finally {
            cluster.zooKeeper().cutNextCommit(null);
            cluster.proxy().restore(1);
            stack.connect().deleteConnector(connector);
        }
    }

    /**
     * {@code clickhouse.insert.quorum=1} on a table of two replicas. ClickHouse turns quorum inserts off below 2
     * (setting {@code insert_quorum}), so inserts are acknowledged by one replica and the resume check, reading
     * without a quorum to wait for, may ask the other before it fetched them: the lagging replica test above wrote
     * 500 records twice that way. Before the fix the sink took the setting and wrote; now the task stops before its
     * first insert, naming the setting and the fix.
     */
    @Test
    void aQuorumOfOneOnSeveralReplicasIsRefused() throws Exception {
        ClickHouseCluster cluster = stack.clickHouseCluster();
        ClickHouseQuery first = Stack.query(cluster.replica(0));
        String topic = "quorum1-in";
        String table = "quorum1_rows";
        SensorPipeline.createTopic(stack.bootstrapServers(), topic, 1);
        Stack.createReplicatedTable(first, table, "", false);
        String connector = "quorum1-sink";
        Map<String, String> c = new SensorPipeline(stack, topic, table).sinkConfig(1, null);
        c.put("clickhouse.insert.quorum", "1");
        try {
            stack.connect().putConnector(connector, c);
            new KafkaState(stack.bootstrapServers()).send(topic, List.of("{\"id\":1}", "{\"id\":2}"));
            Waits.until(Duration.ofSeconds(60), () -> KafkaState.failedTrace(stack.connect(), connector) != null,
                    () -> "the task has not failed; replica 1 holds " + first.scalar("SELECT count() FROM " + table)
                            + " rows");
            assertThat(KafkaState.failedTrace(stack.connect(), connector))
                    .contains("clickhouse.insert.quorum=1 but table default." + table + " has 2 replicas");
            assertThat(first.scalar("SELECT count() FROM " + table)).isZero();
        } finally {
            stack.connect().deleteConnector(connector);
        }
    }

    /**
     * A replica stopped mid-stream (SIGTERM) and started again on the same data: while it is down the proxy sends
     * every connection to the other one, whose quorum inserts are refused (TOO_FEW_LIVE_REPLICAS, retried); once it
     * is back, the refused batches land and it fetches what it missed. Every record is one row on each replica.
     */
    @Test
    void aReplicaStoppedMidStreamDelaysInsertsAndLosesOrDuplicatesNothing() throws Exception {
        ClickHouseCluster cluster = stack.clickHouseCluster();
        // Refused for too few live replicas, or timed out waiting for the quorum and then held back.
        streamThroughFault("down", () -> cluster.replica(1).close(), "(\\(code 285\\)|\\(code 319\\)|"
                + "is still waiting for its replicas)", () -> cluster.replica(1).start());
    }

    /**
     * A replica killed with SIGKILL mid-stream, then started again on the same data. Unlike a clean stop, its
     * connections are cut mid-request (outcome unknown: the inserter checks which offsets landed) and its ZooKeeper
     * session, with its {@code is_active} node, outlives it for the session timeout (10 s), so the other replica
     * still counts it as live: quorum inserts write their part and then wait for it, until the quorum timeout
     * (UNKNOWN_STATUS_OF_INSERT, the part's quorum pending), and the next ones are refused while that quorum is pending
     * (UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE). The restarted replica waits for its old session to expire before it
     * takes part again, fetches the pending part and confirms its quorum. Every record is one row on each replica.
     */
    @Test
    void aReplicaKilledWithSigkillMidStreamLosesOrDuplicatesNothing() throws Exception {
        ClickHouseCluster cluster = stack.clickHouseCluster();
        streamThroughFault("killed", () -> cluster.replica(1).kill(), "failed \\(attempt \\d+\\), retrying",
                () -> cluster.replica(1).start());
    }

    /**
     * ZooKeeper stopped mid-stream and started again on the same port and data. Both replicas lose their session
     * (18.16 does not resume one: it opens a new session and waits for the old ephemeral nodes to expire), so their
     * replicated tables are read-only meanwhile: inserts are refused (TABLE_IS_READ_ONLY) or cut off in ZooKeeper
     * after the part was written (KEEPER_EXCEPTION, outcome unknown: checked), and are retried until the tables are
     * writable again. Every record is one row on each replica.
     */
    @Test
    void zooKeeperRestartedMidStreamLosesOrDuplicatesNothing() throws Exception {
        ClickHouseCluster cluster = stack.clickHouseCluster();
        streamThroughFault("zk", () -> cluster.zooKeeper().close(), "failed \\(attempt \\d+\\), retrying",
                () -> cluster.zooKeeper().start());
    }

    /**
     * Streams 3,000 records over 2 partitions in three rounds of 1,000 into a new ReplicatedMergeTree table on both
     * replicas, in batches of 100: the fault is made once the first rows are in, repaired once the worker's log
     * shows that an insert or read met it (the second round is then in flight), and the third round must land
     * completely. Then both replicas are synchronised and each must hold every record once: 3,000 rows, 3,000
     * distinct (partition, offset) and the sum of the ids; the connector's task must not have failed.
     *
     * @param name     prefix of the topic, table and connector
     * @param fault    makes the fault
     * @param evidence a regular expression found in the worker's log once the sink met the fault
     * @param repair   undoes the fault
     */
    private static void streamThroughFault(String name, Runnable fault, String evidence, Runnable repair)
            throws Exception {
        ClickHouseCluster cluster = stack.clickHouseCluster();
        cluster.proxy().restore(0);
        cluster.proxy().restore(1);
        ClickHouseQuery first = Stack.query(cluster.replica(0));
        String topic = name + "-in";
        String table = name + "_rows";
        SensorPipeline.createTopic(stack.bootstrapServers(), topic, 2);
        Stack.createReplicatedTable(first, table, "", false);
        String connector = name + "-sink";
        Map<String, String> c = new SensorPipeline(stack, topic, table).sinkConfig(1, null);
        c.put("batch.max.rows", "100");
        c.put("clickhouse.request.timeout.ms", "10000"); // and so the quorum timeout
        stack.connect().putConnector(connector, c);
        stack.connect().awaitRunning(connector, 1, Duration.ofSeconds(60));
        KafkaState kafka = new KafkaState(stack.bootstrapServers());
        ConnectWorkerProcess worker = stack.connectWorkerProcess();
        long[] faultAt = {0}; // the worker log's size when the fault was made
        boolean faulty = false;
        int total = 0;
        try {
            for (int round = 0; round < 3; round++) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= 1000; i++) {
                    values.add("{\"id\":" + (total + i) + "}");
                }
                kafka.send(topic, values);
                total += 1000;
                int expected = total;
                if (round == 0) {
                    Waits.until(Duration.ofSeconds(60), () -> first.scalar("SELECT count() FROM " + table) > 0,
                            () -> "no rows yet");
                    faultAt[0] = Files.size(worker.logFile());
                    faulty = true;
                    fault.run();
                } else if (round == 1) {
                    Waits.until(Duration.ofSeconds(120), () -> worker.logSince(faultAt[0]).matches(
                            "(?s).*" + evidence + ".*"), () -> "no insert has met the fault yet");
                    faulty = false;
                    repair.run();
                } else {
                    Waits.until(Duration.ofSeconds(180), () -> first.scalar("SELECT count() FROM " + table) >= expected,
                            () -> "replica 1 holds " + first.scalar("SELECT count() FROM " + table) + " of "
                                    + expected);
                }
            }
        } finally {
            if (faulty) {
                repair.run(); // so that a failure here does not fail the next tests of the class too
            }
        }
        ClickHouseQuery second = Stack.query(cluster.replica(1));
        first.execute("SYSTEM SYNC REPLICA " + table);
        second.execute("SYSTEM SYNC REPLICA " + table);
        String met = worker.logSince(faultAt[0]);
        System.out.printf("%s: the sink met %s; %d retries, %d landed-rows checks that found rows%n", name,
                new java.util.TreeSet<>(java.util.regex.Pattern.compile("\\(code \\d+\\)").matcher(met).results()
                        .map(java.util.regex.MatchResult::group).toList()),
                met.split("failed \\(attempt", -1).length - 1, met.split("had landed before the failure", -1).length - 1);
        for (ClickHouseQuery replica : List.of(first, second)) {
            assertThat(replica.rows("SELECT count(), uniqExact(_kafka_partition, _kafka_offset), sum(id) FROM " + table)
                    .get(0)).containsExactly("3000", "3000", String.valueOf(3000L * 3001 / 2));
        }
        assertThat(KafkaState.failedTrace(stack.connect(), connector)).isNull();
        stack.connect().deleteConnector(connector);
    }
}
