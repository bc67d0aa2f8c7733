package io.sluice.local.server;

import io.sluice.local.Ports;
import io.sluice.local.ProcessLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A replicated ClickHouse on one machine, shaped like a ClickHouse Cloud service: a ZooKeeper server
 * ({@link ZooKeeperNode}, in this JVM), {@code n} ClickHouse replicas of one shard (child processes, each with its
 * own data directory and ports), and a {@link RoundRobinProxy} in front of their HTTP ports, so that each client
 * connection lands on some replica, as behind Cloud's endpoint. Everything binds to 127.0.0.1. The replicas share
 * the {@code default} user's password (kept, as for a single server, only as SHA-256 in each {@code users.xml} and
 * in the 0600 file {@link #passwordFile()}) and form the cluster {@link #CLUSTER} for {@code ON CLUSTER} DDL; a
 * table is replicated with {@code ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/<db>/<table>',
 * '{replica}')}. {@link #close()} stops the proxy, the replicas (by PID, SIGTERM) and ZooKeeper, in that order.
 */
public final class ClickHouseCluster implements AutoCloseable {

    /** The cluster's name in every replica's {@code remote_servers}. */
    public static final String CLUSTER = "sluice";

    private final ZooKeeperNode zooKeeper;
    private final List<ClickHouseServer> replicas = new ArrayList<>();
    private final RoundRobinProxy proxy;
    private final Path passwordFile;

    private ClickHouseCluster(ZooKeeperNode zooKeeper, List<ClickHouseServer> replicas, RoundRobinProxy proxy,
                              Path passwordFile) {
        this.zooKeeper = zooKeeper;
        this.replicas.addAll(replicas);
        this.proxy = proxy;
        this.passwordFile = passwordFile;
    }

    /**
     * Starts ZooKeeper, the replicas and the proxy under {@code dir} ({@code zookeeper/}, {@code replica-1/}, ...).
     *
     * @param dir      work directory
     * @param replicas number of replicas, at least 1
     * @return the running cluster
     * @throws ProcessLauncher.MissingBinaryException if clickhouse-server is not installed
     * @throws IllegalStateException                 if a component fails to start (what started is stopped)
     */
    public static ClickHouseCluster start(Path dir, int replicas) {
        if (replicas < 1) {
            throw new IllegalArgumentException("a cluster needs at least one replica, not " + replicas);
        }
        ZooKeeperNode zk = null;
        List<ClickHouseServer> servers = new ArrayList<>();
        try {
            zk = new ZooKeeperNode(dir.resolve("zookeeper"), 0).start();
            String password = existingPassword(dir.resolve("replica-1"));
            List<Integer> tcpPorts = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                tcpPorts.add(Ports.free());
            }
            List<InetSocketAddress> http = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                ClickHouseServer.Replica r = new ClickHouseServer.Replica(zk.connectString(), CLUSTER,
                        "replica-" + (i + 1), tcpPorts);
                ClickHouseServer s = new ClickHouseServer(dir.resolve("replica-" + (i + 1)), 0, tcpPorts.get(i),
                        password, r);
                servers.add(s);
                s.start();
                http.add(new InetSocketAddress("127.0.0.1", s.httpPort()));
            }
            RoundRobinProxy proxy = new RoundRobinProxy(0, http);
            return new ClickHouseCluster(zk, servers, proxy, servers.get(0).passwordFile());
        } catch (RuntimeException e) {
            for (int i = servers.size() - 1; i >= 0; i--) {
                servers.get(i).close();
            }
            if (zk != null) {
                zk.close();
            }
            throw e;
        }
    }

    private static String existingPassword(Path firstReplicaDir) {
        Path f = firstReplicaDir.resolve("secrets.properties");
        if (!Files.exists(f)) {
            return ClickHouseServer.newPassword();
        }
        java.util.Properties p = new java.util.Properties();
        try (java.io.Reader r = Files.newBufferedReader(f)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
        return p.getProperty(ClickHouseServer.PASSWORD_KEY);
    }

    /** Returns the endpoint's URL (the proxy), {@code http://127.0.0.1:port}. */
    public String url() {
        return "http://127.0.0.1:" + proxy.port();
    }

    /** Returns replica {@code i} (0-based), to query it directly, stop or restart it. */
    public ClickHouseServer replica(int i) {
        return replicas.get(i);
    }

    /** Returns the number of replicas. */
    public int size() {
        return replicas.size();
    }

    /** Returns the ZooKeeper server, to restart it. */
    public ZooKeeperNode zooKeeper() {
        return zooKeeper;
    }

    /** Returns the load balancer in front of the replicas. */
    public RoundRobinProxy proxy() {
        return proxy;
    }

    /** Returns the user, {@code default}. */
    public String user() {
        return "default";
    }

    /** Returns the shared password. Callers must not log it. */
    public String password() {
        return replicas.get(0).password();
    }

    /** Returns the 0600 properties file holding the password under {@link ClickHouseServer#PASSWORD_KEY}. */
    public Path passwordFile() {
        return passwordFile;
    }

    /** Stops the proxy, the replicas and ZooKeeper; idempotent. */
    @Override
    public void close() {
        proxy.close();
        for (int i = replicas.size() - 1; i >= 0; i--) {
            replicas.get(i).close();
        }
        zooKeeper.close();
    }
}
