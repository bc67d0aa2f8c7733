package io.sluice.aggregator.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds Kafka event JSON exactly as Lambda delivers it to a function on an Amazon MSK event source mapping
 * (Lambda developer guide, "Using Lambda with Amazon MSK", example event): {@code eventSource},
 * {@code eventSourceArn}, {@code bootstrapServers}, and {@code records} keyed by {@code "topic-partition"}, each
 * record with topic, partition, offset, timestamp, timestampType, base64 key and value, and headers as arrays of
 * byte values.
 */
public final class LambdaPayloads {

    /** One Kafka record to put in an event. */
    public record Rec(String topic, int partition, long offset, long timestampMs, String key, byte[] value) {
    }

    private LambdaPayloads() {
    }

    /** Returns the event JSON for the records, grouped by partition in the order given. */
    public static String event(List<Rec> records) {
        Map<String, List<Rec>> groups = new LinkedHashMap<>();
        for (Rec r : records) {
            groups.computeIfAbsent(r.topic() + "-" + r.partition(), k -> new ArrayList<>()).add(r);
        }
        StringBuilder b = new StringBuilder(records.size() * 300 + 400);
        b.append("{\n  \"eventSource\": \"aws:kafka\",\n")
                .append("  \"eventSourceArn\": \"arn:aws:kafka:eu-west-1:111122223333:cluster/sluice/"
                        + "a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2\",\n")
                .append("  \"bootstrapServers\": \"b-2.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com:9094,"
                        + "b-1.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com:9094\",\n")
                .append("  \"records\": {");
        boolean firstGroup = true;
        for (Map.Entry<String, List<Rec>> g : groups.entrySet()) {
            b.append(firstGroup ? "\n" : ",\n").append("    \"").append(g.getKey()).append("\": [");
            firstGroup = false;
            boolean first = true;
            for (Rec r : g.getValue()) {
                b.append(first ? "\n" : ",\n");
                first = false;
                b.append("      {\"topic\": \"").append(r.topic()).append("\", \"partition\": ").append(r.partition())
                        .append(", \"offset\": ").append(r.offset())
                        .append(", \"timestamp\": ").append(r.timestampMs())
                        .append(", \"timestampType\": \"CREATE_TIME\"")
                        .append(", \"key\": \"").append(b64(r.key().getBytes(StandardCharsets.UTF_8))).append('"')
                        .append(", \"value\": ").append(r.value() == null ? "null" : "\"" + b64(r.value()) + "\"")
                        .append(", \"headers\": [{\"source\": [115, 105, 109]}]}");
            }
            b.append("\n    ]");
        }
        return b.append("\n  }\n}\n").toString();
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
