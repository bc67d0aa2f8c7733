package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.local.verify.CdcChecksum;
import io.sluice.local.pipeline.CdcPipeline;
import io.sluice.local.LocalStack;
import io.sluice.local.server.MariaDbServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Change data capture end to end on the real stack: MariaDB (binlog ROW/FULL) -> Debezium MariaDB connector ->
 * Kafka -> Sluice sink in {@code ingest.mode=debezium} -> ClickHouse. One pipeline serves the whole class, in
 * order: the snapshot, every kind of change on a table of many column types, a table created mid-stream and
 * written by large transactions, ADD COLUMN during streaming, and a table without a primary key. After each step
 * the ClickHouse view {@code <table>_current} must equal the MariaDB table row by row ({@link CdcChecksum}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CdcPipelineIT {

    private static final Duration CONVERGE = Duration.ofSeconds(180);
    private static final String DB = "shop";

    private static LocalStack stack;
    private static MariaDbServer db;
    private static CdcPipeline pipeline;
    private static final Random random = new Random(20261121L);

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.start("cdc");
        db = stack.startMariaDb(1);
        pipeline = new CdcPipeline(stack, db, DB, "cdc");
        pipeline.createDatabase();
        pipeline.execute(TypesTable.ddl("types"));
        try (Connection c = db.connect(DB)) {
            TypesTable.insert(c, "types", 1, 300, random);
        }
        Map<String, String> source = pipeline.sourceConfig();
        // The documented fallback for a table without a primary key: name the columns that identify a row.
        source.put("message.key.columns", DB + ".audit_log:event_id");
        pipeline.deploy("cdc-source", source);
        pipeline.deploy("cdc-sink", pipeline.sinkConfig(2));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static CdcChecksum.Result awaitEqual(String table) throws InterruptedException {
        return Convergence.awaitEqual(stack, db, DB, table, CONVERGE, "cdc-source", "cdc-sink");
    }

    @Test
    @Order(1)
    void snapshotThenInsertsUpdatesDeletesAndKeyChangesConverge() throws Exception {
        CdcChecksum.Result snapshot = awaitEqual("types");
        assertThat(snapshot.sourceRows()).isEqualTo(300);

        try (Connection c = db.connect(DB); Statement st = c.createStatement()) {
            TypesTable.insert(c, "types", 1001, 200, random);
            for (int id = 1; id <= 300; id += 3) {
                TypesTable.update(c, "types", id, random);
            }
            st.executeUpdate("UPDATE types SET note = NULL, doc = NULL, payload = NULL WHERE id BETWEEN 1001 AND 1020");
            st.executeUpdate("DELETE FROM types WHERE id % 7 = 0");
            // Primary-key changes: each is a delete of the old key and an insert of the new one.
            st.executeUpdate("UPDATE types SET id = id + 1000000 WHERE id BETWEEN 200 AND 219");
            c.setAutoCommit(false);
            TypesTable.insert(c, "types", 5000, 1, random);
            TypesTable.update(c, "types", 5000, random);
            st.executeUpdate("UPDATE types SET id = 5001 WHERE id = 5000");
            st.executeUpdate("DELETE FROM types WHERE id = 1001");
            TypesTable.insert(c, "types", 1001, 1, random); // the deleted key comes back in the same transaction
            c.commit();
        }
        CdcChecksum.Result r = awaitEqual("types");
        assertThat(r.sourceRows()).isGreaterThan(400);
        assertThat(stack.clickHouse().scalar("SELECT count() FROM types_current WHERE id = 5000")).isZero();
        assertThat(stack.clickHouse().scalar("SELECT count() FROM types_current WHERE id = 1000200")).isEqualTo(1);
    }

    @Test
    @Order(2)
    void tableAddedMidStreamTakesLargeTransactions() throws Exception {
        pipeline.execute("CREATE TABLE bulk (id BIGINT NOT NULL PRIMARY KEY, account INT NOT NULL, "
                + "amount DECIMAL(12,2) NOT NULL, created DATETIME(3) NOT NULL, memo VARCHAR(64))");
        try (Connection c = db.connect(DB)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bulk VALUES (?, ?, ?, ?, ?)")) {
                for (int id = 1; id <= 20_000; id++) {
                    ps.setLong(1, id);
                    ps.setInt(2, random.nextInt(500));
                    ps.setBigDecimal(3, java.math.BigDecimal.valueOf(random.nextInt(10_000_000), 2));
                    ps.setObject(4, java.time.LocalDateTime.of(2026, 11, 21, 0, 0).plusNanos(id * 1_001_000_000L));
                    ps.setString(5, random.nextBoolean() ? null : "m" + id);
                    ps.addBatch();
                    if (id % 1000 == 0) {
                        ps.executeBatch();
                    }
                }
            }
            c.commit(); // one transaction of 20,000 rows
            try (Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE bulk SET amount = amount * 2, memo = CONCAT('x', id) WHERE id % 2 = 0");
                c.commit(); // 10,000 updates
                st.executeUpdate("DELETE FROM bulk WHERE id % 5 = 0");
                c.commit(); // 4,000 deletes
            }
        }
        assertThat(awaitEqual("bulk").sourceRows()).isEqualTo(16_000);
    }

    @Test
    @Order(3)
    void addColumnDuringStreamingReachesClickHouseWithItsValues() throws Exception {
        pipeline.execute("ALTER TABLE types ADD COLUMN loyalty_points INT UNSIGNED NULL, ADD COLUMN tier VARCHAR(20) NULL",
                "UPDATE types SET loyalty_points = id * 10, tier = IF(id % 2 = 0, 'gold', 'silver') WHERE id <= 100");
        try (Connection c = db.connect(DB); Statement st = c.createStatement()) {
            TypesTable.insert(c, "types", 7000, 50, random);
            st.executeUpdate("UPDATE types SET loyalty_points = 7, tier = 'new' WHERE id BETWEEN 7000 AND 7049");
        }
        awaitEqual("types");
        assertThat(stack.clickHouse().rows("DESCRIBE TABLE types_current")).extracting(r -> r[0])
                .contains("loyalty_points", "tier");
        assertThat(stack.clickHouse().scalar("SELECT sum(loyalty_points) FROM types_current WHERE id <= 100"))
                .isEqualTo(scalar("SELECT SUM(loyalty_points) FROM types WHERE id <= 100")).isPositive();
        assertThat(stack.clickHouse().scalar("SELECT count() FROM types_current WHERE tier = 'new'")).isEqualTo(50);
    }

    @Test
    @Order(4)
    void tableWithoutPrimaryKeyConvergesThroughMessageKeyColumns() throws Exception {
        pipeline.execute("CREATE TABLE audit_log (event_id BIGINT NOT NULL, actor VARCHAR(40) NOT NULL, "
                + "action VARCHAR(40), at DATETIME(6) NOT NULL)");
        pipeline.execute("INSERT INTO audit_log SELECT seq, CONCAT('user', seq % 13), 'login', "
                + "TIMESTAMP('2026-11-21 08:00:00') + INTERVAL seq SECOND FROM seq_1_to_2000",
                "UPDATE audit_log SET action = 'logout' WHERE event_id % 3 = 0",
                "DELETE FROM audit_log WHERE event_id % 10 = 0");
        assertThat(awaitEqual("audit_log").sourceRows()).isEqualTo(1800);
    }

    private static long scalar(String sql) throws Exception {
        try (Connection c = db.connect(DB); Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
