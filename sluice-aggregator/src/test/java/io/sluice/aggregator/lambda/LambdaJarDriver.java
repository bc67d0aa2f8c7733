package io.sluice.aggregator.lambda;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs inside a child JVM whose class path is only the shaded Lambda jar plus this class: builds a Kafka event
 * with two partitions (one malformed record), calls the handler through its no-argument constructor as the Lambda
 * runtime does (configuration from environment variables), and prints the number of batch item failures.
 */
public final class LambdaJarDriver {

    private LambdaJarDriver() {
    }

    /**
     * Entry point.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        Map<String, List<KafkaEvent.KafkaEventRecord>> records = new LinkedHashMap<>();
        for (int p = 0; p < 2; p++) {
            List<KafkaEvent.KafkaEventRecord> list = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String json = "{\"device_id\": " + (p + 1) + ", \"timestamp\": \"2026-11-21T07:00:0" + i
                        + "Z\", \"temperature\": " + (20 + i) + ".5}";
                list.add(record(p, 100 + i, json));
            }
            records.put("readings-" + p, list);
        }
        records.get("readings-1").add(record(1, 103, "{oops"));
        KafkaEvent event = new KafkaEvent(records, "aws:kafka", "arn:aws:kafka:eu-west-1:111122223333:cluster/x/y",
                "b-1.example:9094");
        KafkaBatchResponse response = new KafkaEventHandler().handleRequest(event, null);
        System.out.println("FAILURES=" + response.getBatchItemFailures().size());
    }

    private static KafkaEvent.KafkaEventRecord record(int partition, long offset, String json) {
        KafkaEvent.KafkaEventRecord r = new KafkaEvent.KafkaEventRecord();
        r.setTopic("readings");
        r.setPartition(partition);
        r.setOffset(offset);
        r.setTimestamp(1_795_244_400_000L);
        r.setTimestampType("CREATE_TIME");
        r.setValue(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
        return r;
    }
}
