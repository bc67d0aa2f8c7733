package io.sluice.local.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP load balancer on 127.0.0.1 in front of several servers, the way ClickHouse Cloud's endpoint spreads clients
 * over its replicas: each new connection goes to the next backend in turn, and all its bytes (HTTP keep-alive
 * requests included) to that backend. A backend that refuses the connection is skipped for this connection, as a
 * health-checking balancer would; one taken out of rotation ({@link #drain}) gets no new connections until
 * {@link #restore}, while its open connections go on. Two threads per connection copy bytes; closing the proxy
 * closes every connection.
 */
public final class RoundRobinProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RoundRobinProxy.class);

    private final List<InetSocketAddress> backends;
    private final ServerSocket server;
    private final AtomicInteger next = new AtomicInteger();
    private final Set<Integer> drained = ConcurrentHashMap.newKeySet();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    /** The backend (index) of each open upstream connection, for {@link #disconnect}. */
    private final Map<Socket, Integer> upstreamBackend = new ConcurrentHashMap<>();
    private final AtomicInteger[] connections;
    private volatile boolean closed;

    /**
     * Starts listening.
     *
     * @param port     port on 127.0.0.1, or 0 for a free one
     * @param backends the servers, as {@code 127.0.0.1:port} addresses; at least one
     * @throws UncheckedIOException if the port cannot be bound
     */
    public RoundRobinProxy(int port, List<InetSocketAddress> backends) {
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("no backends");
        }
        this.backends = List.copyOf(backends);
        this.connections = new AtomicInteger[backends.size()];
        for (int i = 0; i < connections.length; i++) {
            connections[i] = new AtomicInteger();
        }
        try {
            server = new ServerSocket(port, 100, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        Thread t = new Thread(this::accept, "round-robin-proxy-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
        log.info("Round-robin proxy on 127.0.0.1:{} in front of {}", server.getLocalPort(), backends);
    }

    /** Returns the proxy's port. */
    public int port() {
        return server.getLocalPort();
    }

    /** Takes backend {@code i} (0-based, in constructor order) out of rotation for new connections. */
    public void drain(int i) {
        drained.add(i);
    }

    /** Puts backend {@code i} back into rotation. */
    public void restore(int i) {
        drained.remove(i);
    }

    /**
     * Closes every open connection to backend {@code i}, on both sides, as a balancer does when it fails a backend
     * over: the clients see a reset, and the backend a client that went away (a request it already received may go
     * on running there).
     */
    public void disconnect(int i) {
        upstreamBackend.forEach((upstream, backend) -> {
            if (backend == i) {
                closeQuietly(upstream);
            }
        });
    }

    /** Returns how many connections went to backend {@code i} so far. */
    public int connections(int i) {
        return connections[i].get();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread t = new Thread(() -> connect(client), "round-robin-proxy-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void connect(Socket client) {
        open.add(client);
        int n = backends.size();
        int first = Math.floorMod(next.getAndIncrement(), n);
        for (int k = 0; k < n; k++) {
            int i = (first + k) % n;
            if (drained.contains(i)) {
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(backends.get(i), 2_000);
            } catch (IOException e) {
                closeQuietly(upstream);
                continue; // down: try the next one
            }
            connections[i].incrementAndGet();
            open.add(upstream);
            upstreamBackend.put(upstream, i);
            Thread back = new Thread(() -> pipe(upstream, client), "round-robin-proxy-back");
            back.setDaemon(true);
            back.start();
            pipe(client, upstream);
            return;
        }
        closeQuietly(client);
        open.remove(client);
    }

    private void pipe(Socket from, Socket to) {
        byte[] buf = new byte[65536];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int r;
            while ((r = in.read(buf)) >= 0) {
                out.write(buf, 0, r);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed or reset: close both
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
            upstreamBackend.remove(from);
            upstreamBackend.remove(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** Stops listening and closes every open connection; idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }
}
