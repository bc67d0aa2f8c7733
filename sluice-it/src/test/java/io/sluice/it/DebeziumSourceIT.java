package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.local.pipeline.CdcPipeline;
import io.sluice.local.LocalStack;
import io.sluice.local.server.MariaDbServer;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The source half alone, on a real MariaDB and the real Connect worker: the Debezium MariaDB connector, loaded from
 * the Debezium plugin zip, with the {@code mariaDb} preset. Checks the change events themselves, so that a sink
 * problem cannot hide a source problem.
 */
class DebeziumSourceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalStack stack;
    private static MariaDbServer db;

    @BeforeAll
    static void start() {
        stack = Stack.start("debezium-source");
        db = stack.startMariaDb(1);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void secretsStayInTheProtectedFile() throws Exception {
        assertThat(Files.getPosixFilePermissions(db.secretsFile()))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        CdcPipeline p = new CdcPipeline(stack, db, "secretsdb", "sec");
        String config = p.sourceConfig().toString();
        assertThat(config).doesNotContain(db.adminPassword()).contains("${file:" + db.secretsFile());
        String grants;
        try (var c = db.connect(null); var rs = c.createStatement().executeQuery(
                "SHOW GRANTS FOR '" + MariaDbServer.DEBEZIUM_USER + "'@'127.0.0.1'")) {
            rs.next();
            grants = rs.getString(1);
        }
        // Exactly the Debezium grants; MariaDB 10.5+ shows REPLICATION CLIENT under its new name, BINLOG MONITOR.
        String privileges = grants.substring("GRANT ".length(), grants.indexOf(" ON *.* TO "));
        assertThat(privileges.split(", ")).containsExactlyInAnyOrder("SELECT", "RELOAD", "SHOW DATABASES",
                "LOCK TABLES", "REPLICATION SLAVE", "BINLOG MONITOR");
    }

    @Test
    void snapshotThenStreamThenResumeWithoutLosingTheFirstChangeAfterARestart() throws Exception {
        CdcPipeline p = new CdcPipeline(stack, db, "rawdb", "raw");
        p.createDatabase();
        p.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO t VALUES (1, 'a'), (2, 'b')");
        assertThat(stack.connect().validate("raw-source", p.sourceConfig())).as("worker-side validation, incl. the DB login").isEmpty();

        p.deploy("raw-source", p.sourceConfig());
        try (TopicReader reader = new TopicReader(stack.bootstrapServers(), p.topicOf("t"))) {
            // A RUNNING task has not necessarily snapshotted yet (a cold machine shows it): the changes must follow
            // the snapshot's records, or the snapshot reads the final state and nothing is streamed.
            List<ConsumerRecord<String, String>> rs = reader.readAtLeast(2, Duration.ofSeconds(90));
            assertThat(ops(rs)).containsExactly("r:1", "r:2");
            p.execute("INSERT INTO t VALUES (3, 'c')", "UPDATE t SET v = 'a2' WHERE id = 1", "DELETE FROM t WHERE id = 2");
            rs = reader.readAtLeast(6, Duration.ofSeconds(90));
            assertThat(ops(rs)).containsExactly("r:1", "r:2", "c:3", "u:1", "d:2", "tombstone:2");
            JsonNode update = JSON.readTree(rs.get(3).value());
            assertThat(update.path("payload").path("before").path("v").asText()).isEqualTo("a");
            assertThat(update.path("payload").path("after").path("v").asText()).isEqualTo("a2");
            assertThat(update.path("payload").path("source").path("file").asText()).startsWith("mariadb-bin.");
            assertThat(update.path("schema").toString()).contains("__debezium.source.column.type");

            // The MySQL connector lost the first change after each restart against MariaDB; this one must not.
            // The change is made while the connector is stopped, so it is the first one the resumed task must read
            // from its stored offsets (a restart request returns before the old task is gone).
            stack.connect().stopAndAwait("raw-source", Duration.ofSeconds(60));
            p.execute("INSERT INTO t VALUES (4, 'd')");
            stack.connect().resume("raw-source");
            stack.connect().awaitRunning("raw-source", 1, Duration.ofSeconds(60));
            rs = reader.readAtLeast(7, Duration.ofSeconds(90));
            assertThat(ops(rs)).containsExactly("r:1", "r:2", "c:3", "u:1", "d:2", "tombstone:2", "c:4");
        }
        stack.connect().deleteConnector("raw-source");
    }

    /** The sink's documented behaviour for a table without a primary key: the task fails and says what to do. */
    @Test
    void aTableWithoutPrimaryKeyStopsTheSinkWithAClearError() throws Exception {
        CdcPipeline p = new CdcPipeline(stack, db, "nokeydb", "nk");
        p.createDatabase();
        p.execute("CREATE TABLE events (a INT, b VARCHAR(10))", "INSERT INTO events VALUES (1, 'x'), (1, 'x')");
        p.deploy("nk-source", p.sourceConfig());
        stack.connect().putConnector("nk-sink", p.sinkConfig(1));
        String[] trace = new String[1];
        Waits.until(Duration.ofSeconds(90), () -> (trace[0] = KafkaState.failedTrace(stack.connect(), "nk-sink")) != null,
                () -> "sink status: " + stack.connect().status("nk-sink"));
        assertThat(trace[0]).contains("nokeydb.events has no primary key").contains("message.key.columns");
        stack.connect().deleteConnector("nk-sink");
        stack.connect().deleteConnector("nk-source");
    }

    private static List<String> ops(List<ConsumerRecord<String, String>> rs) throws Exception {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : rs) {
            String id = JSON.readTree(r.key()).path("payload").path("id").asText();
            if (r.value() == null) {
                out.add("tombstone:" + id);
            } else {
                out.add(JSON.readTree(r.value()).path("payload").path("op").asText() + ":" + id);
            }
        }
        return out;
    }

}
