package io.sluice.bench;

import io.sluice.local.verify.CdcChecksum;
import io.sluice.local.verify.CdcLagProbe;
import io.sluice.local.verify.ClickHouseQuery;
import io.sluice.local.pipeline.CdcPipeline;
import io.sluice.local.LocalFiles;
import io.sluice.local.LocalStack;
import io.sluice.local.server.MariaDbServer;
import io.sluice.local.StackOptions;
import io.sluice.local.pipeline.SysbenchWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * CDC benchmark: MariaDB under steady, bounded sysbench {@code oltp_read_write} loads, one step per rate in
 * ascending order, captured in the same run by two Debezium MariaDB connectors reading the same binlog:
 * <ol>
 *   <li>the full pipeline: Debezium to topics {@code bench.bench.*}, the Sluice sink in {@code ingest.mode=debezium}
 *       to ClickHouse; a {@link CdcLagProbe} inserts a probe row every 100 ms and measures commit-to-visible;</li>
 *   <li>Debezium alone: the same preset to topics {@code plain.bench.*}, nothing reading them.</li>
 * </ol>
 * Per step, over the measured window after a warm-up: change events per second (Kafka records, tombstones
 * included) that Debezium wrote (end offsets) and that the sink applied (its consumer group's committed offsets,
 * which it only commits once the rows are in ClickHouse); commit-to-visible p50/p99/max, and its first half,
 * commit to readable in Kafka ({@link ProbeArrivals}); ClickHouse inserts per
 * second per table, from the growth of the table's highest part block number ({@code system.parts.max_block_number}:
 * a MergeTree numbers each insert's part, and merges keep the range), so it counts what the server received
 * whatever the client. A step is <em>sustained</em> when sysbench reached 95 % of the rate, the sink applied at
 * least 95 % of what Debezium wrote, and the lag did not grow (median lag of the window's last quarter at most
 * 500 ms above its first quarter's). The run stops at the first step not sustained; between steps it waits for the
 * sink to catch up (at most 60 s). At the end every table is checked row by row.
 *
 * <p>Arguments: {@code [seconds] [rates] [threads] [overrides]}: measured seconds per step (default 45), the
 * transactions/s of each step, comma-separated (default {@code 100,400}), sysbench threads (default 4), and
 * optional config overrides {@code source.KEY=VALUE,sink.KEY=VALUE,...} applied to the pipeline's Debezium
 * connector and sink (to measure other settings than the presets in the same way; Debezium alone keeps the
 * preset). Bounded: each step runs its warm-up plus {@code seconds}, catch-up waits at most 60 s per step.
 */
public final class CdcBench {

    private static final String DB = "bench";
    private static final int FIRST_WARMUP_SECONDS = 10;
    private static final int WARMUP_SECONDS = 5;
    private static final String SINK_GROUP = "connect-bench-sink";

    private CdcBench() {
    }

    /** One load step's figures. */
    private record Step(int rate, double achieved, double plain, double written, double applied, List<Long> lags,
                        List<Long> toKafka, Map<String, Double> insertsPerSecond, double eventsPerInsert,
                        double catchUpSeconds, boolean sustained) {
    }

    /**
     * Runs the benchmark and prints the results as Markdown.
     *
     * @param args seconds per step, rates, sysbench threads, overrides (see the class comment)
     * @throws IllegalArgumentException on a malformed override
     * @throws Exception                on any failure; the stack is stopped
     */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 45;
        int[] rates = Arrays.stream((args.length > 1 ? args[1] : "100,400").split(",")).mapToInt(Integer::parseInt)
                .sorted().toArray();
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Map<String, String> sourceOverrides = new HashMap<>();
        Map<String, String> sinkOverrides = new HashMap<>();
        if (args.length > 3 && !args[3].isBlank()) {
            for (String kv : args[3].split(",")) {
                int eq = kv.indexOf('=');
                if (eq < 0 || !(kv.startsWith("source.") || kv.startsWith("sink."))) {
                    throw new IllegalArgumentException("override '" + kv + "' is not source.KEY=VALUE or sink.KEY=VALUE");
                }
                String key = kv.substring(kv.indexOf('.') + 1, eq);
                (kv.startsWith("source.") ? sourceOverrides : sinkOverrides).put(key, kv.substring(eq + 1));
            }
        }
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

            Map<String, String> source = new HashMap<>(pipeline.sourceConfig());
            source.putAll(sourceOverrides);
            Map<String, String> sink = new HashMap<>(pipeline.sinkConfig(2));
            sink.putAll(sinkOverrides);
            pipeline.deploy("bench-source", source);
            pipeline.deploy("bench-sink", sink);
            Map<String, String> plain = new HashMap<>(pipeline.sourceConfig());
            plain.put("topic.prefix", "plain");
            plain.put("database.server.id", String.valueOf(CdcPipeline.DEBEZIUM_SERVER_ID + 1));
            plain.put("schema.history.internal.kafka.topic", "plain.schema-history");
            pipeline.deploy("plain-source", plain);

            List<Step> steps = new ArrayList<>();
            boolean allMatch = true;
            StringBuilder checks = new StringBuilder();
            double converged;
            ProbeArrivals arrivals = null;
            try (Admin admin = Admin.create(adminProps(stack.bootstrapServers()))) {
                // Snapshot done and tables created: every sbtest table is in ClickHouse.
                awaitTables(stack, sysbench.tableNames());
                probe.start();
                arrivals = new ProbeArrivals(stack.bootstrapServers(), pipeline.topicOf(CdcLagProbe.TABLE));
                for (int i = 0; i < rates.length; i++) {
                    Step s = step(admin, stack.clickHouse(), sysbench, probe, arrivals, rates[i], threads, seconds,
                            i == 0 ? FIRST_WARMUP_SECONDS : WARMUP_SECONDS);
                    steps.add(s);
                    System.out.printf(Locale.ROOT, "step %d tx/s: p50 %d ms, p99 %d ms, sustained %s%n", s.rate(),
                            CdcLagProbe.percentile(s.lags(), 50), CdcLagProbe.percentile(s.lags(), 99), s.sustained());
                    if (!s.sustained()) {
                        break;
                    }
                }
                probe.close();

                // Debezium may still be reading the binlog when the sink has caught up with the topics: compare
                // until every table matches, for at most 2 minutes.
                long stopped = System.nanoTime();
                long checkDeadline = stopped + Duration.ofMinutes(2).toNanos();
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
                converged = (System.nanoTime() - stopped) / 1e9;
            } finally {
                sysbench.close();
                probe.close();
                if (arrivals != null) {
                    arrivals.close();
                }
            }
            print(steps, seconds, threads, sourceOverrides, sinkOverrides);
            System.out.printf(Locale.ROOT, "%nEvery table equal row by row %.1f s after the last step: %s%n", converged,
                    checks);
            if (!allMatch) {
                throw new IllegalStateException("MariaDB and ClickHouse differ after the benchmark");
            }
        } finally {
            LocalFiles.deleteTree(work);
        }
    }

    private static Step step(Admin admin, ClickHouseQuery ch, SysbenchWorkload sysbench, CdcLagProbe probe,
            ProbeArrivals arrivals, int rate,
            int threads, int seconds, int warmup) throws Exception {
        sysbench.start(threads, rate, Duration.ofSeconds(seconds + warmup));
        Thread.sleep(warmup * 1000L);
        int probesBefore = probe.lagsMillis().size();
        Map<String, Long> blocks0 = blockNumbers(ch);
        long t0 = System.nanoTime();
        long written0 = endOffsets(admin, "bench." + DB + ".");
        long applied0 = committed(admin, SINK_GROUP);
        long plain0 = endOffsets(admin, "plain." + DB + ".");
        Thread.sleep(seconds * 1000L);
        long t1 = System.nanoTime();
        double window = (t1 - t0) / 1e9;
        long written = endOffsets(admin, "bench." + DB + ".") - written0;
        long applied = committed(admin, SINK_GROUP) - applied0;
        long plain = endOffsets(admin, "plain." + DB + ".") - plain0;
        Map<String, Long> blocks1 = blockNumbers(ch);
        List<Long> lags = probe.lagsMillis().subList(probesBefore, probe.lagsMillis().size());
        long transactions = sysbench.awaitEnd(Duration.ofSeconds(60));

        Map<String, Double> perSecond = new java.util.TreeMap<>();
        long inserts = 0;
        for (Map.Entry<String, Long> e : blocks1.entrySet()) {
            long n = e.getValue() - blocks0.getOrDefault(e.getKey(), 0L);
            inserts += n;
            perSecond.put(e.getKey(), n / window);
        }

        long stopped = System.nanoTime();
        long end = endOffsets(admin, "bench." + DB + ".");
        while (committed(admin, SINK_GROUP) < end && System.nanoTime() - stopped < Duration.ofSeconds(60).toNanos()) {
            Thread.sleep(100);
        }
        double catchUp = (System.nanoTime() - stopped) / 1e9;

        double achieved = transactions / (double) (seconds + warmup);
        int q = lags.size() / 4;
        boolean lagSteady = q > 0 && CdcLagProbe.percentile(lags.subList(lags.size() - q, lags.size()), 50)
                <= CdcLagProbe.percentile(lags.subList(0, q), 50) + 500;
        boolean sustained = achieved >= 0.95 * rate && applied >= 0.95 * written && lagSteady;
        return new Step(rate, achieved, plain / window, written / window, applied / window, lags,
                arrivals.lagsBetween(t0, t1), perSecond,
                inserts == 0 ? 0 : applied / (double) inserts, catchUp, sustained);
    }

    private static void print(List<Step> steps, int seconds, int threads, Map<String, String> sourceOverrides,
            Map<String, String> sinkOverrides) {
        System.out.printf(Locale.ROOT, "%nCDC benchmark: sysbench oltp_read_write, %d threads, %d s measured per step "
                + "after %d s warm-up (%d s for the first); overrides: source %s, sink %s%n%n", threads, seconds,
                WARMUP_SECONDS, FIRST_WARMUP_SECONDS, sourceOverrides, sinkOverrides);
        System.out.println("| tx/s (achieved) | Debezium alone, events/s | pipeline: Debezium, events/s | applied, "
                + "events/s | p50 | p99 | max | probes | commit to Kafka p50 | p99 | inserts/s per sbtest table | inserts/s probe table "
                + "| events per insert | caught up after | sustained |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (Step s : steps) {
            double sbtest = s.insertsPerSecond().entrySet().stream().filter(e -> e.getKey().startsWith("sbtest"))
                    .mapToDouble(Map.Entry::getValue).average().orElse(0);
            double probeTable = s.insertsPerSecond().getOrDefault(CdcLagProbe.TABLE, 0.0);
            System.out.printf(Locale.ROOT, "| %d (%.0f) | %,.0f | %,.0f | %,.0f | %,d ms | %,d ms | %,d ms | %d | %,d ms | %,d ms "
                    + "| %.2f | %.2f | %.0f | %.1f s | %s |%n", s.rate(), s.achieved(), s.plain(), s.written(), s.applied(),
                    CdcLagProbe.percentile(s.lags(), 50), CdcLagProbe.percentile(s.lags(), 99),
                    CdcLagProbe.percentile(s.lags(), 100), s.lags().size(), CdcLagProbe.percentile(s.toKafka(), 50),
                    CdcLagProbe.percentile(s.toKafka(), 99), sbtest, probeTable, s.eventsPerInsert(),
                    s.catchUpSeconds(), s.sustained() ? "yes" : "no");
        }
    }

    /** Returns, per table of the default database, the highest block number of its parts (inserts so far). */
    private static Map<String, Long> blockNumbers(ClickHouseQuery ch) {
        Map<String, Long> m = new HashMap<>();
        for (String[] row : ch.rows("SELECT table, max(max_block_number) FROM system.parts "
                + "WHERE database = currentDatabase() GROUP BY table")) {
            m.put(row[0], Long.parseLong(row[1]));
        }
        return m;
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
