package io.sluice.cli;

import io.sluice.aggregator.core.AggregatorSettings;
import io.sluice.aggregator.dynamo.DynamoClients;
import io.sluice.aggregator.dynamo.WindowReader;
import io.sluice.aggregator.dynamo.WindowRow;
import io.sluice.aggregator.runner.AggregatorRunner;
import io.sluice.aggregator.runner.RunnerConfig;
import io.sluice.local.verify.ClickHouseQuery;
import io.sluice.local.server.DynamoDbLocalServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The demo's second consumer: DynamoDB Local in this JVM (127.0.0.1) and the standalone aggregator runner on the
 * readings topic, folding readings into 1-minute event-time windows per device. At the end it reads the windows
 * back and checks them against the same aggregation computed by ClickHouse over the rows the sink wrote.
 *
 * <p>The demo mixes a replay of 2010-2015 data with live 2026 readings on the same partitions, so the allowed
 * lateness is set to cover the whole replay: every reading counts, as in ClickHouse.
 */
final class DemoAggregator implements AutoCloseable {

    static final String TABLE = "sluice_device_windows";
    static final Duration LATENESS = Duration.ofDays(366L * 30);

    private final DynamoDbLocalServer ddb;
    private final DynamoDbClient client;
    private final AggregatorRunner runner;
    private final String endpoint;

    DemoAggregator(String bootstrapServers, String topic) throws IOException {
        ddb = DynamoDbLocalServer.start(0);
        client = DynamoClients.create(ddb.endpoint(), "us-east-1");
        endpoint = ddb.endpoint().toString();
        RunnerConfig cfg = RunnerConfig.defaults(bootstrapServers, topic, "sluice-demo-aggregator", ddb.endpoint(),
                        "us-east-1", TABLE)
                .withAggregation(new AggregatorSettings(Duration.ofMinutes(1), LATENESS, Optional.empty()));
        runner = new AggregatorRunner(cfg);
        runner.start();
    }

    /** Reads the windows of a sandbox's aggregator ({@link Sandbox}), which runs in the sandbox's JVM. */
    DemoAggregator(java.net.URI dynamoEndpoint) {
        ddb = null;
        runner = null;
        endpoint = dynamoEndpoint.toString();
        client = io.sluice.aggregator.dynamo.DynamoClients.create(dynamoEndpoint, "us-east-1");
    }

    String endpoint() {
        return endpoint;
    }

    /**
     * Readings aggregated so far: the runner's count when it runs here, else the sum of the window counts in
     * DynamoDB (every demo reading is valid and within the allowed lateness, so each lands in one window).
     */
    long processed() {
        if (runner != null) {
            return runner.metrics().records();
        }
        return new WindowReader(client, TABLE).all().stream().mapToLong(WindowRow::count).sum();
    }

    /**
     * Waits until the runner has processed {@code readings} readings, at most {@code timeout}.
     *
     * @throws IllegalStateException if the runner failed
     */
    void await(long readings, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (processed() < readings && System.nanoTime() < deadline) {
            if (runner != null && runner.failure() != null) {
                throw new IllegalStateException("aggregator failed: " + runner.failure().getMessage(), runner.failure());
            }
            Thread.sleep(runner != null ? 250 : 1000);
        }
    }

    /**
     * Prints a sample of windows and compares every window with ClickHouse: count, exact sum, min and max.
     *
     * @return true if every window agrees and the sets of windows are equal
     */
    boolean compare(ClickHouseQuery ch, String table, PrintWriter out) {
        List<WindowRow> windows = new WindowReader(client, TABLE).all();
        Map<String, String[]> chWindows = new HashMap<>();
        for (String[] r : ch.rows("SELECT device_id, toUnixTimestamp(toStartOfMinute(timestamp)), count(), "
                + "toString(sum(toDecimal64(temperature, 4))), min(temperature), max(temperature) FROM " + table
                + " GROUP BY device_id, toStartOfMinute(timestamp)")) {
            chWindows.put(r[0] + "@" + r[1], r);
        }
        int agree = 0;
        for (WindowRow w : windows) {
            String[] c = chWindows.get(w.deviceId() + "@" + w.windowStart().getEpochSecond());
            if (c != null && Long.parseLong(c[2]) == w.count() && new BigDecimal(c[3]).compareTo(w.sum()) == 0
                    && new BigDecimal(c[4]).compareTo(w.min()) == 0 && new BigDecimal(c[5]).compareTo(w.max()) == 0) {
                agree++;
            }
        }
        out.println();
        out.printf("Per-device 1-minute windows in DynamoDB (table %s at %s), latest per simulated device:%n", TABLE, endpoint());
        out.println(String.format(Locale.ROOT, "  %9s  %-20s %6s %10s %8s %8s %8s", "device_id", "window_start (UTC)",
                "count", "sum", "min", "mean", "max"));
        Map<Integer, WindowRow> latest = new java.util.TreeMap<>();
        for (WindowRow w : windows) {
            if (w.windowStart().isAfter(Instant.parse("2020-01-01T00:00:00Z"))) {
                latest.merge(w.deviceId(), w, (a, b) -> a.windowStart().isAfter(b.windowStart()) ? a : b);
            }
        }
        latest.values().stream().limit(10).forEach(w -> out.println(String.format(Locale.ROOT,
                "  %9d  %-20s %6d %10s %8s %8s %8s", w.deviceId(), w.windowStart().toString(), w.count(),
                w.sum().toPlainString(), w.min().toPlainString(), w.mean().setScale(2, java.math.RoundingMode.HALF_EVEN),
                w.max().toPlainString())));
        boolean ok = agree == windows.size() && windows.size() == chWindows.size();
        out.printf("DynamoDB has %,d windows, ClickHouse %,d; %,d agree on count, exact sum, min and max%s%n",
                windows.size(), chWindows.size(), agree, ok ? "." : " -- MISMATCH");
        return ok;
    }

    @Override
    public void close() {
        if (runner != null) {
            runner.close();
        }
        client.close();
        if (ddb != null) {
            ddb.close();
        }
    }
}
