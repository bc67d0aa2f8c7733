package io.sluice.cli;

import io.sluice.core.Durations;
import io.sluice.local.verify.ClickHouseQuery;
import io.sluice.local.LocalFiles;
import io.sluice.local.LocalStack;
import io.sluice.local.server.MariaDbServer;
import io.sluice.local.pipeline.SensorPipeline;
import io.sluice.local.StackOptions;
import io.sluice.producer.Datasets;
import io.sluice.producer.Pace;
import io.sluice.producer.ProduceResult;
import io.sluice.producer.ReadingProducer;
import io.sluice.producer.ReadingSource;
import io.sluice.producer.SensorSimulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sluice demo}: starts the local stack, creates the readings topic and ClickHouse table, deploys the sink
 * through the Connect REST API, replays the real demo dataset while simulating a sensor fleet, shows live
 * progress, waits until every produced reading is a row, prints a per-device summary from a real ClickHouse
 * query, checks the aggregator's per-device windows in DynamoDB Local against ClickHouse, runs change data capture
 * from MariaDB under a sysbench workload ({@link DemoCdc}) and compares every captured table on both sides, and
 * shuts everything down (also on Ctrl-C).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the pipeline on this machine: sensors -> Kafka -> Kafka Connect -> ClickHouse.")
public final class DemoCommand implements Callable<Integer> {

