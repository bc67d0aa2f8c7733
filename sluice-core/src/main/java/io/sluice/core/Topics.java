package io.sluice.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates a topic when it is missing and waits until every partition leader serves requests. Shared by the
 * producer, the local stack and the demo, with the client properties of whoever calls it (security settings
 * included; properties the admin client does not know are dropped).
 */
public final class Topics {

    private Topics() {
    }

    /**
     * What {@link #ensure} found or did.
     *
     * @param created    {@code true} if the topic was created, {@code false} if it existed
     * @param partitions the topic's partition count
     */
    public record Outcome(boolean created, int partitions) {
    }

    /**
     * Creates a topic if it does not exist, and waits until every partition's leader accepts requests. An existing
     * topic is left as it is, whatever its partition count.
     *
     * @param clientConfig      client properties (bootstrap servers, security settings); producer-only properties
     *                          are dropped
     * @param topic             topic name
     * @param partitions        partitions for a new topic, positive
     * @param replicationFactor replication factor for a new topic, or -1 for the broker default
     * @param timeoutMillis     how long to wait for the cluster, in milliseconds
     * @return whether it was created and its partition count
     * @throws ExecutionException   if the cluster refuses (for example not authorised, or replication factor larger
     *                              than the number of brokers); the cause is the Kafka client's exception
     * @throws TimeoutException     if the cluster does not answer in time
     * @throws InterruptedException if interrupted while waiting
     */
    public static Outcome ensure(Properties clientConfig, String topic, int partitions, short replicationFactor,
                                 long timeoutMillis) throws ExecutionException, TimeoutException, InterruptedException {
        Properties p = new Properties();
        p.putAll(clientConfig);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeoutMillis));
        p.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "sluice");
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, p.getProperty(AdminClientConfig.CLIENT_ID_CONFIG) + "-admin");
        try (Admin admin = Admin.create(adminOnly(p))) {
            boolean created;
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.of(replicationFactor))))
                        .all().get(timeoutMillis, TimeUnit.MILLISECONDS);
                created = true;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                created = false;
            }
            // Wait until every partition's leader serves requests: right after creation a broker can already list
            // the topic but still answer NOT_LEADER_OR_FOLLOWER to produce requests, or not know the topic yet
            // (UNKNOWN_TOPIC_OR_PARTITION) until the metadata reaches it. ListOffsets is answered by the leader
            // replica itself; retriable answers are retried until the deadline.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            Map<String, TopicDescription> d;
            while (true) {
                try {
                    d = admin.describeTopics(List.of(topic)).allTopicNames().get(timeoutMillis, TimeUnit.MILLISECONDS);
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    d.get(topic).partitions().forEach(i -> latest.put(new TopicPartition(topic, i.partition()), OffsetSpec.latest()));
                    admin.listOffsets(latest).all().get(timeoutMillis, TimeUnit.MILLISECONDS);
                    break;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
            return new Outcome(created, d.get(topic).partitions().size());
        }
    }

    private static Properties adminOnly(Properties p) {
        Properties out = new Properties();
        var known = AdminClientConfig.configNames();
        for (String name : p.stringPropertyNames()) {
            if (known.contains(name) || name.startsWith("sasl.") || name.startsWith("ssl.")) {
                out.put(name, p.getProperty(name));
            }
        }
        return out;
    }
}
