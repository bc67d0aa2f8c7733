package io.sluice.it;

import io.sluice.local.LocalFiles;
import io.sluice.local.LocalStack;
import io.sluice.local.StackOptions;
import io.sluice.local.server.ClickHouseCluster;
import io.sluice.local.server.ClickHouseServer;
import io.sluice.local.verify.ClickHouseQuery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Starts a fresh {@link LocalStack} for one test class, with the plugin zips the build copied. */
final class Stack {

    private Stack() {
    }

    static LocalStack start(String name) {
        return start(name, false);
    }

    /** @param workerInChildProcess run the Connect worker in a child JVM that tests can kill and restart */
    static LocalStack start(String name, boolean workerInChildProcess) {
        LocalStack stack = prepare(name);
        return (workerInChildProcess ? stack.workerInChildProcess() : stack).start();
    }

    /** Returns a stack not yet started, for options such as {@link LocalStack#clickHouseReplicas(int)}. */
    static LocalStack prepare(String name) {
        String zips = System.getProperty("sluice.plugin.zips");
        String work = System.getProperty("sluice.it.workdir");
        if (zips == null || work == null) {
            throw new IllegalStateException("run through Maven (failsafe sets sluice.plugin.zips and sluice.it.workdir)");
        }
        try {
            List<Path> list = LocalFiles.zipsIn(Path.of(zips));
            Path dir = Path.of(work, name + "-" + System.nanoTime());
            return new LocalStack(StackOptions.local(dir, list));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a stack whose ClickHouse is a cluster of {@code replicas} behind the round-robin endpoint, with the
     * Connect worker in a child JVM that tests kill and restart: offsets are committed only every 10 minutes, so a
     * killed worker leaves its inserted rows uncommitted and the restarted task's resume check decides alone whether
     * they are written twice, and its consumer leaves the group 10 s after a kill (not Kafka's default 45 s).
     */
    static LocalStack replicated(String name, int replicas) {
        return prepare(name).workerInChildProcess().clickHouseReplicas(replicas)
                .workerOverrides(java.util.Map.of("offset.flush.interval.ms", "600000",
                        "consumer.session.timeout.ms", "10000")).start();
    }

    /**
     * Creates {@code <table> (id UInt64, <extra columns>, _kafka_topic, _kafka_partition, _kafka_offset)} ON CLUSTER
     * as a ReplicatedMergeTree sorted by the coordinates, through one replica.
     *
     * @param extraColumns column definitions after {@code id}, each followed by ", ", or empty
     * @param noDedupWindow whether to keep no window of block hashes ({@code replicated_deduplication_window = 0}),
     *                      so that a block identical to an earlier one is not dropped and duplicates show
     */
    static void createReplicatedTable(ClickHouseQuery replica, String table, String extraColumns,
            boolean noDedupWindow) throws InterruptedException {
        String ddl = "CREATE TABLE IF NOT EXISTS " + table + " ON CLUSTER " + ClickHouseCluster.CLUSTER
                + " (id UInt64, " + extraColumns + "_kafka_topic String, _kafka_partition UInt32, _kafka_offset UInt64) "
                + "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/default/" + table + "', '{replica}') "
                + "ORDER BY (_kafka_topic, _kafka_partition, _kafka_offset)"
                + (noDedupWindow ? " SETTINGS replicated_deduplication_window = 0" : "");
        // After a test restarted ZooKeeper, a replica's first use of its old session fails with "Session expired"
        // (KEEPER_EXCEPTION 999) and the next one opens a new session, as the sink's retry does for its inserts.
        Waits.until(Duration.ofSeconds(60), () -> {
            try {
                replica.execute(ddl);
                return true;
            } catch (IllegalStateException e) {
                if (!String.valueOf(e.getMessage()).contains("Coordination::Exception")) {
                    throw e;
                }
                return false;
            }
        }, () -> "CREATE TABLE " + table + " ON CLUSTER kept failing with a ZooKeeper error");
    }

    /** Returns a client for one replica of the stack's ClickHouse cluster, queried directly (not through the proxy). */
    static ClickHouseQuery query(ClickHouseServer replica) {
        return new ClickHouseQuery(replica.url(), replica.user(), replica.password());
    }
}
