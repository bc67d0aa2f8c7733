package io.sluice.local.connect;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.policy.AbstractConnectorClientConfigOverridePolicy;

/**
 * The local Connect worker's {@code connector.client.config.override.policy}: a connector config may tune the
 * Kafka clients of its tasks ({@code consumer.override.*}, {@code producer.override.*}, {@code admin.override.*})
 * with the settings in {@link #ALLOWED}, and nothing else. Kafka's own choices do not fit: {@code All} lets anyone
 * who reaches the REST API point a connector's clients at another cluster or change their security (bootstrap
 * servers, SASL/JAAS, SSL, interceptors, metric reporters); {@code None} refuses the
 * {@code consumer.override.metadata.max.age.ms} the CDC sink needs to find new tables' topics within 2 s; and
 * {@code Principal} allows only the security settings, the opposite of what is wanted here.
 */
public final class TuningOnlyOverridePolicy extends AbstractConnectorClientConfigOverridePolicy {

    /**
     * Client settings a connector may override: timeouts, batching, polling and how partitions are spread over the
     * tasks, none of them about where or who.
     */
    public static final Set<String> ALLOWED = Set.of(
            "metadata.max.age.ms", "session.timeout.ms", "heartbeat.interval.ms", "max.poll.records",
            "max.poll.interval.ms", "fetch.min.bytes", "fetch.max.bytes", "fetch.max.wait.ms",
            "max.partition.fetch.bytes", "request.timeout.ms", "default.api.timeout.ms", "linger.ms", "batch.size",
            "compression.type", "max.request.size", "buffer.memory", "delivery.timeout.ms", "auto.offset.reset",
            "partition.assignment.strategy");

    /** Creates the policy (Kafka Connect instantiates it by class name). */
    public TuningOnlyOverridePolicy() {
    }

    @Override
    protected String policyName() {
        return "Sluice tuning-only";
    }

    @Override
    protected boolean isAllowed(ConfigValue configValue) {
        return ALLOWED.contains(configValue.name());
    }

    /** Takes no settings. */
    @Override
    public void configure(Map<String, ?> configs) {
    }
}
