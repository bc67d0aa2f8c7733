package io.sluice.local.server;

import io.sluice.local.LocalFiles;
import io.sluice.local.ParentDeathWatch;
import io.sluice.local.Ports;
import io.sluice.local.ProcessLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ClickHouse server run as a child process ({@code clickhouse-server}, Debian's 18.16 package here) with a
 * generated config under its work directory: HTTP and native ports on 127.0.0.1 only, data, temporary files and
 * logs under the directory, and a {@code default} user with a random password (stored as its SHA-256 in
 * {@code users.xml}, and in plain text only in the 0600 properties file {@link #passwordFile()} and, for a replica, in
 * its 0600 {@code config.xml}'s {@code remote_servers}, both written atomically by {@link LocalFiles#writeSecret}).
 * Ready in about 0.1 s. A {@link ParentDeathWatch} stops the server if this JVM dies
 * without stopping it.
 *
 * <p>The config format is the {@code <yandex>} one that 18.16 requires; current releases still accept it.
 *
 * <p>As one replica of a {@link ClickHouseCluster} ({@link Replica}), the config also names the ZooKeeper server,
 * the macros {@code {shard}} and {@code {replica}} that ReplicatedMergeTree paths use, the cluster of all replicas
 * ({@code remote_servers}, one shard with internal replication) for {@code ON CLUSTER} DDL, and an interserver HTTP
 * port on 127.0.0.1 through which replicas fetch parts from each other.
 */
public final class ClickHouseServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClickHouseServer.class);

    /** Key of the password in {@link #passwordFile()}. */
    public static final String PASSWORD_KEY = "clickhouse.password";
    private static final String SECRETS_FILE = "secrets.properties";

    private final Path dir;
    private final int httpPort;
    private final int tcpPort;
    private final String password;
    private final Replica replica;
    private final int interserverPort;
    private Process process;
    private ParentDeathWatch watch;

    /**
     * Prepares the server's directory and config; nothing runs until {@link #start()}.
     *
     * @param dir      work directory for config, data and logs
     * @param httpPort HTTP port on 127.0.0.1, or 0 for a free one
     */
    public ClickHouseServer(Path dir, int httpPort) {
        this(dir, httpPort, 0, existingOrNewPassword(dir), null);
    }

    /**
     * Prepares one replica of a cluster; nothing runs until {@link #start()}.
     *
     * @param dir      work directory for config, data and logs
     * @param httpPort HTTP port on 127.0.0.1, or 0 for a free one
     * @param tcpPort  native port on 127.0.0.1 (the cluster config names it), or 0 for a free one
     * @param password the {@code default} user's password, the same on every replica
     * @param replica  the replica's place in the cluster, or {@code null} for a single server
     */
    ClickHouseServer(Path dir, int httpPort, int tcpPort, String password, Replica replica) {
        this.dir = dir;
        this.httpPort = httpPort == 0 ? Ports.free() : httpPort;
        this.tcpPort = tcpPort == 0 ? Ports.free() : tcpPort;
        this.password = password;
        this.replica = replica;
        this.interserverPort = replica == null ? 0 : Ports.free();
    }

    /**
     * One replica's place in a cluster of one shard.
     *
     * @param zooKeeper       ZooKeeper's {@code host:port}
     * @param cluster         the cluster's name in {@code remote_servers}, for {@code ON CLUSTER}
     * @param name            this replica's name, the {@code {replica}} macro
     * @param clusterTcpPorts the native ports on 127.0.0.1 of every replica, this one included
     */
    public record Replica(String zooKeeper, String cluster, String name, List<Integer> clusterTcpPorts) {
    }

    /** Returns a new random password, for {@link ClickHouseCluster} to share among its replicas. */
    static String newPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String existingOrNewPassword(Path dir) {
        Path f = dir.resolve(SECRETS_FILE);
        try {
            if (Files.exists(f)) {
                java.util.Properties p = new java.util.Properties();
                try (java.io.Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
                return p.getProperty(PASSWORD_KEY);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
        return newPassword();
    }

    /**
     * Writes the config and starts the server, waiting until {@code GET /ping} answers.
     *
     * @return this server
     * @throws ProcessLauncher.MissingBinaryException if clickhouse-server is not installed
     * @throws IllegalStateException                 if the server exits or does not answer within 30 s; the
     *                                               message includes the tail of its error log
     */
    public ClickHouseServer start() {
        String bin = ProcessLauncher.require("clickhouse-server", "sudo apt-get install -y clickhouse-server");
        try {
            writeConfig();
            ProcessBuilder pb = new ProcessBuilder(bin, "--config-file=" + dir.resolve("config.xml"))
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("logs/stdout.log").toFile()));
            process = pb.start();
            watch = ParentDeathWatch.start(process, Duration.ofSeconds(10));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start clickhouse-server in " + dir, e);
        }
        waitUntilReady(Duration.ofSeconds(30));
        log.info("ClickHouse server (pid {}) listening on {}", process.pid(), url());
        return this;
    }

    private void writeConfig() throws IOException {
        for (String d : new String[] {"data", "tmp", "user_files", "format_schemas", "logs"}) {
            Files.createDirectories(dir.resolve(d));
        }
        LocalFiles.writeSecret(passwordFile(), PASSWORD_KEY + "=" + password + "\n");
        String config = "<?xml version=\"1.0\"?>\n<yandex>\n"
                + "  <logger>\n    <level>information</level>\n"
                + "    <log>" + dir.resolve("logs/clickhouse-server.log") + "</log>\n"
                + "    <errorlog>" + dir.resolve("logs/clickhouse-server.err.log") + "</errorlog>\n"
                + "    <size>100M</size>\n    <count>2</count>\n  </logger>\n"
                + "  <listen_host>127.0.0.1</listen_host>\n"
                + "  <http_port>" + httpPort + "</http_port>\n"
                + "  <tcp_port>" + tcpPort + "</tcp_port>\n"
                + "  <path>" + dir.resolve("data") + "/</path>\n"
                + "  <tmp_path>" + dir.resolve("tmp") + "/</tmp_path>\n"
                + "  <user_files_path>" + dir.resolve("user_files") + "/</user_files_path>\n"
                + "  <format_schema_path>" + dir.resolve("format_schemas") + "/</format_schema_path>\n"
                + "  <users_config>" + dir.resolve("users.xml") + "</users_config>\n"
                + "  <default_profile>default</default_profile>\n"
                + "  <default_database>default</default_database>\n"
                + "  <max_concurrent_queries>64</max_concurrent_queries>\n"
                + "  <mark_cache_size>268435456</mark_cache_size>\n"
                + "  <uncompressed_cache_size>268435456</uncompressed_cache_size>\n"
                + "  <timezone>UTC</timezone>\n"
                + (replica == null ? "" : replicationConfig())
                // Kafka table engine (benchmarks): read a topic that already holds data from its start.
                + "  <kafka>\n    <auto_offset_reset>smallest</auto_offset_reset>\n  </kafka>\n"
                + "</yandex>\n";
        String users = "<?xml version=\"1.0\"?>\n<yandex>\n"
                + "  <profiles>\n    <default>\n      <max_memory_usage>4000000000</max_memory_usage>\n"
                + "      <load_balancing>random</load_balancing>\n    </default>\n  </profiles>\n"
                + "  <users>\n    <default>\n"
                + "      <password_sha256_hex>" + sha256Hex(password) + "</password_sha256_hex>\n"
                + "      <networks>\n        <ip>127.0.0.1</ip>\n        <ip>::1</ip>\n      </networks>\n"
                + "      <profile>default</profile>\n      <quota>default</quota>\n    </default>\n  </users>\n"
                + "  <quotas>\n    <default>\n      <interval>\n        <duration>3600</duration>\n"
                + "        <queries>0</queries>\n        <errors>0</errors>\n        <result_rows>0</result_rows>\n"
                + "        <read_rows>0</read_rows>\n        <execution_time>0</execution_time>\n"
                + "      </interval>\n    </default>\n  </quotas>\n</yandex>\n";
        LocalFiles.writeSecret(dir.resolve("config.xml"), config); // a replica's remote_servers holds the password
        Files.writeString(dir.resolve("users.xml"), users, StandardCharsets.UTF_8);
    }

    /** ZooKeeper, macros, the cluster of one shard, interserver HTTP and distributed DDL (ClickHouse docs, "Data Replication"). */
    private String replicationConfig() {
        String[] hostPort = replica.zooKeeper().split(":");
        StringBuilder replicas = new StringBuilder();
        for (int p : replica.clusterTcpPorts()) {
            // The user and password let replicas query each other (cluster(), clusterAllReplicas): the sink reads
            // every replica's system.processes this way.
            replicas.append("        <replica><host>127.0.0.1</host><port>").append(p).append("</port><user>default</user>")
                    .append("<password>").append(password).append("</password></replica>\n");
        }
        return "  <zookeeper>\n    <node><host>" + hostPort[0] + "</host><port>" + hostPort[1] + "</port></node>\n"
                + "    <session_timeout_ms>10000</session_timeout_ms>\n  </zookeeper>\n"
                + "  <macros>\n    <shard>01</shard>\n    <replica>" + replica.name() + "</replica>\n  </macros>\n"
                + "  <remote_servers>\n    <" + replica.cluster() + ">\n      <shard>\n"
                + "        <internal_replication>true</internal_replication>\n" + replicas
                + "      </shard>\n    </" + replica.cluster() + ">\n  </remote_servers>\n"
                + "  <interserver_http_host>127.0.0.1</interserver_http_host>\n"
                + "  <interserver_http_port>" + interserverPort + "</interserver_http_port>\n"
                + "  <distributed_ddl>\n    <path>/clickhouse/task_queue/ddl</path>\n  </distributed_ddl>\n";
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void waitUntilReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("clickhouse-server exited with code " + process.exitValue()
                        + "; see " + dir.resolve("logs") + ": " + tail(dir.resolve("logs/clickhouse-server.err.log")));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/ping"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for ClickHouse", e);
            }
            sleep(50);
        }
        close();
        throw new IllegalStateException("ClickHouse did not answer on " + url() + " within " + timeout.toSeconds()
                + " s; see " + dir.resolve("logs"));
    }

    private static String tail(Path f) {
        try {
            String s = Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(cannot read " + f + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns the server's process id (for CPU accounting from {@code /proc/<pid>/stat}). */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException("ClickHouse server not started");
        }
        return process.pid();
    }

    /** Returns the HTTP URL, {@code http://127.0.0.1:port}. */
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Returns the native (TCP) port. */
    public int tcpPort() {
        return tcpPort;
    }

    /** Returns the HTTP port. */
    public int httpPort() {
        return httpPort;
    }

    /** Returns the user name, {@code default}. */
    public String user() {
        return "default";
    }

    /** Returns the generated password. Callers must not log it. */
    public String password() {
        return password;
    }

    /**
     * Returns the 0600 properties file holding the password under {@link #PASSWORD_KEY}, for Kafka Connect's
     * FileConfigProvider: {@code ${file:<path>:clickhouse.password}}.
     */
    public Path passwordFile() {
        return dir.resolve(SECRETS_FILE);
    }

    /**
     * Kills the server with SIGKILL, as a crash or the OOM killer would: no shutdown, its ZooKeeper session left to
     * expire. Waits until the process is gone; idempotent. {@link #start()} may be called again on the same data.
     *
     * @throws IllegalStateException if interrupted while waiting for the process to end
     */
    public void kill() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
        if (process != null) {
            process.destroyForcibly(); // SIGKILL on Linux
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the killed ClickHouse server", e);
            }
            log.info("ClickHouse server killed (SIGKILL)");
            process = null;
        }
    }

    /**
     * Stops the server with SIGTERM (SIGKILL after 10 s); idempotent. {@link #start()} may be called again. If this
     * JVM dies without calling it (SIGKILL included), the server's {@link ParentDeathWatch} stops it the same way.
     */
    @Override
    public void close() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
        if (process != null) {
            ProcessLauncher.stop(process, 10_000);
            log.info("ClickHouse server stopped");
            process = null;
        }
    }
}
