package io.sluice.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The sandbox's web console: a page ({@code console/index.html} with the vendored uPlot charting library, MIT,
 * {@code console/LICENSE-uPlot.txt}) and {@code /api/state}, the JSON that {@link ConsoleSampler} refreshes every
 * second, which the page polls. Served by the JDK's HTTP server on 127.0.0.1 only; the page loads nothing from the
 * network. Read-only: it changes nothing in the sandbox.
 */
final class ConsoleServer implements AutoCloseable {

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/console.js", "console.js",
            "/uPlot.iife.min.js", "uPlot.iife.min.js",
            "/uPlot.min.css", "uPlot.min.css",
            "/LICENSE-uPlot.txt", "LICENSE-uPlot.txt");

    private final HttpServer server;

    private ConsoleServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts the console on {@code 127.0.0.1:port}.
     *
     * @param port    TCP port
     * @param sampler where {@code /api/state} comes from
     * @throws IOException if the port cannot be bound
     */
    static ConsoleServer start(int port, ConsoleSampler sampler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/api/state")) {
                    send(exchange, 200, "application/json", sampler.json().getBytes(StandardCharsets.UTF_8));
                    return;
                }
                String file = FILES.get(path);
                if (file == null || !exchange.getRequestMethod().equals("GET")) {
                    send(exchange, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                try (InputStream in = ConsoleServer.class.getResourceAsStream("console/" + file)) {
                    send(exchange, 200, type(file), in.readAllBytes());
                }
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "sluice-console-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return new ConsoleServer(server);
    }

    private static String type(String file) {
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (file.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return file.endsWith(".css") ? "text/css; charset=utf-8" : "text/plain; charset=utf-8";
    }

    private static void send(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops the server at once. */
    @Override
    public void close() {
        server.stop(0);
    }
}
