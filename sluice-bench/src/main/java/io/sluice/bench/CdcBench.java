package io.sluice.bench;

import io.sluice.local.verify.CdcChecksum;
import io.sluice.local.verify.CdcLagProbe;
import io.sluice.local.pipeline.CdcPipeline;
import io.sluice.local.LocalFiles;
import io.sluice.local.LocalStack;
import io.sluice.local.server.MariaDbServer;
import io.sluice.local.StackOptions;
import io.sluice.local.pipeline.SysbenchWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * CDC benchmark: MariaDB under a steady, bounded sysbench {@code oltp_read_write} load, captured in the same run
 * by two Debezium MariaDB connectors reading the same binlog:
 * <ol>
 *   <li>the full pipeline: Debezium to topics {@code bench.bench.*}, the Sluice sink in {@code ingest.mode=debezium}
 *       to ClickHouse; a {@link CdcLagProbe} inserts a probe row every 100 ms and measures commit-to-visible;</li>
 *   <li>Debezium alone: the same preset to topics {@code plain.bench.*}, nothing reading them.</li>
 * </ol>
 * Rates are change events per second (Kafka records, tombstones included) over the measured window, after a
 * warm-up: events Debezium wrote (end offsets) and, for the pipeline, events the sink committed (its consumer
 * group's committed offsets, which it only commits once the rows are in ClickHouse). After the load stops, it
 * reports how long the sink needed to catch up, and checks every table row by row.
 *
 * <p>Arguments: {@code [seconds] [transactions/s] [threads]}, default 60, 100 and 2. Bounded: the load runs
 * {@code seconds}, the catch-up wait at most 5 minutes.
 */
public final class CdcBench {

    private static final String DB = "bench";
    private static final int WARMUP_SECONDS = 10;

    private CdcBench() {
    }

    /**
     * Runs the benchmark and prints the results as Markdown.
     *
     * @param args seconds, transactions per second, sysbench threads
     * @throws Exception on any failure; the stack is stopped
     */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path work = Files.createTempDirectory("sluice-cdc-bench");
        List<Path> zips = LocalFiles.zipsIn(Path.of(System.getProperty("sluice.plugin.zips")));
        try (LocalStack stack = new LocalStack(StackOptions.local(work, zips)).start()) {
            MariaDbServer db = stack.startMariaDb(1);
            CdcPipeline pipeline = new CdcPipeline(stack, db, DB, "bench");
            pipeline.createDatabase();
            SysbenchWorkload sysbench = new SysbenchWorkload(db, DB, 4, 10_000, work.resolve("sysbench.log"));
            sysbench.prepare();
            CdcLagProbe probe = new CdcLagProbe(db, DB, stack.clickHouse(), Duration.ofMillis(100));
            probe.createTable();

            pipeline.deploy("bench-source", pipeline.sourceConfig());
            pipeline.deploy("bench-sink", pipeline.sinkConfig(2));
            Map<String, String> plain = new HashMap<>(pipeline.sourceConfig());
            plain.put("topic.prefix", "plain");
            plain.put("database.server.id", String.valueOf(CdcPipeline.DEBEZIUM_SERVER_ID + 1));
            plain.put("schema.history.internal.kafka.topic", "plain.schema-history");
            pipeline.deploy("plain-source", plain);

            try (Admin admin = Admin.create(adminProps(stack.bootstrapServers()))) {
                // Snapshot done and tables created: every sbtest table is in ClickHouse.
                awaitTables(stack, sysbench.tableNames());
                sysbench.start(threads, rate, Duration.ofSeconds(seconds + WARMUP_SECONDS));
                probe.start();
                Thread.sleep(WARMUP_SECONDS * 1000L);
                int probesBefore = probe.lagsMillis().size();
                long t0 = System.nanoTime();
                long pipelineWritten0 = endOffsets(admin, "bench." + DB + ".");
                long pipelineApplied0 = committed(admin, "connect-bench-sink");
                long plainWritten0 = endOffsets(admin, "plain." + DB + ".");
                Thread.sleep(seconds * 1000L);
                double window = (System.nanoTime() - t0) / 1e9;
                long pipelineWritten = endOffsets(admin, "bench." + DB + ".") - pipelineWritten0;
                long pipelineApplied = committed(admin, "connect-bench-sink") - pipelineApplied0;
                long plainWritten = endOffsets(admin, "plain." + DB + ".") - plainWritten0;
                List<Long> lags = probe.lagsMillis().subList(probesBefore, probe.lagsMillis().size());
                long transactions = sysbench.awaitEnd(Duration.ofSeconds(60));
                probe.close();

                long stopped = System.nanoTime();
                long end = endOffsets(admin, "bench." + DB + ".");
                while (committed(admin, "connect-bench-sink") < end
                        && System.nanoTime() - stopped < Duration.ofMinutes(5).toNanos()) {
                    Thread.sleep(100);
                }
                double catchUp = (System.nanoTime() - stopped) / 1e9;

                // Debezium may still be reading the binlog when the sink has caught up with the topics: compare
                // until every table matches, for at most 2 minutes.
                boolean allMatch = true;
                StringBuilder checks = new StringBuilder();
                long checkDeadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                for (String t : sysbench.tableNames()) {
                    CdcChecksum.Result r = CdcChecksum.compare(db, DB, t, stack.clickHouse());
                    while (!r.matches() && System.nanoTime() < checkDeadline) {
                        Thread.sleep(500);
                        r = CdcChecksum.compare(db, DB, t, stack.clickHouse());
                    }
                    allMatch &= r.matches();
                    checks.append(String.format(Locale.ROOT, "%s %,d rows %s; ", t, r.sourceRows(),
                            r.matches() ? "match" : "DIFFER: " + r.describe()));
                }
                double converged = (System.nanoTime() - stopped) / 1e9;

                System.out.printf(Locale.ROOT, "%nCDC benchmark: sysbench oltp_read_write, %d threads, --rate=%d, "
                        + "%d s measured after %d s warm-up (%,d transactions in total)%n%n", threads, rate, seconds,
                        WARMUP_SECONDS, transactions);
                System.out.println("| path | change events/s | commit-to-visible p50 | p99 | max | probes |");
                System.out.println("|---|---:|---:|---:|---:|---:|");
                System.out.printf(Locale.ROOT, "| Debezium alone (MariaDB -> plain topics) | %,.0f | - | - | - | - |%n",
                        plainWritten / window);
                System.out.printf(Locale.ROOT, "| pipeline, Debezium side (MariaDB -> topics) | %,.0f | - | - | - | - |%n",
                        pipelineWritten / window);
                System.out.printf(Locale.ROOT, "| pipeline, applied in ClickHouse (sink commits) | %,.0f | %,d ms | %,d ms | %,d ms | %d |%n",
                        pipelineApplied / window, CdcLagProbe.percentile(lags, 50), CdcLagProbe.percentile(lags, 99), CdcLagProbe.percentile(lags, 100),
                        lags.size());
                System.out.printf(Locale.ROOT, "%nSink committed everything in the topics %.1f s after the load stopped; every table "
                        + "equal row by row after %.1f s: %s%n", catchUp, converged, checks);
                if (!allMatch) {
                    throw new IllegalStateException("MariaDB and ClickHouse differ after the benchmark");
                }
            } finally {
                sysbench.close();
                probe.close();
            }
        } finally {
            LocalFiles.deleteTree(work);
        }
    }

    private static Properties adminProps(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    private static void awaitTables(LocalStack stack, List<String> tables) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        for (String t : tables) {
            while (true) {
                try {
                    if (stack.clickHouse().scalar("SELECT count() FROM " + t + "_current") >= 10_000) {
                        break;
                    }
                } catch (IllegalStateException notYet) {
                    // the sink has not created the table yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("snapshot of " + t + " did not reach ClickHouse within 3 minutes");
                }
                Thread.sleep(250);
            }
        }
    }

    private static Set<TopicPartition> partitions(Admin admin, String prefix) throws Exception {
        Set<String> topics = admin.listTopics().names().get().stream().filter(n -> n.startsWith(prefix))
                .collect(Collectors.toSet());
        return admin.describeTopics(topics).allTopicNames().get().values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .collect(Collectors.toSet());
    }

    private static long endOffsets(Admin admin, String prefix) throws Exception {
        Map<TopicPartition, OffsetSpec> q = partitions(admin, prefix).stream()
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        return admin.listOffsets(q).all().get().values().stream().mapToLong(r -> r.offset()).sum();
    }

    private static long committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return m.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    }
}
