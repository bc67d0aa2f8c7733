package io.sluice.aggregator.runner;

import io.sluice.aggregator.core.AggregatorSettings;
import io.sluice.core.Durations;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Command line for the standalone runner:
 *
 * <pre>
 * java -cp ... io.sluice.aggregator.runner.RunnerMain --bootstrap-servers 127.0.0.1:9092 --topic readings
 *     --group sluice-aggregator --table sluice_device_windows [--dynamodb-endpoint http://127.0.0.1:8000]
 *     [--region us-east-1] [--window 1m] [--allowed-lateness 5m] [--max-clock-skew 1m] [--ttl 720h]
 *     [--max-poll-records 5000] [--write-concurrency 8] [--no-create-table] [--consumer-property key=value]...
 *     [--metrics-port 9404] [--metrics-host 127.0.0.1]
 * </pre>
 *
 * {@code --metrics-port} serves the runner's counters for Prometheus on {@code http://<metrics-host>:<port>/metrics}
 * ({@link PrometheusEndpoint}); the host defaults to 127.0.0.1.
 *
 * {@code --consumer-property} (repeatable) passes Kafka consumer settings through, e.g.
 * {@code security.protocol=SSL} for MSK on port 9094 or {@code session.timeout.ms=10000}.
 *
 * Runs until SIGTERM/SIGINT (a shutdown hook closes the runner cleanly). Exit code 2 on bad arguments, 1 if the
 * runner fails.
 */
public final class RunnerMain {

    private RunnerMain() {
    }

    /**
     * Entry point.
     *
     * @param args options as above
     */
    public static void main(String[] args) {
        RunnerConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: RunnerMain --bootstrap-servers H:P --topic T --group G --table T "
                    + "[--dynamodb-endpoint URL] [--region R] [--window 1m] [--allowed-lateness 5m] "
                    + "[--max-clock-skew 1m] [--ttl 720h] "
                    + "[--max-poll-records 5000] [--write-concurrency 8] [--no-create-table] [--consumer-property k=v]... "
                    + "[--metrics-port P] [--metrics-host 127.0.0.1]");
            System.exit(2);
            return;
        }
        AggregatorRunner runner = new AggregatorRunner(config);
        PrometheusEndpoint endpoint = null;
        String metricsPort = option(args, "--metrics-port");
        if (metricsPort != null) {
            String host = option(args, "--metrics-host");
            try {
                endpoint = PrometheusEndpoint.start(host == null ? "127.0.0.1" : host, Integer.parseInt(metricsPort),
                        runner);
            } catch (IOException | NumberFormatException e) {
                System.err.println("error: cannot serve metrics on port " + metricsPort + ": " + e.getMessage());
                System.exit(2);
                return;
            }
        }
        PrometheusEndpoint served = endpoint;
        Thread hook = new Thread(() -> {
            runner.close();
            if (served != null) {
                served.close();
            }
        }, "sluice-aggregator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            runner.run();
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static String option(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return null;
    }

    /**
     * Parses the options.
     *
     * @throws IllegalArgumentException on unknown or missing options or malformed values
     */
    static RunnerConfig parse(String[] args) {
        Map<String, String> o = new HashMap<>();
        Map<String, String> consumer = new HashMap<>();
        boolean createTable = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--no-create-table")) {
                createTable = false;
            } else if (a.equals("--consumer-property") && i + 1 < args.length) {
                String kv = args[++i];
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--consumer-property needs key=value, got '" + kv + "'");
                }
                consumer.put(kv.substring(0, eq), kv.substring(eq + 1));
            } else if (a.startsWith("--") && i + 1 < args.length) {
                o.put(a.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
        }
        for (String required : new String[] {"bootstrap-servers", "topic", "group", "table"}) {
            if (!o.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        String ttl = o.remove("ttl");
        AggregatorSettings settings = new AggregatorSettings(
                Durations.parse(o.getOrDefault("window", "1m")),
                Durations.parse(o.getOrDefault("allowed-lateness", "5m")),
                ttl == null ? Optional.<Duration>empty() : Optional.of(Durations.parse(ttl)),
                Durations.parse(o.getOrDefault("max-clock-skew", "1m")));
        String endpoint = o.get("dynamodb-endpoint");
        RunnerConfig config = new RunnerConfig(o.get("bootstrap-servers"), o.get("topic"), o.get("group"),
                endpoint == null ? null : URI.create(endpoint), o.getOrDefault("region", "us-east-1"),
                o.get("table"), settings, createTable,
                Integer.parseInt(o.getOrDefault("max-poll-records", Integer.toString(RunnerConfig.DEFAULT_MAX_POLL_RECORDS))),
                Integer.parseInt(o.getOrDefault("write-concurrency", Integer.toString(RunnerConfig.DEFAULT_WRITE_CONCURRENCY))),
                consumer);
        for (String k : o.keySet()) {
            if (!Set.of("bootstrap-servers", "topic", "group", "table", "window", "allowed-lateness",
                    "max-clock-skew", "dynamodb-endpoint", "region", "max-poll-records", "write-concurrency",
                    "metrics-port", "metrics-host").contains(k)) {
                throw new IllegalArgumentException("unknown option --" + k);
            }
        }
        return config;
    }
}