    static final String TOPIC = "readings";
    static final String TABLE = "readings";
    static final String CONNECTOR = "clickhouse-readings";
    static final int REPLAY_FIRST_DEVICE = 1000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--duration", defaultValue = "60s", paramLabel = "DURATION",
            description = "How long the simulator runs, e.g. 30s, 2m (default: ${DEFAULT-VALUE}).")
    private String duration;

    @Option(names = "--devices", defaultValue = "10", description = "Simulated devices (default: ${DEFAULT-VALUE}).")
    private int devices;

    @Option(names = "--rate", defaultValue = "10", paramLabel = "READINGS_PER_S",
            description = "Readings per second per simulated device (default: ${DEFAULT-VALUE}, one per 100 ms).")
    private double rate;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the readings topic (default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Option(names = "--tasks", defaultValue = "2", description = "Sink tasks (default: ${DEFAULT-VALUE}).")
    private int tasks;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Directory for data and logs (default: .work/demo under the repository). Emptied first, "
                    + "unless a sandbox (./sluice up) runs there (default: .work/sandbox): without external "
                    + "components the demo then runs on that sandbox and leaves it running.")
    private Path workDir;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Use this Kafka or MSK cluster instead of starting a local broker.")
    private String bootstrapServers;

    @Option(names = "--clickhouse-url", paramLabel = "URL",
            description = "Use this ClickHouse (e.g. https://host:8443) instead of starting a local server. "
                    + "The password is read from $" + StackOptions.DEFAULT_PASSWORD_ENV + ".")
    private String clickHouseUrl;

    @Option(names = "--clickhouse-replicas", defaultValue = "1", paramLabel = "N",
            description = "Run the local ClickHouse as N replicas (2..5) behind a round-robin proxy, with ZooKeeper, "
                    + "like a ClickHouse Cloud endpoint; the readings table is created ON CLUSTER as a "
                    + "ReplicatedMergeTree (default: ${DEFAULT-VALUE}, a single server).")
    private int clickHouseReplicas;

    @Option(names = "--clickhouse-user", defaultValue = "default", description = "User for --clickhouse-url (default: ${DEFAULT-VALUE}).")
    private String clickHouseUser;

    @Option(names = "--connect-url", paramLabel = "URL",
            description = "Use this Kafka Connect REST URL instead of starting a local worker (it needs the Sluice plugin).")
    private String connectUrl;

    @Option(names = "--replay", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also replay the real recorded dataset (about 11,700 readings) as fast as possible "
                    + "(default: ${DEFAULT-VALUE}).")
    private boolean replay;

    @Option(names = "--cdc", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also capture changes from a local MariaDB under a sysbench OLTP workload into ClickHouse "
                    + "(default: ${DEFAULT-VALUE}; needs the local Connect worker or one with the Debezium plugin).")
    private boolean cdc;

    @Override
    public Integer call() throws Exception {
        Duration simDuration = validate();
        PrintWriter out = spec.commandLine().getOut();
        boolean external = bootstrapServers != null || clickHouseUrl != null || connectUrl != null;
        java.util.Optional<SandboxState> sandbox = external ? java.util.Optional.empty()
                : SandboxState.running(workDir != null ? workDir.toAbsolutePath().normalize() : SandboxState.defaultDir());
        Path work;
        LocalStack stack;
        if (sandbox.isPresent() && clickHouseReplicas > 1) {
            throw new ParameterException(spec.commandLine(), "--clickhouse-replicas needs a stack of its own, but a "
                    + "sandbox is "
                    + "running (./sluice up); stop it with ./sluice down, or run the demo without the option");
        }
        if (sandbox.isPresent()) {
            work = sandbox.get().workDir();
            stack = sandbox.get().attach();
            out.printf("Sluice demo on the running sandbox in %s (./sluice up); it stays up afterwards%n", work);
        } else {
            work = prepareWorkDir();
            out.printf("Sluice demo: work directory %s, logs in %s%n", work, System.getProperty("sluice.logdir", work.toString()));
            stack = new LocalStack(new StackOptions(work, bootstrapServers, clickHouseUrl, clickHouseUser,
                    StackOptions.DEFAULT_PASSWORD_ENV, connectUrl, pluginZips())).clickHouseReplicas(clickHouseReplicas);
        }
        List<AutoCloseable> closeables = new ArrayList<>();
        ReadingProducer[] producer = new ReadingProducer[1];
        Thread hook = new Thread(() -> {
            out.println("\nInterrupted: stopping the producer" + (sandbox.isPresent() ? "..." : " and the stack..."));
            if (producer[0] != null) {
                producer[0].cancel();
            }
            stack.close();
        }, "sluice-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            long t0 = System.nanoTime();
            if (sandbox.isEmpty()) {
                out.println("Starting Kafka (KRaft), ClickHouse and Kafka Connect on 127.0.0.1...");
                stack.start();
            }
            out.printf("  Kafka %s | ClickHouse %s | Connect %s  (%.1f s)%n", stack.bootstrapServers(),
                    stack.clickHouseUrl(), stack.connect().baseUrl(), (System.nanoTime() - t0) / 1e9);

            SensorPipeline pipeline = new SensorPipeline(stack, TOPIC, TABLE);
            pipeline.createTopicAndTable(partitions);
            out.printf("Created topic '%s' (%d partitions) and table '%s':%n  %s%n", TOPIC, partitions, TABLE,
                    pipeline.createTableSql());
            pipeline.deploySink(CONNECTOR, pipeline.sinkConfig(tasks, TOPIC + "-dlq"));
            out.printf("Deployed sink connector '%s' (%d tasks, exactly-once, dead-letter topic %s-dlq)%n",
                    CONNECTOR, tasks, TOPIC);
            long rowsBefore = pipeline.rowCount();

            DemoCdc cdcDemo = null;
            if (cdc && clickHouseReplicas > 1) {
                out.println("Change data capture skipped: its ReplacingMergeTree tables are not created ON CLUSTER "
                        + "yet, so with --clickhouse-replicas they would exist on one replica only");
            } else if (cdc && sandbox.isPresent() && sandbox.get().mariaDbPort() == 0) {
                out.println("The sandbox runs without CDC (./sluice up --no-cdc): leaving change data capture out");
            } else if (cdc) {
                cdcDemo = new DemoCdc(stack);
                closeables.add(cdcDemo);
                if (sandbox.isPresent()) {
                    cdcDemo.startOnSandbox(new MariaDbServer(work.resolve("mariadb"), sandbox.get().mariaDbPort(), 1),
                            simDuration, out);
                } else {
                    cdcDemo.start(simDuration, out);
                }
            }

            DemoAggregator aggregator;
            if (sandbox.isPresent()) {
                aggregator = new DemoAggregator(java.net.URI.create(sandbox.get().dynamoDbEndpoint()));
                out.printf("The sandbox's aggregator runner writes 1-minute windows per device to DynamoDB Local (%s)%n",
                        aggregator.endpoint());
            } else {
                aggregator = new DemoAggregator(stack.bootstrapServers(), TOPIC);
                out.printf("Started DynamoDB Local (%s) and the aggregator runner (1-minute windows per device)%n",
                        aggregator.endpoint());
            }
            closeables.add(aggregator);

            List<ReadingSource> sources = new ArrayList<>(replay ? Datasets.openDemo(REPLAY_FIRST_DEVICE, Pace.FAST)
                    : List.of());
            sources.add(SensorSimulator.builder().devices(devices).ratePerDevice(rate).duration(simDuration).build());
            out.printf("Producing: %ssimulating %d devices at %s/s each for %s%n", replay
                    ? "replaying the real dataset (devices " + REPLAY_FIRST_DEVICE + "+) and " : "", devices, fmt(rate),
                    duration);

            Progress progress = new Progress(out, System.console() != null);
            if (cdcDemo != null) {
                progress.extra(cdcDemo::progress);
            }
            ProduceResult result;
            try (SinkLag lag = new SinkLag(stack.bootstrapServers(), CONNECTOR, TOPIC);
                 ReadingProducer p = new ReadingProducer(TOPIC, ReadingProducer.defaultConfig(stack.bootstrapServers()),
                         ReadingProducer.DEFAULT_CLOSE_TIMEOUT)) {
                producer[0] = p;
                result = p.run(sources, pp -> progress.update(seconds(t0), pp.acked(), lag.records(), pipeline.rowCount()),
                        Duration.ofSeconds(1));
                if (result.cancelled()) {
                    return 1;
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (pipeline.rowCount() < rowsBefore + result.records() && System.nanoTime() < deadline) {
                    progress.update(seconds(t0), result.records(), lag.records(), pipeline.rowCount());
                    Thread.sleep(1000);
                }
                progress.update(seconds(t0), result.records(), lag.records(), pipeline.rowCount());
                progress.done();
            }
            long rows = pipeline.rowCount() - rowsBefore;
            out.printf("Produced %,d readings in %.1f s (%,.0f readings/s); %,d new rows in ClickHouse%n",
                    result.records(), result.elapsedMillis() / 1000.0, result.recordsPerSecond(), rows);
            printSummary(out, stack.clickHouse());
            aggregator.await(rowsBefore + result.records(), Duration.ofSeconds(120));
            boolean windowsAgree = aggregator.compare(stack.clickHouse(), TABLE, out);
            if (!windowsAgree) {
                spec.commandLine().getErr().println("error: DynamoDB windows and ClickHouse disagree");
                return 1;
            }
            if (cdcDemo != null && !cdcDemo.finish(out)) {
                spec.commandLine().getErr().println("error: MariaDB and ClickHouse disagree on a captured table");
                return 1;
            }
            if (rows != result.records()) {
                spec.commandLine().getErr().printf("error: expected %,d rows, found %,d; see %s%n", result.records(),
                        rows, System.getProperty("sluice.logdir", work.toString()));
                return 1;
            }
            return 0;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running and closes the stack
            }
            out.println(sandbox.isPresent() ? "Done; the sandbox stays up (./sluice status, ./sluice down)"
                    : "Stopping the stack...");
            for (AutoCloseable c : closeables) {
                try {
                    c.close();
                } catch (Exception e) {
                    spec.commandLine().getErr().println("warning: stopping " + c + " failed: " + e.getMessage());
                }
            }
            stack.close();
        }
    }

    private void printSummary(PrintWriter out, ClickHouseQuery ch) {
        String sql = "SELECT device_id, count() AS readings, min(temperature) AS min_t, round(avg(temperature), 2) AS avg_t, "
                + "max(temperature) AS max_t, min(timestamp) AS first, max(timestamp) AS last FROM " + TABLE
                + " GROUP BY device_id ORDER BY device_id";
        out.println();
        out.println("Per-device summary from ClickHouse:");
        out.println("  " + sql);
        out.println(String.format(Locale.ROOT, "  %9s %9s %8s %8s %8s  %-19s  %-19s", "device_id", "readings", "min",
                "avg", "max", "first (UTC)", "last (UTC)"));
        for (String[] r : ch.rows(sql)) {
            out.println(String.format(Locale.ROOT, "  %9s %9s %8s %8s %8s  %-19s  %-19s", (Object[]) r));
        }
    }

    private Duration validate() {
        Duration d;
        try {
            d = Durations.parse(duration);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--duration: " + e.getMessage());
        }
        if (d.isZero()) {
            throw new ParameterException(spec.commandLine(), "--duration must be positive");
        }
        if (devices < 1 || devices > 100_000) {
            throw new ParameterException(spec.commandLine(), "--devices must be 1..100000, got " + devices);
        }
        if (!(rate > 0) || rate > 1000) {
            throw new ParameterException(spec.commandLine(), "--rate must be > 0 and <= 1000 readings/s per device");
        }
        if (clickHouseReplicas < 1 || clickHouseReplicas > 5) {
            throw new ParameterException(spec.commandLine(), "--clickhouse-replicas must be 1..5, got " + clickHouseReplicas);
        }
        if (clickHouseReplicas > 1 && clickHouseUrl != null) {
            throw new ParameterException(spec.commandLine(), "--clickhouse-replicas starts local replicas; it cannot "
                    + "be combined with --clickhouse-url");
        }
        if (partitions < 1 || tasks < 1) {
            throw new ParameterException(spec.commandLine(), "--partitions and --tasks must be >= 1");
        }
        return d;
    }

    private Path prepareWorkDir() throws IOException {
        Path dir = workDir != null ? workDir : Path.of(System.getProperty("sluice.home", "."), ".work", "demo");
        dir = dir.toAbsolutePath();
        if (Files.exists(dir.resolve(SandboxPorts.FILE))) {
            throw new ParameterException(spec.commandLine(), dir + " holds a sandbox that is not running: start it "
                    + "with ./sluice up --work-dir " + dir + ", or give the demo another --work-dir");
        }
        LocalFiles.deleteTree(dir);
        Files.createDirectories(dir);
        return dir;
    }

    private List<Path> pluginZips() throws IOException {
        String dir = System.getProperty("sluice.plugin.zips");
        if (dir == null) {
            throw new IllegalStateException("sluice.plugin.zips is not set; run through ./sluice");
        }
        return LocalFiles.zipsIn(Path.of(dir));
    }

    private static long seconds(long t0) {
        return (System.nanoTime() - t0) / 1_000_000_000L;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
