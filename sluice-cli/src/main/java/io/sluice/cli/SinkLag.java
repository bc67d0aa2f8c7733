package io.sluice.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag of a sink connector: the records of its topic that its consumer group ({@code connect-<name>})
 * has not committed yet, summed over partitions. Kafka Connect commits only what the sink reports through
 * preCommit, so this counts records not yet safely in ClickHouse.
 */
final class SinkLag implements AutoCloseable {

    private final Admin admin;
    private final String group;
    private final String topic;

    SinkLag(String bootstrapServers, String connector, String topic) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.admin = Admin.create(p);
        this.group = "connect-" + connector;
        this.topic = topic;
    }

    /** Returns the lag in records, or -1 if it cannot be read right now. */
    long records() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            var partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic).partitions();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(pi -> latest.put(new TopicPartition(topic, pi.partition()), OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = admin.listOffsets(latest).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            long lag = 0;
            for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag += e.getValue() - (c == null ? 0 : c.offset());
            }
            return lag;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return -1;
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
