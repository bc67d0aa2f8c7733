package io.sluice.aggregator.lambda;

import java.util.ArrayList;
import java.util.List;

/**
 * The partial batch response of a Kafka event source mapping with {@code FunctionResponseTypes =
 * ["ReportBatchItemFailures"]}:
 * {@code {"batchItemFailures": [{"itemIdentifier": {"partition": "readings-0", "offset": 1234}}]}}.
 *
 * <p>Shape source: the Lambda developer guide, "Configuring error handling controls for Kafka event sources"
 * (partial batch response, available for MSK and self-managed Kafka mappings in provisioned mode), and the
 * matching types of Powertools for AWS Lambda (Python, {@code KafkaItemIdentifier}: {@code partition} is the
 * {@code topic-partition} key of the event's record map, {@code offset} the record offset). aws-lambda-java-events
 * 3.16.1 has no class for it, hence this one. Lambda resumes each listed partition at the lowest listed offset;
 * an empty list means the whole batch succeeded. A plain bean with getters, as the Lambda Java runtime's
 * serializer expects.
 */
public final class KafkaBatchResponse {

    private final List<BatchItemFailure> batchItemFailures = new ArrayList<>();

    /** Returns the failures, empty on success. */
    public List<BatchItemFailure> getBatchItemFailures() {
        return batchItemFailures;
    }

    /**
     * Adds a failure: the partition must be redelivered from {@code offset}.
     *
     * @param partition {@code topic-partition}, as keyed in the event
     * @param offset    first offset to redeliver
     * @return this response
     */
    public KafkaBatchResponse fail(String partition, long offset) {
        batchItemFailures.add(new BatchItemFailure(new ItemIdentifier(partition, offset)));
        return this;
    }

    /** One failed item. */
    public static final class BatchItemFailure {
        private final ItemIdentifier itemIdentifier;

        /** @param itemIdentifier where to resume */
        public BatchItemFailure(ItemIdentifier itemIdentifier) {
            this.itemIdentifier = itemIdentifier;
        }

        /** Returns where to resume. */
        public ItemIdentifier getItemIdentifier() {
            return itemIdentifier;
        }
    }

    /** The Kafka item identifier: {@code {"partition": "topic-partition", "offset": n}}. */
    public static final class ItemIdentifier {
        private final String partition;
        private final long offset;

        /**
         * @param partition {@code topic-partition}
         * @param offset    record offset
         */
        public ItemIdentifier(String partition, long offset) {
            this.partition = partition;
            this.offset = offset;
        }

        /** Returns {@code topic-partition}. */
        public String getPartition() {
            return partition;
        }

        /** Returns the record offset. */
        public long getOffset() {
            return offset;
        }
    }
}
