package io.sluice.aggregator.runner;

import io.sluice.aggregator.core.AggregatorSettings;
import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of the standalone {@link AggregatorRunner}.
 *
 * @param bootstrapServers  Kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}
 * @param topic             topic with reading JSON values
 * @param groupId           consumer group id; offsets are committed there after DynamoDB writes succeed
 * @param dynamoEndpoint    DynamoDB endpoint override (e.g. {@code http://127.0.0.1:8000} for DynamoDB Local), or
 *                          null for AWS
 * @param region            AWS region
 * @param table             DynamoDB table name
 * @param aggregation       window length, allowed lateness, TTL
 * @param createTable       whether to create the table at start if it is missing
 * @param maxPollRecords    Kafka {@code max.poll.records}: the most records per batch, 1..100000
 * @param writeConcurrency  parallel item writes, 1..64
 * @param consumerOverrides extra Kafka consumer properties (security settings for MSK TLS/IAM, etc.); they override
 *                          the runner's defaults except {@code enable.auto.commit}, which stays {@code false}
 */
public record RunnerConfig(String bootstrapServers, String topic, String groupId, URI dynamoEndpoint, String region,
                           String table, AggregatorSettings aggregation, boolean createTable, int maxPollRecords,
                           int writeConcurrency, Map<String, String> consumerOverrides) {

    /** Default batch size: 5000 records per poll. */
    public static final int DEFAULT_MAX_POLL_RECORDS = 5000;
    /** Default parallel item writes: 8. */
    public static final int DEFAULT_WRITE_CONCURRENCY = 8;

    /**
     * Validates the configuration.
     *
     * @throws IllegalArgumentException if a required value is missing or out of range
     */
    public RunnerConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(aggregation, "aggregation");
        consumerOverrides = Map.copyOf(consumerOverrides == null ? Map.of() : consumerOverrides);
        if (maxPollRecords < 1 || maxPollRecords > 100_000) {
            throw new IllegalArgumentException("maxPollRecords must be 1..100000, got " + maxPollRecords);
        }
        if (writeConcurrency < 1 || writeConcurrency > 64) {
            throw new IllegalArgumentException("writeConcurrency must be 1..64, got " + writeConcurrency);
        }
    }

    /**
     * Returns a configuration with defaults: 1-minute windows, 5 minutes lateness, no TTL, table created if missing,
     * {@value #DEFAULT_MAX_POLL_RECORDS} records per poll, {@value #DEFAULT_WRITE_CONCURRENCY} parallel writes.
     *
     * @param bootstrapServers Kafka bootstrap servers
     * @param topic            topic
     * @param groupId          consumer group id
     * @param dynamoEndpoint   DynamoDB endpoint, or null for AWS
     * @param region           AWS region
     * @param table            table name
     */
    public static RunnerConfig defaults(String bootstrapServers, String topic, String groupId, URI dynamoEndpoint,
                                        String region, String table) {
        return new RunnerConfig(bootstrapServers, topic, groupId, dynamoEndpoint, region, table,
                AggregatorSettings.defaults(), true, DEFAULT_MAX_POLL_RECORDS, DEFAULT_WRITE_CONCURRENCY, Map.of());
    }

    /** Returns a copy with other aggregation settings. */
    public RunnerConfig withAggregation(AggregatorSettings settings) {
        return new RunnerConfig(bootstrapServers, topic, groupId, dynamoEndpoint, region, table, settings,
                createTable, maxPollRecords, writeConcurrency, consumerOverrides);
    }

    /** Returns a copy with another batch size. */
    public RunnerConfig withMaxPollRecords(int n) {
        return new RunnerConfig(bootstrapServers, topic, groupId, dynamoEndpoint, region, table, aggregation,
                createTable, n, writeConcurrency, consumerOverrides);
    }

    /** Returns a copy with extra consumer properties. */
    public RunnerConfig withConsumerOverrides(Map<String, String> overrides) {
        return new RunnerConfig(bootstrapServers, topic, groupId, dynamoEndpoint, region, table, aggregation,
                createTable, maxPollRecords, writeConcurrency, overrides);
    }
}
