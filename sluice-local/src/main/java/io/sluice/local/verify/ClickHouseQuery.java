package io.sluice.local.verify;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Runs SQL against ClickHouse's HTTP interface for the stack's own work: creating tables, counting rows and
 * printing summaries. The sink connector has its own client, because the connector must stay isolated in its
 * plugin class loader and may not share classes with the worker's classpath. Results are TabSeparated.
 */
public final class ClickHouseQuery {

    private final String url;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param url      base URL, {@code http(s)://host:port}
     * @param user     user
     * @param password password (never logged)
     */
    public ClickHouseQuery(String url, String user, String password) {
        this.url = url.replaceAll("/+$", "");
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Runs a statement or query and returns the body without the trailing newline.
     *
     * @throws IllegalStateException with the server's message if the query fails or the server is unreachable
     */
    public String execute(String sql) {
        return execute(sql, Map.of());
    }

    /**
     * Runs a statement or query with query-level settings, passed as URL parameters (ClickHouse 18.16 has no
     * {@code INSERT ... SETTINGS}); an INSERT may carry its data after the query text.
     *
     * @param settings setting names and values, for example {@code date_time_input_format=best_effort}
     * @throws IllegalStateException with the server's message if the query fails or the server is unreachable
     */
    public String execute(String sql, Map<String, String> settings) {
        StringBuilder query = new StringBuilder("/?database=default");
        settings.forEach((k, v) -> query.append('&').append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + query))
                    .timeout(Duration.ofSeconds(120))
                    .header("Authorization", authorization)
                    .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() != 200) {
                throw new IllegalStateException("ClickHouse rejected '" + sql + "': " + r.body().trim());
            }
            String b = r.body();
            return b.endsWith("\n") ? b.substring(0, b.length() - 1) : b;
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach ClickHouse at " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Runs a query and returns its rows as tab-split fields (values must not contain tabs or newlines). */
    public List<String[]> rows(String sql) {
        String body = execute(sql + " FORMAT TabSeparated");
        List<String[]> rows = new ArrayList<>();
        if (!body.isEmpty()) {
            for (String line : body.split("\n", -1)) {
                rows.add(line.split("\t", -1));
            }
        }
        return rows;
    }

    /** Runs a query returning one number. */
    public long scalar(String sql) {
        return Long.parseLong(execute(sql).trim());
    }

}
