package io.sluice.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Locale;

/**
 * A TCP proxy on 127.0.0.1 that caps the bandwidth to one server, to measure compression as it pays on a network
 * link rather than on loopback. Each direction is a link of {@code megabitsPerSecond} shared by all connections:
 * bytes are paced in chunks of at most 16 KiB by a virtual clock (a chunk of n bytes occupies the link for
 * n * 8 / rate seconds). No added latency. Copying runs on two daemon threads per connection.
 */
final class ThrottlingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final int megabitsPerSecond;
    private final Pacer up;
    private final Pacer down;

    /**
     * Starts listening on an ephemeral port of 127.0.0.1.
     *
     * @param targetUrl         {@code http://host:port} of the server behind the link
     * @param megabitsPerSecond the cap, per direction
     */
    ThrottlingProxy(String targetUrl, int megabitsPerSecond) throws IOException {
        URI u = URI.create(targetUrl);
        this.target = new InetSocketAddress(u.getHost(), u.getPort());
        this.megabitsPerSecond = megabitsPerSecond;
        this.up = new Pacer(megabitsPerSecond * 1_000_000L / 8);
        this.down = new Pacer(megabitsPerSecond * 1_000_000L / 8);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "bench-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** Returns the proxy's URL, to use instead of the server's. */
    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Returns the cap as a label. */
    String describe() {
        return String.format(Locale.ROOT, "%d Mbit/s link", megabitsPerSecond);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                pump(client, upstream, up);
                pump(upstream, client, down);
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("proxy: " + e);
                }
            }
        }
    }

    private static void pump(Socket from, Socket to, Pacer pacer) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    pacer.await(n);
                    out.write(buf, 0, n);
                }
            } catch (IOException | InterruptedException e) {
                // the other side closed; close both
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "bench-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** A link of a fixed rate: each chunk waits until the link is free, then holds it for its transfer time. */
    private static final class Pacer {
        private final long bytesPerSecond;
        private long freeAt;

        Pacer(long bytesPerSecond) {
            this.bytesPerSecond = bytesPerSecond;
        }

        void await(int bytes) throws InterruptedException {
            long start;
            synchronized (this) {
                long now = System.nanoTime();
                start = Math.max(now, freeAt);
                freeAt = start + bytes * 1_000_000_000L / bytesPerSecond;
            }
            long end = start + bytes * 1_000_000_000L / bytesPerSecond;
            long wait = end - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
