package io.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.local.verify.ClickHouseQuery;
import io.sluice.local.connect.ConnectRestClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A snapshot of a running sandbox, read from the components themselves: whether each answers, every connector's
 * and task's state (Connect REST), the sink connectors' lag per partition (the end offset minus the offset
 * committed by the connector's consumer group {@code connect-<name>}, Kafka Admin API), rows per table (ClickHouse
 * {@code system.parts}, active parts, for every table of the {@code default} database that is not a view) and the
 * records in each dead-letter topic.
 * {@code sluice status} prints it; the web console serves it as JSON.
 *
 * @param components  component name -> {@code up} or the error that reaching it gave
 * @param connectors  one entry per connector
 * @param lag         one entry per partition of every sink connector's topics
 * @param tableRows   ClickHouse table -> rows in active parts
 * @param deadLetters dead-letter topic -> records in it
 */
record SandboxStatus(Map<String, String> components, List<Connector> connectors, List<PartitionLag> lag,
                     Map<String, Long> tableRows, Map<String, Long> deadLetters) {

    /**
     * @param name  connector name
     * @param type  {@code sink} or {@code source}
     * @param state connector state (RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED)
     * @param tasks task id -> state
     * @param trace first line of the first failed task's trace, or empty
     */
    record Connector(String name, String type, String state, Map<Integer, String> tasks, String trace) {
    }

    /**
     * @param connector sink connector
     * @param topic     topic
     * @param partition partition
     * @param end       end offset (the next offset to be written)
     * @param committed offset committed by the connector (0 when nothing is committed yet)
     */
    record PartitionLag(String connector, String topic, int partition, long end, long committed) {
        /** Returns the records not yet committed, {@code end - committed}. */
        long lag() {
            return end - committed;
        }
    }

    /**
     * Reads the status of a sandbox. A component that cannot be reached is reported as such, never thrown.
     *
     * @param s the sandbox's state
     */
    static SandboxStatus read(SandboxState s) {
        try (Admin admin = Admin.create(adminConfig(s))) {
            return read(s, admin);
        }
    }

    /** Returns the Kafka Admin client settings for a sandbox: its bootstrap servers, 5 s timeouts. */
    static Properties adminConfig(SandboxState s) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, s.kafka());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        return p;
    }

    /**
     * Reads the status of a sandbox with an Admin client the caller keeps (the console reads once a second).
     *
     * @param s     the sandbox's state
     * @param admin an Admin client of the sandbox's Kafka
     */
    static SandboxStatus read(SandboxState s, Admin admin) {
        Map<String, String> components = new java.util.LinkedHashMap<>();
        ConnectRestClient connect = new ConnectRestClient(s.connectUrl());
        ClickHouseQuery ch = s.attach().clickHouse();
        List<Connector> connectors = new ArrayList<>();
        Map<String, Map<String, String>> configs = new java.util.TreeMap<>();
        try {
            for (String name : connect.connectors()) {
                Map<String, String> config = connect.config(name);
                JsonNode st = connect.status(name);
                if (st == null) {
                    continue;
                }
                configs.put(name, config);
                Map<Integer, String> tasks = new java.util.TreeMap<>();
                String trace = "";
                for (JsonNode t : st.path("tasks")) {
                    tasks.put(t.path("id").asInt(), t.path("state").asText());
                    if (trace.isEmpty() && t.has("trace")) {
                        trace = t.path("trace").asText().lines().findFirst().orElse("");
                    }
                }
                connectors.add(new Connector(name, st.path("type").asText(), st.path("connector").path("state").asText(),
                        tasks, trace));
            }
            components.put("Kafka Connect", "up");
        } catch (RuntimeException e) {
            components.put("Kafka Connect", "unreachable: " + e.getMessage());
        }
        Map<String, Long> tableRows = new java.util.TreeMap<>();
        try {
            for (String[] r : ch.rows("SELECT name FROM system.tables WHERE database = 'default' "
                    + "AND engine NOT LIKE '%View'")) {
                tableRows.put(r[0], 0L);
            }
            for (String[] r : ch.rows("SELECT table, sum(rows) FROM system.parts WHERE active AND database = 'default' "
                    + "GROUP BY table")) {
                tableRows.put(r[0], Long.parseLong(r[1]));
            }
            components.put("ClickHouse", "up, version " + ch.execute("SELECT version()"));
        } catch (RuntimeException e) {
            components.put("ClickHouse", "unreachable: " + e.getMessage());
        }
        List<PartitionLag> lag = new ArrayList<>();
        Map<String, Long> deadLetters = new java.util.TreeMap<>();
        try {
            Set<String> allTopics = admin.listTopics().names().get();
            for (Map.Entry<String, Map<String, String>> c : configs.entrySet()) {
                Map<String, String> config = c.getValue();
                String dlq = config.get("errors.deadletterqueue.topic.name");
                if (dlq != null && !dlq.isBlank() && allTopics.contains(dlq)) {
                    deadLetters.put(dlq, records(admin, dlq));
                }
                Set<String> topics = sinkTopics(config, allTopics);
                if (topics.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("connect-" + c.getKey())
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, Long> ends = offsets(admin, topics, OffsetSpec.latest());
                ends.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(TopicPartition::topic)
                                .thenComparingInt(TopicPartition::partition)))
                        .forEach(e -> {
                            OffsetAndMetadata om = committed.get(e.getKey());
                            lag.add(new PartitionLag(c.getKey(), e.getKey().topic(), e.getKey().partition(), e.getValue(),
                                    om == null ? 0 : om.offset()));
                        });
            }
            components.put("Kafka", "up, " + allTopics.size() + " topics");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            components.put("Kafka", "unreachable: " + e.getMessage());
        }
        if (s.mariaDbPort() > 0) {
            components.put("MariaDB", reachable("127.0.0.1", s.mariaDbPort()));
        }
        java.net.URI ddb = java.net.URI.create(s.dynamoDbEndpoint());
        components.put("DynamoDB Local", reachable(ddb.getHost(), ddb.getPort()));
        return new SandboxStatus(components, connectors, lag, tableRows, deadLetters);
    }

    /** The topics a sink connector reads: {@code topics}, or the existing topics matching {@code topics.regex}. */
    static Set<String> sinkTopics(Map<String, String> config, Set<String> allTopics) {
        Set<String> topics = new TreeSet<>();
        String list = config.get("topics");
        if (list != null && !list.isBlank()) {
            for (String t : list.split(",")) {
                if (allTopics.contains(t.trim())) {
                    topics.add(t.trim());
                }
            }
        }
        String regex = config.get("topics.regex");
        if (regex != null && !regex.isBlank()) {
            Pattern re = Pattern.compile(regex);
            allTopics.stream().filter(t -> re.matcher(t).matches()).forEach(topics::add);
        }
        return topics;
    }

    private static long records(Admin admin, String topic) throws Exception {
        Map<TopicPartition, Long> end = offsets(admin, Set.of(topic), OffsetSpec.latest());
        Map<TopicPartition, Long> start = offsets(admin, Set.of(topic), OffsetSpec.earliest());
        return end.entrySet().stream().mapToLong(e -> e.getValue() - start.getOrDefault(e.getKey(), 0L)).sum();
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, Set<String> topics, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((t, d) ->
                d.partitions().forEach(pi -> request.put(new TopicPartition(t, pi.partition()), spec)));
        return admin.listOffsets(request).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static String reachable(String host, int port) {
        try (java.net.Socket sock = new java.net.Socket()) {
            sock.connect(new java.net.InetSocketAddress(host, port), 2000);
            return "up";
        } catch (java.io.IOException e) {
            return "unreachable: " + e.getMessage();
        }
    }
}
