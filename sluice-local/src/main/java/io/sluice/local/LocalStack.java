package io.sluice.local;

import io.sluice.local.connect.ConnectRestClient;
import io.sluice.local.connect.ConnectWorker;
import io.sluice.local.connect.ConnectWorkerProcess;
import io.sluice.local.connect.PluginInstaller;
import io.sluice.local.server.ClickHouseCluster;
import io.sluice.local.server.ClickHouseServer;
import io.sluice.local.server.KafkaBroker;
import io.sluice.local.server.MariaDbServer;
import io.sluice.local.verify.ClickHouseQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline's infrastructure on one machine, on 127.0.0.1: a KRaft Kafka broker and a distributed-mode
 * Kafka Connect worker in this JVM, and a ClickHouse server as a child process, or, with
 * {@link #clickHouseReplicas(int)}, a replicated ClickHouse behind a round-robin endpoint ({@link ClickHouseCluster}:
 * ZooKeeper and several replicas). Components named external in
 * {@link StackOptions} are used instead of starting local ones. Integration tests and {@code sluice demo} both run
 * on this class. {@link #close()} stops what it started, in reverse order.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    private final StackOptions options;
    private final List<AutoCloseable> started = new ArrayList<>();
    private ClickHouseServer clickHouseServer;
    private String bootstrapServers;
    private String clickHouseUrl;
    private String clickHouseUser;
    private String clickHousePassword;
    private String clickHousePasswordRef;
    private ConnectRestClient connect;
    private boolean workerInChildProcess;
    private ConnectWorkerProcess workerProcess;
    private int clickHouseReplicas = 1;
    private ClickHouseCluster clickHouseCluster;
    private Map<String, String> workerOverrides = Map.of();
    private int kafkaPort;
    private int clickHousePort;
    private int connectPort;

    /** @param options what to run and what to borrow */
    public LocalStack(StackOptions options) {
        this.options = options;
    }

    /**
     * Runs the local Connect worker in a child JVM ({@link ConnectWorkerProcess}) instead of this one, so it can
     * be killed and restarted; call before {@link #start()}.
     *
     * @return this stack
     */
    public LocalStack workerInChildProcess() {
        this.workerInChildProcess = true;
        return this;
    }

    /**
     * Runs ClickHouse as a cluster of {@code replicas} replicas behind a round-robin proxy ({@link ClickHouseCluster})
     * when above 1; call before {@link #start()}. Ignored when ClickHouse is external.
     *
     * @param replicas 1 (a single server, the default) or more
     * @return this stack
     * @throws IllegalArgumentException if {@code replicas} is below 1
     */
    public LocalStack clickHouseReplicas(int replicas) {
        if (replicas < 1) {
            throw new IllegalArgumentException("--clickhouse-replicas must be at least 1, not " + replicas);
        }
        this.clickHouseReplicas = replicas;
        return this;
    }

    /**
     * Extra Connect worker properties, applied last (for example {@code offset.flush.interval.ms}); call before
     * {@link #start()}.
     *
     * @return this stack
     */
    public LocalStack workerOverrides(Map<String, String> overrides) {
        this.workerOverrides = Map.copyOf(overrides);
        return this;
    }

    /**
     * Fixes the ports of the local broker, ClickHouse (HTTP) and Connect worker (REST), so that a stack restarted on
     * the same work directory keeps its addresses: connector configs stored in Kafka name the ClickHouse URL. Call
     * before {@link #start()}; 0 picks a free port.
     *
     * @return this stack
     */
    public LocalStack ports(int kafka, int clickHouseHttp, int connectRest) {
        this.kafkaPort = kafka;
        this.clickHousePort = clickHouseHttp;
        this.connectPort = connectRest;
        return this;
    }

    /**
     * Returns a handle on a stack that another process started (the {@code sluice up} sandbox): nothing is started,
     * and {@link #close()} stops nothing.
     *
     * @param workDir          the stack's work directory
     * @param bootstrapServers its Kafka bootstrap servers
     * @param clickHouseUrl    its ClickHouse HTTP URL
     * @param passwordFile     the 0600 file holding the ClickHouse password under {@link ClickHouseServer#PASSWORD_KEY}
     * @param connectUrl       its Connect REST URL
     * @throws java.io.UncheckedIOException if the password file cannot be read
     */
    public static LocalStack attach(Path workDir, String bootstrapServers, String clickHouseUrl, Path passwordFile,
                                    String connectUrl) {
        LocalStack s = new LocalStack(StackOptions.local(workDir, List.of()));
        s.bootstrapServers = bootstrapServers;
        s.clickHouseUrl = clickHouseUrl;
        s.clickHouseUser = "default";
        java.util.Properties p = new java.util.Properties();
        try (java.io.Reader r = java.nio.file.Files.newBufferedReader(passwordFile)) {
            p.load(r);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + passwordFile, e);
        }
        s.clickHousePassword = p.getProperty(ClickHouseServer.PASSWORD_KEY);
        s.clickHousePasswordRef = "${file:" + passwordFile + ":" + ClickHouseServer.PASSWORD_KEY + "}";
        s.connect = new ConnectRestClient(connectUrl);
        return s;
    }

    /**
     * Starts the local components.
     *
     * @return this stack
     * @throws ProcessLauncher.MissingBinaryException if clickhouse-server is needed and missing
     * @throws IllegalStateException                 if a component fails to start (what started is stopped)
     */
    public LocalStack start() {
        try {
            Path work = options.workDir().toAbsolutePath();
            if (options.externalBootstrapServers() == null) {
                KafkaBroker broker = track(new KafkaBroker(work.resolve("kafka"), kafkaPort).start());
                bootstrapServers = broker.bootstrapServers();
            } else {
                bootstrapServers = options.externalBootstrapServers();
            }
            if (options.externalClickHouseUrl() == null && clickHouseReplicas > 1) {
                clickHouseCluster = track(ClickHouseCluster.start(work.resolve("clickhouse-cluster"), clickHouseReplicas));
                clickHouseUrl = clickHouseCluster.url();
                clickHouseUser = clickHouseCluster.user();
                clickHousePassword = clickHouseCluster.password();
                clickHousePasswordRef = "${file:" + clickHouseCluster.passwordFile() + ":" + ClickHouseServer.PASSWORD_KEY + "}";
            } else if (options.externalClickHouseUrl() == null) {
                clickHouseServer = track(new ClickHouseServer(work.resolve("clickhouse"), clickHousePort).start());
                clickHouseUrl = clickHouseServer.url();
                clickHouseUser = clickHouseServer.user();
                clickHousePassword = clickHouseServer.password();
                clickHousePasswordRef = "${file:" + clickHouseServer.passwordFile() + ":" + ClickHouseServer.PASSWORD_KEY + "}";
            } else {
                clickHouseUrl = options.externalClickHouseUrl();
                clickHouseUser = options.clickHouseUser();
                String env = options.clickHousePasswordEnv();
                clickHousePassword = System.getenv(env) == null ? "" : System.getenv(env);
                clickHousePasswordRef = "${env:" + env + "}";
            }
            if (options.externalConnectUrl() == null) {
                Path plugins = work.resolve("connect/plugins");
                PluginInstaller.install(plugins, options.pluginZips());
                if (workerInChildProcess) {
                    workerProcess = track(new ConnectWorkerProcess(bootstrapServers, plugins, work, work.resolve("connect"),
                            connectPort, workerOverrides).start());
                    connect = new ConnectRestClient(workerProcess.restUrl());
                } else {
                    ConnectWorker worker = track(new ConnectWorker(bootstrapServers, plugins, work, connectPort,
                            workerOverrides).start());
                    connect = new ConnectRestClient(worker.restUrl());
                }
            } else {
                connect = new ConnectRestClient(options.externalConnectUrl());
                connect.awaitReady(java.time.Duration.ofSeconds(10));
            }
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        started.add(c);
        return c;
    }

    /**
     * Starts a MariaDB server under {@code <workDir>/mariadb} (the CDC source) and stops it with the stack. Only
     * stacks that capture changes need it, so {@link #start()} does not start it.
     *
     * @param serverId the server's {@code server_id}
     * @return the running server
     * @throws ProcessLauncher.MissingBinaryException if mariadb-server is not installed
     * @throws IllegalStateException                 if it fails to start
     */
    public MariaDbServer startMariaDb(int serverId) {
        return startMariaDb("mariadb", serverId, 0);
    }

    /**
     * Starts a MariaDB server under {@code <workDir>/<name>} and stops it with the stack: the CDC source on a fixed
     * port (the sandbox keeps its addresses across restarts), or another server (a replica, for failover tests).
     * Its secrets file is below the work directory, so the Connect worker's {@code file} provider reads it.
     *
     * @param name     directory name below the work directory
     * @param serverId the server's {@code server_id}
     * @param port     TCP port on 127.0.0.1, or 0 for a free one
     * @return the running server
     * @throws ProcessLauncher.MissingBinaryException if mariadb-server is not installed
     * @throws IllegalStateException                 if it fails to start
     */
    public MariaDbServer startMariaDb(String name, int serverId, int port) {
        return track(new MariaDbServer(options.workDir().toAbsolutePath().resolve(name), port, serverId).start());
    }

    /** Returns the Kafka bootstrap servers. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Returns the ClickHouse HTTP(S) URL. */
    public String clickHouseUrl() {
        return clickHouseUrl;
    }

    /** Returns the ClickHouse user. */
    public String clickHouseUser() {
        return clickHouseUser;
    }

    /**
     * Returns the config-provider reference that resolves to the ClickHouse password inside the Connect worker,
     * for connector configs: {@code ${file:...}} for the local server, {@code ${env:...}} for an external one.
     */
    public String clickHousePasswordRef() {
        return clickHousePasswordRef;
    }

    /** Returns a query client for ClickHouse, authenticated. */
    public ClickHouseQuery clickHouse() {
        return new ClickHouseQuery(clickHouseUrl, clickHouseUser, clickHousePassword);
    }

    /** Returns the local replicated ClickHouse, or {@code null} unless {@link #clickHouseReplicas(int)} chose one. */
    public ClickHouseCluster clickHouseCluster() {
        return clickHouseCluster;
    }

    /**
     * Returns the cluster name for the sink's {@code clickhouse.cluster} ({@code ON CLUSTER} DDL), or {@code null}
     * unless ClickHouse is a local cluster.
     */
    public String clickHouseClusterName() {
        return clickHouseCluster == null ? null : ClickHouseCluster.CLUSTER;
    }

    /** Returns the local single ClickHouse server, or {@code null} when it is external or a cluster. */
    public ClickHouseServer clickHouseServer() {
        return clickHouseServer;
    }

    /**
     * Returns the Connect worker's child JVM, to kill or restart it, or {@code null} unless
     * {@link #workerInChildProcess()} was chosen and the worker is local.
     */
    public ConnectWorkerProcess connectWorkerProcess() {
        return workerProcess;
    }

    /** Returns the Connect REST client. */
    public ConnectRestClient connect() {
        return connect;
    }

    /** Stops every component this stack started, in reverse order; never throws. */
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
