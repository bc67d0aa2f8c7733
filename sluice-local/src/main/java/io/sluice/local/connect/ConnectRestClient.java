package io.sluice.local.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A client for the Kafka Connect REST API (Kafka docs, "Kafka Connect REST Interface"): create or update a
 * connector, read its status, delete it. Works against the local worker and any external one.
 */
public final class ConnectRestClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param baseUrl REST base URL, for example {@code http://127.0.0.1:8083} */
    public ConnectRestClient(String baseUrl) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    /** Returns the base URL. */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * Creates a connector or replaces its config ({@code PUT /connectors/{name}/config}).
     *
     * @param name   connector name
     * @param config connector config, including {@code connector.class}
     * @throws ConnectRestException if the worker rejects the config, with its message
     */
    public void putConnector(String name, Map<String, String> config) {
        try {
            send(HttpRequest.newBuilder(uri("/connectors/" + enc(name) + "/config"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config))), 200, 201);
        } catch (IOException e) {
            throw new ConnectRestException("cannot serialise connector config", e);
        }
    }

    /**
     * Validates a connector config with the plugin's own checks, as the worker does before creating it
     * ({@code PUT /connector-plugins/{class}/config/validate}); Debezium's checks include connecting to the
     * database with the configured user.
     *
     * @param name   connector name (validated too)
     * @param config connector config, including {@code connector.class}
     * @return {@code property -> error messages} for every property with errors; empty when valid
     * @throws ConnectRestException if the worker does not know the plugin or cannot be reached
     */
    public Map<String, java.util.List<String>> validate(String name, Map<String, String> config) {
        String cls = config.get("connector.class");
        Map<String, String> named = new java.util.LinkedHashMap<>(config);
        named.put("name", name);
        String body;
        try {
            body = send(HttpRequest.newBuilder(uri("/connector-plugins/" + enc(cls) + "/config/validate"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(named))), 200);
        } catch (IOException e) {
            throw new ConnectRestException("cannot serialise connector config", e);
        }
        Map<String, java.util.List<String>> errors = new java.util.TreeMap<>();
        try {
            for (JsonNode c : JSON.readTree(body).path("configs")) {
                JsonNode v = c.path("value");
                if (v.path("errors").size() > 0) {
                    java.util.List<String> list = new java.util.ArrayList<>();
                    v.path("errors").forEach(e -> list.add(e.asText()));
                    errors.put(v.path("name").asText(), list);
                }
            }
        } catch (IOException e) {
            throw new ConnectRestException("bad validation document: " + body, e);
        }
        return errors;
    }

    /**
     * Restarts a connector and all its tasks, failed ones included
     * ({@code POST /connectors/{name}/restart?includeTasks=true}).
     *
     * @throws ConnectRestException if the worker refuses
     */
    public void restart(String name) {
        send(HttpRequest.newBuilder(uri("/connectors/" + enc(name) + "/restart?includeTasks=true"))
                .POST(HttpRequest.BodyPublishers.noBody()), 200, 202, 204);
    }

    /**
     * Stops a connector and its tasks, keeping its config and offsets ({@code PUT /connectors/{name}/stop}, KIP-875;
     * a source task commits its offsets as it stops), and waits until the worker reports it STOPPED with no tasks.
     *
     * @throws ConnectRestException if the worker refuses or the connector is not STOPPED within the timeout
     */
    public void stopAndAwait(String name, Duration timeout) {
        send(HttpRequest.newBuilder(uri("/connectors/" + enc(name) + "/stop"))
                .PUT(HttpRequest.BodyPublishers.noBody()), 202, 204);
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = status(name);
            if (last != null && last.path("connector").path("state").asText().equals("STOPPED")
                    && last.path("tasks").isEmpty()) {
                return;
            }
            sleep(200);
        }
        throw new ConnectRestException("connector " + name + " not STOPPED after " + timeout.toSeconds()
                + " s; last status: " + last, null);
    }

    /**
     * Resumes a stopped or paused connector ({@code PUT /connectors/{name}/resume}); follow with
     * {@link #awaitRunning}.
     *
     * @throws ConnectRestException if the worker refuses
     */
    public void resume(String name) {
        send(HttpRequest.newBuilder(uri("/connectors/" + enc(name) + "/resume"))
                .PUT(HttpRequest.BodyPublishers.noBody()), 202, 204);
    }

    /**
     * Returns the names of the worker's connectors ({@code GET /connectors}), sorted.
     *
     * @throws ConnectRestException if the worker cannot be reached
     */
    public java.util.List<String> connectors() {
        String body = send(HttpRequest.newBuilder(uri("/connectors")).GET(), 200);
        try {
            java.util.List<String> names = new java.util.ArrayList<>();
            JSON.readTree(body).forEach(n -> names.add(n.asText()));
            java.util.Collections.sort(names);
            return names;
        } catch (IOException e) {
            throw new ConnectRestException("bad connector list: " + body, e);
        }
    }

    /**
     * Returns a connector's config ({@code GET /connectors/{name}/config}) as stored: config-provider references
     * stay unresolved. Empty if the connector does not exist.
     *
     * @throws ConnectRestException if the worker cannot be reached
     */
    public Map<String, String> config(String name) {
        String body = send(HttpRequest.newBuilder(uri("/connectors/" + enc(name) + "/config")).GET(), 200, 404);
        try {
            JsonNode n = JSON.readTree(body);
            Map<String, String> c = new java.util.TreeMap<>();
            if (n.has("connector.class")) {
                n.fields().forEachRemaining(e -> c.put(e.getKey(), e.getValue().asText()));
            }
            return c;
        } catch (IOException e) {
            throw new ConnectRestException("bad connector config: " + body, e);
        }
    }

    /**
     * Deletes a connector ({@code DELETE /connectors/{name}}); a missing connector is not an error.
     *
     * @throws ConnectRestException if the worker cannot be reached
     */
    public void deleteConnector(String name) {
        send(HttpRequest.newBuilder(uri("/connectors/" + enc(name))).DELETE(), 204, 404);
    }

    /**
     * Returns the connector's status document ({@code GET /connectors/{name}/status}), or {@code null} if the
     * connector does not exist.
     */
    public JsonNode status(String name) {
        String body = send(HttpRequest.newBuilder(uri("/connectors/" + enc(name) + "/status")).GET(), 200, 404);
        try {
            JsonNode n = JSON.readTree(body);
            return n.has("connector") ? n : null;
        } catch (IOException e) {
            throw new ConnectRestException("bad status document: " + body, e);
        }
    }

    /**
     * Waits until the connector and {@code tasks} tasks are RUNNING.
     *
     * @throws ConnectRestException if a task FAILED (with its trace) or the timeout passes
     */
    public void awaitRunning(String name, int tasks, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = status(name);
            if (last != null) {
                for (JsonNode t : last.path("tasks")) {
                    if (t.path("state").asText().equals("FAILED")) {
                        throw new ConnectRestException("task " + t.path("id").asText() + " of " + name + " failed: "
                                + t.path("trace").asText(), null);
                    }
                }
                long running = 0;
                for (JsonNode t : last.path("tasks")) {
                    if (t.path("state").asText().equals("RUNNING")) {
                        running++;
                    }
                }
                if (last.path("connector").path("state").asText().equals("RUNNING") && running >= tasks) {
                    return;
                }
            }
            sleep(200);
        }
        throw new ConnectRestException("connector " + name + " not RUNNING with " + tasks + " tasks after "
                + timeout.toSeconds() + " s; last status: " + last, null);
    }

    /**
     * Waits until {@code GET /} answers.
     *
     * @throws ConnectRestException if it does not within the timeout
     */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                send(HttpRequest.newBuilder(uri("/connectors")).GET(), 200);
                return;
            } catch (ConnectRestException e) {
                last = e;
            }
            sleep(100);
        }
        throw new ConnectRestException("Kafka Connect at " + baseUrl + " is not ready after " + timeout.toSeconds()
                + " s", last);
    }

    /**
     * Sends a request, retrying for up to 60 s while the worker answers 409: Connect returns it during a
     * rebalance or right after a config change, and the request succeeds once the group settles.
     */
    private String send(HttpRequest.Builder b, int... ok) {
        HttpRequest request = b.timeout(Duration.ofSeconds(60)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> r;
            try {
                r = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new ConnectRestException("cannot reach Kafka Connect at " + baseUrl + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectRestException("interrupted", e);
            }
            for (int code : ok) {
                if (r.statusCode() == code) {
                    return r.body();
                }
            }
            if (r.statusCode() != 409 || System.nanoTime() > deadline) {
                throw new ConnectRestException("Kafka Connect answered HTTP " + r.statusCode() + ": " + r.body(), null);
            }
            sleep(250);
        }
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectRestException("interrupted", e);
        }
    }

    /** A failed Connect REST call; the message carries the worker's answer. */
    public static final class ConnectRestException extends RuntimeException {
        /**
         * @param message what failed
         * @param cause   the underlying error, or {@code null}
         */
        public ConnectRestException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
