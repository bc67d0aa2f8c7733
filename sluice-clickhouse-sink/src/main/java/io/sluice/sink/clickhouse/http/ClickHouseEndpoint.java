package io.sluice.sink.clickhouse.http;

import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** Where and how to reach a ClickHouse server's HTTP interface. Immutable; {@link #toString()} omits the password. */
public final class ClickHouseEndpoint {

    private final URI url;
    private final String user;
    private final String password;
    private final String database;
    private final SSLContext sslContext;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final BodyCompression compression;

    /**
     * @param url            base URL, {@code http://host:8123} or {@code https://host:8443}
     * @param user           user name
     * @param password       password, resolved at run time (never logged)
     * @param database       default database for unqualified names
     * @param sslContext     TLS context for https, or {@code null} for the JDK default trust store
     * @param connectTimeout TCP and TLS connect timeout
     * @param requestTimeout time limit for one request, including the insert body and the server's work
     * @param compression    how insert bodies are compressed
     */
    public ClickHouseEndpoint(URI url, String user, String password, String database, SSLContext sslContext,
                              Duration connectTimeout, Duration requestTimeout, BodyCompression compression) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.database = database;
        this.sslContext = sslContext;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.compression = compression;
    }

    /** Returns the base URL. */
    public URI url() {
        return url;
    }

    /** Returns the user. */
    public String user() {
        return user;
    }

    /** Returns the password. */
    public String password() {
        return password;
    }

    /** Returns the default database. */
    public String database() {
        return database;
    }

    /** Returns the TLS context, or {@code null} for the JDK default. */
    public SSLContext sslContext() {
        return sslContext;
    }

    /** Returns the connect timeout. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Returns the per-request timeout. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Returns how insert bodies are compressed. */
    public BodyCompression compression() {
        return compression;
    }

    @Override
    public String toString() {
        return "ClickHouseEndpoint[url=" + url + ", user=" + user + ", database=" + database + ", compression=" + compression.configName() + "]";
    }
}
