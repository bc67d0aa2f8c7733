package io.sluice.sink.clickhouse.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Talks to ClickHouse's HTTP interface (ClickHouse docs, "HTTP Interface") with the JDK's HttpClient.
 *
 * <p>Settings go in URL parameters ({@code database=}, and the SQL in {@code query=} for inserts) because 18.16
 * ignores the {@code X-ClickHouse-*} headers. Authentication is HTTP Basic, which every version accepts. Errors
 * become {@link ClickHouseException}s classified as retriable or not. Thread-safe.
 */
public final class ClickHouseClient {

    private static final Pattern CODE = Pattern.compile("Code: (\\d+)");

    private final ClickHouseEndpoint endpoint;
    private final HttpClient http;
    private final String authorization;

    /** @param endpoint server address, credentials and options */
    public ClickHouseClient(ClickHouseEndpoint endpoint) {
        this.endpoint = endpoint;
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(endpoint.connectTimeout());
        if (endpoint.sslContext() != null) {
            b.sslContext(endpoint.sslContext());
        }
        this.http = b.build();
        String userPass = endpoint.user() + ":" + (endpoint.password() == null ? "" : endpoint.password());
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    /** Returns the endpoint this client talks to. */
    public ClickHouseEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Runs a query or statement and returns the response body.
     *
     * @param sql SQL text; add {@code FORMAT TabSeparated} (the default) or another format as needed
     * @return the response body as UTF-8 text
     * @throws ClickHouseException if the server rejects the query or cannot be reached
     */
    public String query(String sql) throws ClickHouseException {
        return query(sql, List.of());
    }

    /**
     * Runs a query or statement with settings and returns the response body.
     *
     * @param sql      SQL text
     * @param settings URL parameters as {@code name=value} pairs (for example {@code select_sequential_consistency=1});
     *                 URL parameters work on every version, unlike a {@code SETTINGS} clause
     * @return the response body as UTF-8 text
     * @throws ClickHouseException if the server rejects the query or cannot be reached
     */
    public String query(String sql, List<String> settings) throws ClickHouseException {
        HttpRequest req = request(params(settings))
                .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8))
                .build();
        return send(req, "query '" + abbreviate(sql) + "'", false);
    }

    private static String params(List<String> settings) {
        StringBuilder params = new StringBuilder();
        for (String s : settings) {
            int eq = s.indexOf('=');
            params.append('&').append(URLEncoder.encode(s.substring(0, eq), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(s.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params.toString();
    }

    /**
     * Runs a query with settings and returns the response body as bytes, for binary formats such as
     * {@code FORMAT RowBinary}.
     *
     * @param sql      SQL text
     * @param settings URL parameters as {@code name=value} pairs, as for {@link #query(String, List)}
     * @throws ClickHouseException if the server rejects the query or cannot be reached
     */
    public byte[] queryBytes(String sql, List<String> settings) throws ClickHouseException {
        HttpRequest req = request(params(settings))
                .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8))
                .build();
        return send(req, "query '" + abbreviate(sql) + "'", false, HttpResponse.BodyHandlers.ofByteArray(),
                b -> new String(b, StandardCharsets.UTF_8));
    }

    /**
     * Runs a query and splits the TabSeparated result into rows of unescaped fields.
     *
     * @param sql a SELECT without a FORMAT clause
     * @return rows, each a list of field texts
     * @throws ClickHouseException if the server rejects the query or cannot be reached
     */
    public List<List<String>> queryRows(String sql) throws ClickHouseException {
        return TabSeparated.parse(query(sql + " FORMAT TabSeparated"));
    }

    /**
     * Returns the server version.
     *
     * @throws ClickHouseException if the server cannot be reached or answers with something else
     */
    public ServerVersion version() throws ClickHouseException {
        return ServerVersion.parse(query("SELECT version()"));
    }

    /**
     * Sends an INSERT with a RowBinary body.
     *
     * @param insertSql  {@code INSERT INTO db.t (c1, c2) FORMAT RowBinary}, plus {@code SETTINGS} where supported
     * @param body       the rows
     * @param length     number of valid bytes in {@code body}
     * @param settings   extra URL parameters as {@code name=value} pairs, already valid for the server; may be empty
     * @throws ClickHouseException if the insert fails; {@link ClickHouseException#ambiguous()} tells whether the
     *                             rows may nevertheless have been written
     */
    public void insert(String insertSql, byte[] body, int length, List<String> settings) throws ClickHouseException {
        StringBuilder params = new StringBuilder("&query=").append(URLEncoder.encode(insertSql, StandardCharsets.UTF_8))
                .append(params(settings));
        if (endpoint.compression() == BodyCompression.LZ4) {
            params.append("&decompress=1");
        }
        HttpRequest.Builder rb = request(params.toString());
        switch (endpoint.compression()) {
            case GZIP:
                rb.header("Content-Encoding", "gzip")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(body, length)));
                break;
            case LZ4:
                ClickHouseLz4.Framed framed = ClickHouseLz4.compress(body, length);
                rb.POST(HttpRequest.BodyPublishers.ofByteArray(framed.bytes(), 0, framed.length()));
                break;
            default:
                rb.POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, length));
        }
        send(rb.build(), "insert '" + abbreviate(insertSql) + "'", true);
    }

    private HttpRequest.Builder request(String extraParams) {
        URI uri = URI.create(endpoint.url().toString().replaceAll("/+$", "") + "/?database="
                + URLEncoder.encode(endpoint.database(), StandardCharsets.UTF_8) + extraParams);
        return HttpRequest.newBuilder(uri)
                .timeout(endpoint.requestTimeout())
                .header("Authorization", authorization);
    }

    private String send(HttpRequest req, String what, boolean bodyMatters) throws ClickHouseException {
        String body = send(req, what, bodyMatters, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), b -> b);
        return body.endsWith("\n") ? body.substring(0, body.length() - 1) : body;
    }

    private <T> T send(HttpRequest req, String what, boolean bodyMatters, HttpResponse.BodyHandler<T> handler,
            java.util.function.Function<T, String> asText) throws ClickHouseException {
        HttpResponse<T> resp;
        try {
            resp = http.send(req, handler);
        } catch (HttpTimeoutException e) {
            throw ClickHouseException.fromTransport(what, bodyMatters, e);
        } catch (IOException e) {
            // A reset after the request went out may follow a successful write on the server.
            throw ClickHouseException.fromTransport(what, bodyMatters, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ClickHouseException.fromTransport(what, bodyMatters, e);
        }
        String codeHeader = resp.headers().firstValue("X-ClickHouse-Exception-Code").orElse(null);
        if (resp.statusCode() != 200 || codeHeader != null) {
            String body = asText.apply(resp.body());
            int code = 0;
            if (codeHeader != null) {
                code = Integer.parseInt(codeHeader.trim());
            } else {
                Matcher m = CODE.matcher(body);
                if (m.find()) {
                    code = Integer.parseInt(m.group(1));
                }
            }
            throw ClickHouseException.fromServer(resp.statusCode(), code, abbreviate(body.trim()));
        }
        return resp.body();
    }

    private static byte[] gzip(byte[] body, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 65536) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            gz.write(body, 0, length);
        } catch (IOException e) {
            throw new IllegalStateException("gzip to memory failed", e);
        }
        return out.toByteArray();
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 297) + "...";
    }
}
