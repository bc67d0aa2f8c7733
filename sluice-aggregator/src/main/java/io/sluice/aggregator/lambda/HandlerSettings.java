package io.sluice.aggregator.lambda;

import io.sluice.aggregator.core.AggregatorSettings;
import io.sluice.core.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configuration of the Lambda handler, read from the function's environment variables:
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code SLUICE_TABLE}</td><td>DynamoDB table name</td><td>required</td></tr>
 *   <tr><td>{@code SLUICE_WINDOW}</td><td>window length, e.g. {@code 1m}, {@code 30s}, {@code PT5M}</td>
 *       <td>{@code 1m}</td></tr>
 *   <tr><td>{@code SLUICE_ALLOWED_LATENESS}</td><td>allowed lateness</td><td>{@code 5m}</td></tr>
 *   <tr><td>{@code SLUICE_MAX_CLOCK_SKEW}</td><td>how far a reading's event time may be ahead of the clock;
 *       readings further ahead are rejected as invalid and never move the watermark</td><td>{@code 1m}</td></tr>
 *   <tr><td>{@code SLUICE_TTL}</td><td>keep items this long after their window ends (needs TTL enabled on
 *       {@code expires_at}); empty for no TTL attribute</td><td>none</td></tr>
 *   <tr><td>{@code SLUICE_WRITE_CONCURRENCY}</td><td>parallel item writes</td><td>{@code 8}</td></tr>
 *   <tr><td>{@code SLUICE_DYNAMODB_ENDPOINT}</td><td>endpoint override (DynamoDB Local)</td><td>AWS</td></tr>
 *   <tr><td>{@code AWS_REGION}</td><td>region, set by Lambda</td><td>{@code us-east-1}</td></tr>
 * </table>
 *
 * <p>{@code SLUICE_REPORT_BATCH_ITEM_FAILURES}, read by earlier versions, is no longer used: the handler fails the
 * whole batch whenever a reading cannot be applied (see {@link KafkaEventHandler}); set to {@code true} it is
 * logged as ignored.
 *
 * @param table                   table name
 * @param aggregation             window, lateness and TTL
 * @param writeConcurrency        parallel item writes
 * @param endpoint                DynamoDB endpoint override, or null
 * @param region                  AWS region
 */
public record HandlerSettings(String table, AggregatorSettings aggregation, int writeConcurrency, URI endpoint,
                              String region) {

    private static final Logger LOG = LoggerFactory.getLogger(HandlerSettings.class);

    /**
     * Reads the settings from environment variables.
     *
     * @param env the environment, e.g. {@code System.getenv()}
     * @throws IllegalArgumentException if {@code SLUICE_TABLE} is missing or a value is malformed
     */
    public static HandlerSettings fromEnv(Map<String, String> env) {
        String table = env.get("SLUICE_TABLE");
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException("environment variable SLUICE_TABLE is required");
        }
        Duration window = Durations.parse(env.getOrDefault("SLUICE_WINDOW", "1m"));
        Duration lateness = Durations.parse(env.getOrDefault("SLUICE_ALLOWED_LATENESS", "5m"));
        Duration skew = Durations.parse(env.getOrDefault("SLUICE_MAX_CLOCK_SKEW", "1m"));
        String ttl = env.getOrDefault("SLUICE_TTL", "");
        Optional<Duration> ttlDuration = ttl.isBlank() ? Optional.empty() : Optional.of(Durations.parse(ttl));
        if (Boolean.parseBoolean(env.getOrDefault("SLUICE_REPORT_BATCH_ITEM_FAILURES", "false"))) {
            LOG.warn("{\"event\":\"setting_ignored\",\"name\":\"SLUICE_REPORT_BATCH_ITEM_FAILURES\","
                    + "\"reason\":\"the handler fails the whole batch when any reading cannot be applied\"}");
        }
        int concurrency = Integer.parseInt(env.getOrDefault("SLUICE_WRITE_CONCURRENCY", "8"));
        String endpoint = env.get("SLUICE_DYNAMODB_ENDPOINT");
        return new HandlerSettings(table, new AggregatorSettings(window, lateness, ttlDuration, skew), concurrency,
                endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint),
                env.getOrDefault("AWS_REGION", "us-east-1"));
    }
}
