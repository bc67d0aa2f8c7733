package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.local.verify.CdcChecksum;
import io.sluice.local.pipeline.CdcPipeline;
import io.sluice.local.LocalStack;
import io.sluice.local.server.MariaDbServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A change of binlog origin (issue 13, case 11), as a replica promotion does it on real servers: MariaDB
 * {@code server_id=1} (the primary, after three binlog rotations) replicates with GTIDs to MariaDB
 * {@code server_id=2} ({@code log_slave_updates}); Debezium captures the primary into ClickHouse; then the primary
 * goes away, the replica is promoted, and the same Debezium connector (same offsets) follows it by GTID. The
 * promoted server's changes carry binlog positions of its own, younger binlog, so their {@code _version} is lower
 * than that of the rows they replace. Before the fix they landed and lost in ReplacingMergeTree: the view kept the
 * old values, silently. Now the sink task stops before writing them, naming both origins and how to re-snapshot,
 * and stops again after a restart, because the table itself names its origin.
 */
class BinlogOriginIT {

    private static final String DB = "shop";

    private static LocalStack stack;
    private static MariaDbServer primary;
    private static MariaDbServer replica;

    @BeforeAll
    static void start() {
        stack = Stack.start("binlog-origin");
        primary = stack.startMariaDb(1);
        replica = stack.startMariaDb("mariadb-replica", 2, 0);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void changesFromAPromotedReplicaStopTheSinkNamingBothOrigins() throws Exception {
        sql(primary, "FLUSH BINARY LOGS", "FLUSH BINARY LOGS", "FLUSH BINARY LOGS"); // a primary with history
        sql(replica, "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + primary.port() + ", MASTER_USER='"
                + MariaDbServer.ADMIN_USER + "', MASTER_PASSWORD='" + primary.adminPassword() + "', "
                + "MASTER_USE_GTID=slave_pos", "START SLAVE");
        CdcPipeline onPrimary = new CdcPipeline(stack, primary, DB, "origin");
        onPrimary.createDatabase();
        onPrimary.execute("CREATE TABLE items (id INT NOT NULL PRIMARY KEY, qty INT NOT NULL)",
                "INSERT INTO items SELECT seq, seq FROM seq_1_to_20");
        onPrimary.deploy("origin-source", onPrimary.sourceConfig());
        onPrimary.deploy("origin-sink", onPrimary.sinkConfig(1));
        Convergence.awaitEqual(stack, primary, DB, "items", Duration.ofSeconds(60), "origin-source", "origin-sink");
        onPrimary.execute("UPDATE items SET qty = qty + 100 WHERE id <= 10");
        Convergence.awaitEqual(stack, primary, DB, "items", Duration.ofSeconds(60), "origin-source", "origin-sink");

        // Promotion: the replica has applied everything, the primary goes away, Debezium follows the replica.
        String gtid = scalar(primary, "SELECT @@gtid_binlog_pos");
        assertThat(scalar(replica, "SELECT MASTER_GTID_WAIT('" + gtid + "', 30)")).isEqualTo("0");
        stack.connect().stopAndAwait("origin-source", Duration.ofSeconds(30));
        primary.close();
        sql(replica, "STOP SLAVE", "RESET SLAVE ALL");
        CdcPipeline onReplica = new CdcPipeline(stack, replica, DB, "origin");
        stack.connect().putConnector("origin-source", onReplica.sourceConfig()); // same name: same offsets
        stack.connect().resume("origin-source");
        stack.connect().awaitRunning("origin-source", 1, Duration.ofSeconds(60));
        onReplica.execute("UPDATE items SET qty = 999 WHERE id <= 5");

        KafkaState kafka = new KafkaState(stack.bootstrapServers());
        String topic = onReplica.topicOf("items");
        // 20 snapshot reads, 10 updates from the primary, 5 from the promoted replica
        Waits.until(Duration.ofSeconds(60), () -> endOffset(kafka, topic) >= 35, () -> topic + " holds "
                + endOffset(kafka, topic) + " of 35 changes; source " + stack.connect().status("origin-source"));
        String trace = kafka.awaitCommittedOrFailed(stack.connect(), "origin-sink", topic, 1);
        CdcChecksum.Result now = CdcChecksum.compare(replica, DB, "items", stack.clickHouse());
        assertThat(trace).as("the sink must stop on the promoted server's changes; instead it committed them and "
                + now.describe()).isNotNull();
        assertThat(trace).contains("server_id=1", "server_id=2", "re-snapshot");
        assertThat(stack.clickHouse().scalar("SELECT count() FROM items_current WHERE qty = 999"))
                .as("nothing of the new origin is written").isZero();

        // A new task (the connector deleted and created again; its offsets stay with its consumer group) reads the
        // origin from the table and stops again.
        stack.connect().deleteConnector("origin-sink");
        Waits.until(Duration.ofSeconds(30), () -> stack.connect().status("origin-sink") == null,
                () -> "origin-sink still there: " + stack.connect().status("origin-sink"));
        stack.connect().putConnector("origin-sink", onReplica.sinkConfig(1));
        String again = kafka.awaitCommittedOrFailed(stack.connect(), "origin-sink", topic, 1);
        assertThat(again).as("after a restart").isNotNull().contains("server_id=1", "server_id=2");

        // What the guard reads, as Debezium wrote it: snapshot reads name no server, changes the server that wrote them.
        Map<String, Set<String>> serverIdsByOp = new TreeMap<>();
        try (TopicReader r = new TopicReader(stack.bootstrapServers(), topic)) {
            for (var rec : r.readAtLeast(35, Duration.ofSeconds(30))) {
                String source = rec.value().substring(rec.value().lastIndexOf("\"source\""));
                Matcher id = Pattern.compile("\"server_id\":(\\d+)").matcher(source);
                Matcher op = Pattern.compile("\"op\":\"(\\w)\"").matcher(source);
                assertThat(id.find() && op.find()).as(source).isTrue();
                serverIdsByOp.computeIfAbsent(op.group(1), k -> new TreeSet<>()).add(id.group(1));
            }
        }
        assertThat(serverIdsByOp).containsExactly(Map.entry("r", Set.of("0")), Map.entry("u", Set.of("1", "2")));
    }

    private static long endOffset(KafkaState kafka, String topic) {
        try {
            return kafka.endOffsets(topic, 1).get(0);
        } catch (Exception e) {
            return -1;
        }
    }

    private static void sql(MariaDbServer db, String... statements) throws SQLException {
        try (Connection c = db.connect(null); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static String scalar(MariaDbServer db, String query) throws SQLException {
        try (Connection c = db.connect(null); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
