package io.sluice.cli;

import io.sluice.aggregator.core.AggregatorSettings;
import io.sluice.aggregator.runner.AggregatorRunner;
import io.sluice.aggregator.runner.PrometheusEndpoint;
import io.sluice.aggregator.runner.RunnerConfig;
import io.sluice.local.verify.CdcLagProbe;
import io.sluice.local.pipeline.CdcPipeline;
import io.sluice.local.server.DynamoDbLocalServer;
import io.sluice.local.LocalFiles;
import io.sluice.local.LocalStack;
import io.sluice.local.server.MariaDbServer;
import io.sluice.local.pipeline.SensorPipeline;
import io.sluice.local.StackOptions;
import io.sluice.local.pipeline.SysbenchWorkload;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a {@code sluice up} sandbox, run in its own JVM: the local stack on fixed ports
 * ({@link SandboxPorts}), the sensor pipeline (topic {@code readings}, table {@code readings}, sink connector
 * {@code clickhouse-readings} with dead-letter topic {@code readings-dlq}), DynamoDB Local with the aggregator
 * runner on {@code readings}, and, unless CDC is off, MariaDB with sysbench's schema captured by Debezium into
 * ClickHouse and a commit-to-visible lag probe. Everything keeps its data under the work directory except
 * DynamoDB Local, which is in memory: each start runs the aggregator in a new consumer group, so it rebuilds the
 * windows from the topic. The aggregator's counters are served for Prometheus ({@link PrometheusEndpoint}); the
 * Connect worker's MBeans, the sink tasks' metrics among them, by the JMX exporter agent that {@code sluice up}
 * puts on this JVM. The web console ({@link ConsoleServer}) shows it all live. {@link #close()} stops everything in
 * reverse order.
 */
final class Sandbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sandbox.class);

    static final int READINGS_PARTITIONS = 4;
    static final int READINGS_TASKS = 2;

    private final Path work;
    private final boolean cdc;
    private final List<AutoCloseable> started = new ArrayList<>();
    private SandboxPorts ports;
    private LocalStack stack;
    private DynamoDbLocalServer ddb;
    private AggregatorRunner aggregator;
    private MariaDbServer mariaDb;
    private CdcLagProbe probe;
    private PrometheusEndpoint aggregatorMetrics;

    /**
     * @param work the sandbox's work directory
     * @param cdc  whether to run MariaDB and change data capture
     */
    Sandbox(Path work, boolean cdc) {
        this.work = work.toAbsolutePath().normalize();
        this.cdc = cdc;
    }

    /**
     * Starts every component and sets up the pipelines (idempotently: a sandbox started again on the same
     * directory finds its topics, tables and connectors and keeps them).
     *
     * @return the state to publish, phase {@code ready}
     * @throws IllegalStateException if a component fails (what started is stopped)
     */
    SandboxState start() throws IOException {
        try {
            ports = SandboxPorts.loadOrAllocate(work);
            stack = new LocalStack(StackOptions.local(work, LocalFiles.zipsIn(pluginZipDir())))
                    .ports(ports.kafka(), ports.clickHouse(), ports.connect());
            started.add(stack);
            if (cdc) {
                // before the worker, which resumes the stored Debezium connector at once: its task fails for good
                // when MariaDB is not there yet
                mariaDb = stack.startMariaDb("mariadb", 1, ports.mariaDb());
            }
            stack.start();
            SensorPipeline readings = new SensorPipeline(stack, DemoCommand.TOPIC, DemoCommand.TABLE);
            readings.createTopicAndTable(READINGS_PARTITIONS);
            readings.deploySink(DemoCommand.CONNECTOR, readings.sinkConfig(READINGS_TASKS, DemoCommand.TOPIC + "-dlq"));

            ddb = DynamoDbLocalServer.start(ports.dynamoDb());
            started.add(ddb);
            RunnerConfig cfg = RunnerConfig.defaults(stack.bootstrapServers(), DemoCommand.TOPIC,
                            "sluice-sandbox-aggregator-" + System.currentTimeMillis(), ddb.endpoint(), "us-east-1",
                            DemoAggregator.TABLE)
                    .withAggregation(new AggregatorSettings(Duration.ofMinutes(1), DemoAggregator.LATENESS,
                            Optional.empty()));
            aggregator = new AggregatorRunner(cfg);
            started.add(aggregator);
            aggregator.start();
            aggregatorMetrics = PrometheusEndpoint.start("127.0.0.1", ports.aggregatorMetrics(), aggregator);
            started.add(aggregatorMetrics);

            if (cdc) {
                startCdc();
            }
            SandboxState state = new SandboxState(work, ProcessHandle.current().pid(), SandboxState.READY, "",
                    stack.bootstrapServers(), stack.connect().baseUrl(), stack.clickHouseUrl(),
                    stack.clickHouseServer().passwordFile(), cdc ? mariaDb.port() : 0, ddb.endpoint().toString(),
                    "http://127.0.0.1:" + ports.console() + "/", connectMetricsUrl(),
                    "http://127.0.0.1:" + ports.aggregatorMetrics() + "/metrics");
            ConsoleSampler sampler = new ConsoleSampler(state, probe);
            started.add(sampler);
            sampler.start();
            started.add(ConsoleServer.start(ports.console(), sampler));
            return state;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startCdc() {
        CdcPipeline pipeline = new CdcPipeline(stack, mariaDb, DemoCdc.DATABASE, "mariadb");
        pipeline.createDatabase();
        SysbenchWorkload sysbench = DemoCdc.workload(mariaDb);
        if (!tableExists(sysbench.tableNames().get(0))) {
            sysbench.prepare();
        }
        probe = new CdcLagProbe(mariaDb, DemoCdc.DATABASE, stack.clickHouse(), Duration.ofMillis(500));
        probe.createTable();
        pipeline.deploy(DemoCdc.SOURCE, pipeline.sourceConfig());
        pipeline.deploy(DemoCdc.SINK, pipeline.sinkConfig(1));
        started.add(probe);
        probe.start();
    }

    private boolean tableExists(String table) {
        try (Connection c = mariaDb.connect(DemoCdc.DATABASE);
             ResultSet rs = c.getMetaData().getTables(DemoCdc.DATABASE, null, table, null)) {
            return rs.next();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read MariaDB's tables: " + e.getMessage(), e);
        }
    }

    /** The JMX exporter's URL when this JVM runs with the agent (added by {@code sluice up}), else empty. */
    private String connectMetricsUrl() {
        boolean agent = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-javaagent:") && a.contains("jmx_prometheus_javaagent"));
        return agent ? "http://127.0.0.1:" + ports.connectMetrics() + "/metrics" : "";
    }

    /** Returns the directory holding the Connect plugin zips (system property {@code sluice.plugin.zips}). */
    static Path pluginZipDir() {
        String dir = System.getProperty("sluice.plugin.zips");
        if (dir == null) {
            throw new IllegalStateException("sluice.plugin.zips is not set; run through ./sluice");
        }
        return Path.of(dir);
    }

    /** Returns the running stack. */
    LocalStack stack() {
        return stack;
    }

    /** Returns the aggregator runner. */
    AggregatorRunner aggregator() {
        return aggregator;
    }

    /** Returns the CDC lag probe, or {@code null} without CDC. */
    CdcLagProbe probe() {
        return probe;
    }

    /** Stops everything this sandbox started, in reverse order; never throws. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                log.warn("Stopping {} failed: {}", started.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        started.clear();
    }
}
