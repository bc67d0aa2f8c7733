package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.local.pipeline.CdcPipeline;
import io.sluice.local.connect.ConnectWorkerProcess;
import io.sluice.local.LocalStack;
import io.sluice.local.server.MariaDbServer;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Connect worker, running both the Debezium source task and the sink tasks, is killed with SIGKILL twice
 * while a write workload runs on MariaDB, and restarted. Debezium resumes from its last flushed offsets and
 * re-sends what came after (at least once); the sink re-writes those rows with the same {@code _version}, so the
 * final state must still equal MariaDB row by row.
 */
class CdcWorkerKillIT {

    private static final Logger log = LoggerFactory.getLogger(CdcWorkerKillIT.class);
    private static final String DB = "killdb";
    private static final int TRANSACTIONS = 4000;
    private static final int TRANSACTIONS_PER_SECOND = 200;

    private static LocalStack stack;
    private static MariaDbServer db;
    private static CdcPipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.start("cdc-kill", true);
        db = stack.startMariaDb(1);
        pipeline = new CdcPipeline(stack, db, DB, "ck");
        pipeline.createDatabase();
        pipeline.execute(TypesTable.ddl("types"), "CREATE TABLE accounts (id INT NOT NULL PRIMARY KEY, "
                + "balance DECIMAL(14,2) NOT NULL, revision INT NOT NULL, updated DATETIME(6) NOT NULL)");
        try (Connection c = db.connect(DB)) {
            TypesTable.insert(c, "types", 1, 200, new Random(1));
        }
        pipeline.deploy("ck-source", pipeline.sourceConfig());
        Map<String, String> sink = pipeline.sinkConfig(2);
        // A killed worker's sink consumers stay in their group until their session expires (45 s by default);
        // a shorter session hands their partitions to the restarted worker sooner. Correctness does not depend on it.
        sink.put("consumer.override.session.timeout.ms", "10000");
        sink.put("consumer.override.heartbeat.interval.ms", "2000");
        pipeline.deploy("ck-sink", sink);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void workerKilledTwiceDuringAWriteWorkloadStillConverges() throws Exception {
        Random random = new Random(Long.getLong("sluice.it.seed", 7L));
        AtomicInteger done = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // The workload holds at each kill point until the kill is made, so each kill falls inside the workload
        // however slowly the machine restarts the worker (a loaded machine finished the workload before kill #2).
        int[] killAt = new int[2];
        CountDownLatch[] killed = new CountDownLatch[killAt.length];
        for (int k = 0; k < killAt.length; k++) {
            killAt[k] = (k + 1) * TRANSACTIONS / 3 + random.nextInt(TRANSACTIONS / 10);
            killed[k] = new CountDownLatch(1);
        }
        Random workloadRandom = new Random(random.nextLong());
        Thread workload = new Thread(() -> {
            try {
                runWorkload(workloadRandom, done, killAt, killed);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "cdc-workload");
        workload.start();

        ConnectWorkerProcess worker = stack.connectWorkerProcess();
        for (int k = 0; k < killAt.length; k++) {
            int at = killAt[k];
            Waits.until(Duration.ofSeconds(120), () -> done.get() >= at || failure.get() != null,
                    () -> "workload at " + done.get());
            assertThat(failure.get()).as("workload error").isNull();
            worker.kill();
            killed[k].countDown();
            log.info("kill #{}: SIGKILL after {} of {} transactions", k + 1, done.get(), TRANSACTIONS);
            Thread.sleep(1000 + random.nextInt(2000));
            worker.start();
        }
        workload.join(TimeUnit.MINUTES.toMillis(3));
        assertThat(failure.get()).as("workload error").isNull();
        assertThat(done.get()).isEqualTo(TRANSACTIONS);

        for (String table : new String[] {"accounts", "types"}) {
            Convergence.awaitEqual(stack, db, DB, table, Duration.ofSeconds(240), "ck-source", "ck-sink");
        }
    }

    /**
     * Small OLTP transactions at a bounded rate: inserts, updates, deletes and key changes on both tables. Before
     * transaction {@code killAt[k]} it waits for {@code killed[k]}, then goes on at its rate while the worker is down.
     */
    private static void runWorkload(Random r, AtomicInteger done, int[] killAt, CountDownLatch[] killed)
            throws Exception {
        long start = System.nanoTime();
        int nextAccount = 1;
        int nextTypes = 10_000;
        try (Connection c = db.connect(DB); Statement st = c.createStatement();
             PreparedStatement insert = c.prepareStatement("INSERT INTO accounts VALUES (?, ?, 0, ?)");
             PreparedStatement update = c.prepareStatement(
                     "UPDATE accounts SET balance = balance + ?, revision = revision + 1, updated = ? WHERE id = ?")) {
            c.setAutoCommit(false);
            int nextKill = 0;
            for (int t = 0; t < TRANSACTIONS; t++) {
                if (nextKill < killAt.length && t == killAt[nextKill]) {
                    killed[nextKill++].await();
                    start = System.nanoTime() - (long) (t * 1e9 / TRANSACTIONS_PER_SECOND);
                }
                int statements = 1 + r.nextInt(4);
                for (int s = 0; s < statements; s++) {
                    int op = r.nextInt(10);
                    if (op < 4 || nextAccount < 20) {
                        insert.setInt(1, nextAccount++);
                        insert.setBigDecimal(2, BigDecimal.valueOf(r.nextInt(1_000_000), 2));
                        insert.setObject(3, LocalDateTime.now());
                        insert.executeUpdate();
                    } else if (op < 8) {
                        update.setBigDecimal(1, BigDecimal.valueOf(r.nextInt(20_000) - 10_000, 2));
                        update.setObject(2, LocalDateTime.now());
                        update.setInt(3, 1 + r.nextInt(nextAccount - 1));
                        update.executeUpdate();
                    } else if (op == 8) {
                        st.executeUpdate("DELETE FROM accounts WHERE id = " + (1 + r.nextInt(nextAccount - 1)));
                    } else if (r.nextBoolean()) {
                        TypesTable.insert(c, "types", nextTypes++, 1, r);
                    } else {
                        TypesTable.update(c, "types", 1 + r.nextInt(200), r);
                        st.executeUpdate("UPDATE types SET id = id + 100000 WHERE id = " + (1 + r.nextInt(200)));
                    }
                }
                c.commit();
                done.incrementAndGet();
                long due = start + (long) ((t + 1) * 1e9 / TRANSACTIONS_PER_SECOND);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        }
    }
}
