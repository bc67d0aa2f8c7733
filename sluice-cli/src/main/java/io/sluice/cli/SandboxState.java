package io.sluice.cli;

import io.sluice.local.LocalFiles;
import io.sluice.local.LocalStack;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * What a {@code sluice up} sandbox publishes about itself, in {@code <work>/sandbox.properties}: its process id,
 * whether it is starting, ready or failed, and every endpoint. The file holds no secret: the ClickHouse password
 * stays in its own 0600 file, named here. It is written atomically (0600, then renamed), so a reader sees the old
 * state or the new one.
 *
 * @param workDir            the sandbox's work directory (absolute)
 * @param pid                process id of the sandbox JVM
 * @param phase              {@code starting}, {@code ready} or {@code failed}
 * @param error              why it failed, or empty
 * @param kafka              Kafka bootstrap servers, {@code 127.0.0.1:port}
 * @param connectUrl         Kafka Connect REST URL
 * @param clickHouseUrl      ClickHouse HTTP URL
 * @param passwordFile       file holding the ClickHouse password under {@code clickhouse.password}
 * @param mariaDbPort        MariaDB port on 127.0.0.1, 0 when the sandbox runs without CDC
 * @param dynamoDbEndpoint   DynamoDB Local endpoint URL
 * @param consoleUrl         web console URL, or empty
 * @param connectMetricsUrl  Prometheus endpoint of the Connect worker (JMX exporter), or empty
 * @param aggregatorMetricsUrl Prometheus endpoint of the aggregator runner, or empty
 */
record SandboxState(Path workDir, long pid, String phase, String error, String kafka, String connectUrl,
                    String clickHouseUrl, Path passwordFile, int mariaDbPort, String dynamoDbEndpoint,
                    String consoleUrl, String connectMetricsUrl, String aggregatorMetricsUrl) {

    static final String FILE = "sandbox.properties";
    static final String STARTING = "starting";
    static final String READY = "ready";
    static final String FAILED = "failed";

    /** Returns the default sandbox directory, {@code <sluice.home>/.work/sandbox}. */
    static Path defaultDir() {
        return Path.of(System.getProperty("sluice.home", "."), ".work", "sandbox").toAbsolutePath().normalize();
    }

    /** Returns this state with another phase and error. */
    SandboxState withPhase(String newPhase, String newError) {
        return new SandboxState(workDir, pid, newPhase, newError, kafka, connectUrl, clickHouseUrl, passwordFile,
                mariaDbPort, dynamoDbEndpoint, consoleUrl, connectMetricsUrl, aggregatorMetricsUrl);
    }

    /**
     * Returns true while the sandbox's JVM runs: the process of that pid is alive and is {@code sluice up
     * --foreground}, so that a pid reused by another process after a crash is never taken for the sandbox (and
     * never stopped by {@code down}).
     */
    boolean alive() {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        // /proc/<pid>/cmdline itself: the JDK's ProcessHandle.Info.commandLine() is empty for command lines as long
        // as the sandbox's (its class path)
        try {
            String cmd = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
            return cmd.contains(SluiceCli.class.getName() + " up --foreground");
        } catch (IOException e) {
            return false; // exited meanwhile
        }
    }

    /** Returns a handle on the running stack for clients in this JVM (starts and stops nothing). */
    LocalStack attach() {
        return LocalStack.attach(workDir, kafka, clickHouseUrl, passwordFile, connectUrl);
    }

    /**
     * Writes the state file atomically.
     *
     * @throws UncheckedIOException if it cannot be written
     */
    void write() {
        Properties p = new Properties();
        p.setProperty("pid", String.valueOf(pid));
        p.setProperty("phase", phase);
        p.setProperty("error", error);
        p.setProperty("kafka.bootstrap.servers", kafka);
        p.setProperty("connect.url", connectUrl);
        p.setProperty("clickhouse.url", clickHouseUrl);
        p.setProperty("clickhouse.password.file", passwordFile.toString());
        p.setProperty("mariadb.port", String.valueOf(mariaDbPort));
        p.setProperty("dynamodb.endpoint", dynamoDbEndpoint);
        p.setProperty("console.url", consoleUrl);
        p.setProperty("connect.metrics.url", connectMetricsUrl);
        p.setProperty("aggregator.metrics.url", aggregatorMetricsUrl);
        StringWriter w = new StringWriter();
        try {
            p.store(w, "sluice up sandbox; no secrets here");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            LocalFiles.writeSecret(workDir.resolve(FILE), w.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + workDir.resolve(FILE), e);
        }
    }

    /**
     * Reads the state file of a work directory.
     *
     * @return the state, or empty if the directory has none
     * @throws UncheckedIOException if it exists but cannot be read
     */
    static Optional<SandboxState> read(Path workDir) {
        Path f = workDir.resolve(FILE);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
        return Optional.of(new SandboxState(workDir.toAbsolutePath(), Long.parseLong(p.getProperty("pid", "-1")),
                p.getProperty("phase", ""), p.getProperty("error", ""), p.getProperty("kafka.bootstrap.servers", ""),
                p.getProperty("connect.url", ""), p.getProperty("clickhouse.url", ""),
                Path.of(p.getProperty("clickhouse.password.file", "")),
                Integer.parseInt(p.getProperty("mariadb.port", "0")), p.getProperty("dynamodb.endpoint", ""),
                p.getProperty("console.url", ""), p.getProperty("connect.metrics.url", ""),
                p.getProperty("aggregator.metrics.url", "")));
    }

    /** Returns the state of a sandbox that is running and ready in {@code workDir}, if there is one. */
    static Optional<SandboxState> running(Path workDir) {
        return read(workDir).filter(s -> s.alive() && READY.equals(s.phase()));
    }
}
