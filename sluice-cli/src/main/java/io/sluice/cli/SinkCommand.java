package io.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.local.connect.ConnectRestClient;
import io.sluice.local.LocalStack;
import io.sluice.local.pipeline.SensorPipeline;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice sink}: manages Sluice sink connectors on the sandbox's Connect worker. */
@Command(name = "sink", mixinStandardHelpOptions = true, subcommands = SinkCommand.Deploy.class,
        description = "Manage Sluice ClickHouse sink connectors on the sandbox (./sluice up).")
final class SinkCommand {

    private SinkCommand() {
    }

    /**
     * {@code sluice sink deploy}: puts the Sluice sink on the sandbox's Connect worker, from options (one topic into
     * one table) or from a connector JSON file, validated by the plugin first. The ClickHouse URL, user and password
     * reference of the sandbox are filled in where the config has none, so the file holds no secret. Missing topics
     * are created; the connector must reach RUNNING within 60 s.
     */
    @Command(name = "deploy", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Deploy the Sluice sink on the sandbox's Connect worker.",
                "Either --topic (and --table) or --file.",
                "Record values are JSON objects; each field goes to the column of its name."})
    static final class Deploy implements Callable<Integer> {

        private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
        private static final Pattern TABLE = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,127}");
        private static final ObjectMapper JSON = new ObjectMapper();

        @Spec
        private CommandSpec spec;

        @Option(names = "--topic", paramLabel = "TOPIC", description = "Kafka topic to read (created if missing).")
        private String topic;

        @Option(names = "--table", paramLabel = "TABLE",
                description = "ClickHouse table in database default (default: the topic, with characters other than "
                        + "letters, digits and _ replaced by _).")
        private String table;

        @Option(names = "--auto-create",
                description = "Create the table from the first record if missing (MergeTree with the Kafka coordinates).")
        private boolean autoCreate;

        @Option(names = "--exactly-once",
                description = "delivery.guarantee=exactly_once: every record exactly one row; the table needs "
                        + "_kafka_topic String, _kafka_partition UInt32, _kafka_offset UInt64 (auto-created tables "
                        + "have them). Without it: at_least_once, for any table.")
        private boolean exactlyOnce;

        @Option(names = "--name", paramLabel = "NAME", description = "Connector name (default: clickhouse-<topic>).")
        private String name;

        @Option(names = "--tasks", defaultValue = "1", description = "tasks.max (default: ${DEFAULT-VALUE}).")
        private int tasks;

        @Option(names = "--partitions", defaultValue = "1",
                description = "Partitions of the topic when it is created here (default: ${DEFAULT-VALUE}).")
        private int partitions;

        @Option(names = "--dlq", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Send records that cannot become rows to <topic>-dlq, with the reason in its headers "
                        + "(default: ${DEFAULT-VALUE}); without it such a record fails the task.")
        private boolean dlq;

        @Option(names = "--file", paramLabel = "FILE",
                description = "A connector JSON file instead: {\"name\": ..., \"config\": {...}} (as for POST "
                        + "/connectors) or a flat config with \"name\".")
        private Path file;

        @Option(names = "--work-dir", paramLabel = "DIR", description = "The sandbox's directory (default: .work/sandbox).")
        private Path workDir;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            Path work = (workDir == null ? SandboxState.defaultDir() : workDir).toAbsolutePath().normalize();
            SandboxState s = SandboxState.running(work).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "no sandbox is running in " + work + "; start one with ./sluice up"));
            LocalStack stack = s.attach();
            String connector;
            Map<String, String> config;
            if (file != null) {
                if (topic != null || table != null) {
                    throw new ParameterException(spec.commandLine(), "give either --file or --topic/--table, not both");
                }
                Map.Entry<String, Map<String, String>> fromFile = readFile(file);
                connector = fromFile.getKey();
                config = fromFile.getValue();
            } else {
                config = fromOptions(stack);
                connector = name != null ? name : "clickhouse-" + topic;
            }
            config.putIfAbsent("connector.class", SensorPipeline.SINK_CLASS);
            config.putIfAbsent("clickhouse.url", stack.clickHouseUrl());
            config.putIfAbsent("clickhouse.user", stack.clickHouseUser());
            config.putIfAbsent("clickhouse.password", stack.clickHousePasswordRef());
            ConnectRestClient connect = stack.connect();
            Map<String, List<String>> errors = connect.validate(connector, config);
            if (!errors.isEmpty()) {
                StringBuilder b = new StringBuilder("the connector config is not valid:");
                errors.forEach((k, v) -> b.append("\n  ").append(k).append(": ").append(String.join("; ", v)));
                throw new IllegalStateException(b.toString());
            }
            String topics = config.getOrDefault("topics", "");
            for (String t : topics.split(",")) {
                if (!t.isBlank()) {
                    SensorPipeline.createTopic(stack.bootstrapServers(), t.trim(), partitions);
                }
            }
            String dlqTopic = config.get("errors.deadletterqueue.topic.name");
            if (dlqTopic != null && !dlqTopic.isBlank()) {
                SensorPipeline.createTopic(stack.bootstrapServers(), dlqTopic, 1);
            }
            connect.putConnector(connector, config);
            int expected = Integer.parseInt(config.getOrDefault("tasks.max", "1"));
            connect.awaitRunning(connector, expected, Duration.ofSeconds(60));
            out.printf("Deployed sink connector '%s' on %s:%n", connector, connect.baseUrl());
            config.forEach((k, v) -> out.printf("  %s=%s%n", k, k.contains("password") && !v.startsWith("${")
                    ? "[hidden]" : v));
            if (!topics.isBlank()) {
                out.printf("Produce JSON objects to %s (bootstrap %s), then: ./sluice status%n", topics,
                        stack.bootstrapServers());
            }
            out.flush();
            return 0;
        }

        private Map<String, String> fromOptions(LocalStack stack) {
            if (topic == null) {
                throw new ParameterException(spec.commandLine(), "give --topic TOPIC (and --table TABLE), or --file FILE");
            }
            if (!TOPIC.matcher(topic).matches()) {
                throw new ParameterException(spec.commandLine(), "--topic: not a Kafka topic name: '" + topic
                        + "' (letters, digits, '.', '_', '-', at most 249)");
            }
            String t = table != null ? table : topic.replaceAll("[^a-zA-Z0-9_]", "_");
            if (!TABLE.matcher(t).matches()) {
                throw new ParameterException(spec.commandLine(), "--table: '" + t
                        + "' is not a plain ClickHouse table name (a letter or _, then letters, digits or _)");
            }
            if (tasks < 1 || partitions < 1) {
                throw new ParameterException(spec.commandLine(), "--tasks and --partitions must be >= 1");
            }
            Map<String, String> c = new LinkedHashMap<>();
            c.put("connector.class", SensorPipeline.SINK_CLASS);
            c.put("tasks.max", String.valueOf(tasks));
            c.put("topics", topic);
            c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter"); // keys are not read
            c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
            c.put("topic.to.table", topic + "=" + t);
            c.put("table.auto.create", String.valueOf(autoCreate));
            c.put("delivery.guarantee", exactlyOnce ? "exactly_once" : "at_least_once");
            if (dlq) {
                c.put("errors.tolerance", "all");
                c.put("errors.deadletterqueue.topic.name", topic + "-dlq");
                c.put("errors.deadletterqueue.topic.replication.factor", "1");
                c.put("errors.deadletterqueue.context.headers.enable", "true");
            }
            return c;
        }

        private Map.Entry<String, Map<String, String>> readFile(Path f) {
            JsonNode root;
            try {
                root = JSON.readTree(Files.readString(f));
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "--file: cannot read " + f + ": " + e.getMessage());
            }
            if (root == null || !root.isObject()) {
                throw new ParameterException(spec.commandLine(), "--file: " + f + " is not a JSON object");
            }
            JsonNode cfg = root.has("config") ? root.get("config") : root;
            String n = name != null ? name : root.path("name").asText(cfg.path("name").asText(""));
            if (n.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--file: " + f + " has no \"name\"; add one or give --name");
            }
            Map<String, String> c = new LinkedHashMap<>();
            cfg.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("name")) {
                    c.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
                }
            });
            return Map.entry(n, c);
        }
    }
}
