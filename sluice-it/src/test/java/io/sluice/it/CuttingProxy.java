package io.sluice.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of ClickHouse's HTTP port that breaks some INSERT requests the way a network cut does:
 * every third INSERT loses its connection, alternately in the middle of the request body (the server never gets
 * the whole batch) and right after the server answered (the batch landed, but the client never hears so). Other
 * requests pass unchanged. INSERTs are recognised by {@code query=INSERT} in the request line, where the sink's
 * client puts the statement (ClickHouse docs, "HTTP interface").
 */
final class CuttingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final AtomicInteger inserts = new AtomicInteger();
    private final AtomicInteger bodyCuts = new AtomicInteger();
    private final AtomicInteger responseCuts = new AtomicInteger();

    /** @param upstreamUrl ClickHouse's {@code http://host:port} */
    CuttingProxy(String upstreamUrl) throws IOException {
        java.net.URI u = java.net.URI.create(upstreamUrl);
        this.upstreamHost = u.getHost();
        this.upstreamPort = u.getPort();
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "cutting-proxy");
        t.setDaemon(true);
        t.start();
    }

    /** Returns the proxy's URL, {@code http://127.0.0.1:port}. */
    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Returns how many INSERTs were cut in the middle of the request body. */
    int bodyCuts() {
        return bodyCuts.get();
    }

    /** Returns how many INSERTs were cut after the server's answer. */
    int responseCuts() {
        return responseCuts.get();
    }

    /** Returns how many INSERT requests passed through the proxy, cut or not. */
    int inserts() {
        return inserts.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(upstreamHost, upstreamPort);
                Connection c = new Connection(client, upstream);
                start("proxy-up", c::pumpRequests);
                start("proxy-down", c::pumpResponses);
            } catch (IOException e) {
                // closed, or upstream down: the client sees its connection fail, as without the proxy
            }
        }
    }

    private static void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /** One client connection and its upstream connection; HTTP/1.1 keep-alive carries several requests. */
    private final class Connection {
        private final Socket client;
        private final Socket upstream;
        private volatile boolean cutResponse;

        Connection(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void pumpRequests() {
            byte[] buf = new byte[65536];
            try (InputStream in = client.getInputStream(); OutputStream out = upstream.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    String text = new String(buf, 0, Math.min(n, 2048), ISO_8859_1);
                    int head = text.indexOf("\r\n\r\n");
                    if (text.startsWith("POST ") && text.contains("query=INSERT") && head > 0) {
                        int insert = inserts.incrementAndGet();
                        if (insert % 3 == 0 && (insert / 3) % 2 == 1) {
                            out.write(buf, 0, Math.min(n, head + 4 + 100)); // the head and 100 bytes of body
                            out.flush();
                            bodyCuts.incrementAndGet();
                            closeBoth();
                            return;
                        }
                        if (insert % 3 == 0) {
                            cutResponse = true;
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side closed
            }
            closeBoth();
        }

        void pumpResponses() {
            byte[] buf = new byte[65536];
            try (InputStream in = upstream.getInputStream(); OutputStream out = client.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (cutResponse) {
                        responseCuts.incrementAndGet();
                        break; // the insert is done on the server; the client never learns it
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side closed
            }
            closeBoth();
        }

        private void closeBoth() {
            try {
                client.close();
            } catch (IOException e) {
                // already closed
            }
            try {
                upstream.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
