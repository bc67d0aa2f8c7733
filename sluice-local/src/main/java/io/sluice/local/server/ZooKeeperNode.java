package io.sluice.local.server;

import io.sluice.local.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.MultiOperationRecord;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.server.Request;
import org.apache.zookeeper.server.ServerCnxn;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone Apache ZooKeeper server (3.9) in this JVM, on 127.0.0.1, with its snapshots and transaction log under
 * a work directory: the coordination service that ClickHouse's ReplicatedMergeTree and {@code ON CLUSTER} DDL need.
 * It can be stopped and started again on the same port and data ({@link #close()}, {@link #start()}), as a restart
 * of the coordination service looks to its clients. Ready in well under a second.
 *
 * <p>For fault tests it can also cut one client off exactly as it commits ({@link #cutNextCommit}): the server
 * drops a transaction (a {@code multi} request) that touches a given path, unapplied, and closes that
 * client's connection, so the client cannot tell whether it was applied.
 */
public final class ZooKeeperNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ZooKeeperNode.class);
    /** ZooKeeper's basic time unit in milliseconds; sessions last 2 to 20 ticks. */
    private static final int TICK_MS = 500;

    private final Path dir;
    private final int port;
    private ZooKeeperServer server;
    private ServerCnxnFactory factory;
    /** The armed fault: the path prefix of the next transaction to drop, and the latch to open; or null. */
    private final AtomicReference<Cut> armed = new AtomicReference<>();

    private record Cut(String pathPrefix, CountDownLatch done) {
    }

    /**
     * Prepares the server; nothing runs until {@link #start()}.
     *
     * @param dir  directory for snapshots and the transaction log
     * @param port client port on 127.0.0.1, or 0 for a free one (kept across restarts)
     */
    public ZooKeeperNode(Path dir, int port) {
        this.dir = dir;
        this.port = port == 0 ? Ports.free() : port;
    }

    /**
     * Starts serving clients; also restarts a stopped server on the same port and data.
     *
     * @return this node
     * @throws UncheckedIOException  if the directory cannot be created or the port cannot be bound
     * @throws IllegalStateException if it is already running or interrupted while starting
     */
    public ZooKeeperNode start() {
        if (factory != null) {
            throw new IllegalStateException("ZooKeeper on port " + port + " is already running");
        }
        try {
            Files.createDirectories(dir);
            server = new ZooKeeperServer(dir.toFile(), dir.toFile(), TICK_MS) {
                @Override
                public void submitRequest(Request request) {
                    Cut cut = armed.get();
                    if (cut != null && request.type == ZooDefs.OpCode.multi && touches(request, cut.pathPrefix())
                            && armed.compareAndSet(cut, null)) {
                        log.warn("ZooKeeper drops a transaction under {} unapplied and closes its client's "
                                + "connection (fault injected)", cut.pathPrefix());
                        request.cnxn.close(ServerCnxn.DisconnectReason.CONNECTION_CLOSE_FORCED);
                        cut.done().countDown();
                        return;
                    }
                    super.submitRequest(request);
                }
            };
            factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", port), 200);
            factory.startup(server);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot start ZooKeeper on 127.0.0.1:" + port + " in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting ZooKeeper", e);
        }
        log.info("ZooKeeper listening on {}", connectString());
        return this;
    }

    /**
     * Arms a one-shot fault: the next transaction ({@code multi} request) with an operation on a path that starts with
     * {@code pathPrefix} is dropped, unapplied, and its client's connection closed.
     *
     * @param pathPrefix the path prefix, or null to disarm
     * @return a latch that opens once a transaction was dropped
     */
    public CountDownLatch cutNextCommit(String pathPrefix) {
        CountDownLatch done = new CountDownLatch(1);
        armed.set(pathPrefix == null ? null : new Cut(pathPrefix, done));
        return done;
    }

    private static boolean touches(Request request, String prefix) {
        MultiOperationRecord multi = request.readRequestRecordNoException(MultiOperationRecord::new);
        if (multi == null) {
            return false;
        }
        for (Op op : multi) {
            if (op.getPath().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Returns the client address, {@code 127.0.0.1:port}. */
    public String connectString() {
        return "127.0.0.1:" + port;
    }

    /** Returns the client port. */
    public int port() {
        return port;
    }

    /** Returns true while it serves clients. */
    public boolean isRunning() {
        return factory != null;
    }

    /** Stops serving and closes every client session's connection; idempotent. {@link #start()} may follow. */
    @Override
    public void close() {
        if (factory != null) {
            factory.shutdown();
            factory = null;
        }
        if (server != null) {
            server.shutdown();
            server = null;
            log.info("ZooKeeper on port {} stopped", port);
        }
    }
}
