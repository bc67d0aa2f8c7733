package io.sluice.aggregator.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The offsets of one topic-partition that a Lambda invocation could not process, read from an on-failure
 * destination record of a Kafka event source mapping.
 *
 * <p>Two record formats are read (Lambda developer guide, "Capturing discarded batches for Amazon MSK and
 * self-managed Apache Kafka event sources" and "Using a Kafka topic as an on-failure destination"):
 * <ul>
 *   <li>SQS, SNS and S3 destinations: {@code KafkaBatchInfo.recordsInfo} maps each {@code "topic-partition"} to
 *       {@code firstRecordOffset} and {@code lastRecordOffset} (decimal strings);</li>
 *   <li>Kafka destinations: one record per message, {@code KafkaBatchInfo.recordInfo.offset}, with the record itself
 *       under {@code payload.records}, keyed by {@code "topic-partition"}.</li>
 * </ul>
 * The input may hold several records: concatenated or one per line, or a JSON array of them, or SQS messages
 * ({@code {"Messages":[{"Body":"<record>"}]}} as {@code aws sqs receive-message} prints).
 *
 * @param topic     topic
 * @param partition partition
 * @param first     first offset to re-read, inclusive
 * @param last      last offset to re-read, inclusive
 */
public record FailedBatch(String topic, int partition, long first, long last) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.ALLOW_TRAILING_COMMA);

    /**
     * Validates the range.
     *
     * @throws IllegalArgumentException if the offsets are negative or reversed
     */
    public FailedBatch {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("bad offset range " + first + ".." + last + " for " + topic + "-"
                    + partition);
        }
    }

    /**
     * Reads every failed range from on-failure destination records.
     *
     * @param in the records, as described above
     * @return the ranges, in input order
     * @throws IOException              if the input is not JSON
     * @throws IllegalArgumentException if a record has neither {@code recordsInfo} nor {@code recordInfo}
     */
    public static List<FailedBatch> parse(Reader in) throws IOException {
        List<FailedBatch> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(in)) {
            while (it.hasNext()) {
                collect(it.next(), out);
            }
        }
        return out;
    }

    private static void collect(JsonNode node, List<FailedBatch> out) throws IOException {
        if (node.isArray()) {
            for (JsonNode n : node) {
                collect(n, out);
            }
        } else if (node.has("Messages")) {
            for (JsonNode m : node.get("Messages")) {
                collect(JSON.readTree(m.path("Body").asText()), out);
            }
        } else if (node.has("Body") && node.get("Body").isTextual()) {
            collect(JSON.readTree(node.get("Body").asText()), out);
        } else if (node.has("Message") && node.get("Message").isTextual()) { // an SNS notification
            collect(JSON.readTree(node.get("Message").asText()), out);
        } else {
            JsonNode info = node.path("KafkaBatchInfo");
            if (info.has("recordsInfo")) {
                for (Iterator<Map.Entry<String, JsonNode>> f = info.get("recordsInfo").fields(); f.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = f.next();
                    String[] tp = splitSource(e.getKey());
                    out.add(new FailedBatch(tp[0], Integer.parseInt(tp[1]),
                            Long.parseLong(e.getValue().path("firstRecordOffset").asText()),
                            Long.parseLong(e.getValue().path("lastRecordOffset").asText())));
                }
            } else if (info.has("recordInfo")) {
                long offset = Long.parseLong(info.get("recordInfo").path("offset").asText());
                for (Iterator<String> keys = node.path("payload").path("records").fieldNames(); keys.hasNext(); ) {
                    String[] tp = splitSource(keys.next());
                    out.add(new FailedBatch(tp[0], Integer.parseInt(tp[1]), offset, offset));
                }
            } else {
                throw new IllegalArgumentException("not an on-failure record of a Kafka event source mapping "
                        + "(no KafkaBatchInfo.recordsInfo or recordInfo): " + abbreviate(node.toString()));
            }
        }
    }

    /** Splits {@code "topic-partition"} at its last hyphen (topic names may contain hyphens). */
    private static String[] splitSource(String source) {
        int dash = source.lastIndexOf('-');
        if (dash <= 0 || dash == source.length() - 1) {
            throw new IllegalArgumentException("not a topic-partition key: " + source);
        }
        return new String[] {source.substring(0, dash), source.substring(dash + 1)};
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
