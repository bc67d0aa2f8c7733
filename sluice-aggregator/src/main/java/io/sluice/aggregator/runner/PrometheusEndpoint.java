package io.sluice.aggregator.runner;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sluice.aggregator.core.Metrics;
import java.io.IOException;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The standalone runner's counters ({@link Metrics}) in the Prometheus text format, served on
 * {@code http://<host>:<port>/metrics} by the Prometheus Java client's HTTP server. Each counter is read from the
 * runner at scrape time, so a scrape shows exactly what {@link AggregatorRunner#metrics()} returns then.
 *
 * <p>Exposed counters (all {@code _total}, since the runner started): {@code sluice_aggregator_records},
 * {@code _invalid}, {@code _late}, {@code _applied}, {@code _duplicates}, {@code _writes}, {@code _conflicts},
 * {@code _reads}, {@code _throttled}, {@code _failed_items}, and {@code sluice_aggregator_committed_batches}; the
 * meaning of each is that of the {@link Metrics.Snapshot} field of the same name.
 */
public final class PrometheusEndpoint implements AutoCloseable {

    private final HTTPServer server;

    private PrometheusEndpoint(HTTPServer server) {
        this.server = server;
    }

    /**
     * Starts the endpoint for a runner.
     *
     * @param host   address to bind, normally {@code 127.0.0.1} (a scraper on another host needs the host's address)
     * @param port   TCP port, 0 for a free one
     * @param runner the runner whose counters to serve
     * @return the running endpoint; {@link #close()} it
     * @throws IOException if the port cannot be bound
     */
    public static PrometheusEndpoint start(String host, int port, AggregatorRunner runner) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        Supplier<Metrics.Snapshot> m = runner::metrics;
        counter(registry, "records", "Kafka records received", m, Metrics.Snapshot::records);
        counter(registry, "invalid", "Records skipped as invalid (malformed JSON, missing fields, out-of-range values)",
                m, Metrics.Snapshot::invalid);
        counter(registry, "late", "Valid readings skipped as later than the allowed lateness", m, Metrics.Snapshot::late);
        counter(registry, "applied", "Readings added to a window by a successful write", m, Metrics.Snapshot::applied);
        counter(registry, "duplicates", "Readings skipped because their window had already applied their offset",
                m, Metrics.Snapshot::duplicates);
        counter(registry, "writes", "Successful conditional window writes", m, Metrics.Snapshot::writes);
        counter(registry, "conflicts", "Window writes rejected by their condition, then re-merged", m,
                Metrics.Snapshot::conflicts);
        counter(registry, "reads", "Windows read before writing them (read-before-write, or after a failed condition)",
                m, Metrics.Snapshot::reads);
        counter(registry, "throttled", "Window writes retried after throttling or a transient error", m,
                Metrics.Snapshot::throttled);
        counter(registry, "failed_items", "Window writes given up after bounded retries", m,
                Metrics.Snapshot::failedItems);
        CounterWithCallback.builder().name("sluice_aggregator_committed_batches")
                .help("Poll batches whose offsets the runner committed to Kafka")
                .callback(cb -> cb.call(runner.committedBatches())).register(registry);
        HTTPServer server = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
        return new PrometheusEndpoint(server);
    }

    private static void counter(PrometheusRegistry registry, String name, String help, Supplier<Metrics.Snapshot> m,
                                ToLongFunction<Metrics.Snapshot> value) {
        CounterWithCallback.builder().name("sluice_aggregator_" + name).help(help)
                .callback(cb -> cb.call(value.applyAsLong(m.get()))).register(registry);
    }

    /** Returns the port the endpoint listens on. */
    public int port() {
        return server.getPort();
    }

    /** Stops the HTTP server. */
    @Override
    public void close() {
        server.close();
    }
}
