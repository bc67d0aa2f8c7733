package io.sluice.aggregator.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import io.sluice.aggregator.Aggregator;
import io.sluice.aggregator.core.Metrics;
import io.sluice.aggregator.core.OffsetRanges;
import io.sluice.aggregator.core.PartitionSlice;
import io.sluice.aggregator.core.ConsumedRecord;
import io.sluice.aggregator.dynamo.Backoff;
import io.sluice.aggregator.dynamo.DynamoClients;
import io.sluice.aggregator.dynamo.WindowStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * AWS Lambda handler for Amazon MSK and self-managed Kafka event source mappings:
 * {@code io.sluice.aggregator.lambda.KafkaEventHandler::handleRequest}, packaged in
 * {@code sluice-aggregator-<version>-lambda.jar}.
 *
 * <p>Input: the {@link KafkaEvent} Lambda delivers, records grouped under {@code "topic-partition"} keys, values
 * base64-encoded (Lambda developer guide, "Using Lambda with Amazon MSK" / "self-managed Apache Kafka", example
 * event). Every partition of the batch is aggregated, not only the first.
 *
 * <p>Answer: when every record of the batch is decided (applied, found already applied, or skipped as invalid or
 * late), an empty {@link KafkaBatchResponse}. When any reading cannot be applied (DynamoDB writes that still fail
 * after bounded retries), the handler throws, failing the whole batch; Lambda retries it, and the exactly-once
 * merge applies each reading once, however often it comes back. It never returns a partial batch response: an
 * event source mapping without provisioned pollers does not read one, takes it as success and would drop the
 * failed readings, while a whole-batch failure is retried under every mapping configuration.
 *
 * <p>Malformed readings are logged (JSON, naming topic, partition and offset), counted, and skipped: they never
 * fail a batch, so they cannot block a partition. Configure an on-failure destination on the mapping for batches
 * that fail for other reasons (e.g. DynamoDB unavailable past the retry limit).
 *
 * <p>Each invocation prints its counters as one CloudWatch Embedded Metric Format line (namespace
 * {@code Sluice/Aggregator}). Per partition, the handler remembers across invocations of a warm execution
 * environment where its last successful batch ended and the watermark there (see the design section of
 * {@code sluice-aggregator/README.md}); a batch that continues exactly there extends the same session. Items of
 * any other batch may have been written by another environment since this one cached them, so the handler's
 * {@link WindowStore} reads them (and any item it has not cached) before writing.
 */
public final class KafkaEventHandler implements RequestHandler<KafkaEvent, KafkaBatchResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventHandler.class);

    /** Where this environment's last successful slice of a partition ended, and its watermark. */
    private record Cursor(long sessionStart, long nextOffset, long watermark) {
    }

    private final HandlerSettings settings;
    private final Aggregator aggregator;
    private final Metrics metrics = new Metrics();
    private final Map<String, Cursor> cursors = new ConcurrentHashMap<>();

    /**
     * The constructor Lambda calls: settings from environment variables (see {@link HandlerSettings}), a DynamoDB
     * client for {@code AWS_REGION} with the function's execution role.
     *
     * @throws IllegalArgumentException if the environment is incomplete
     */
    public KafkaEventHandler() {
        this(HandlerSettings.fromEnv(System.getenv()), null);
    }

    /**
     * Creates a handler with explicit settings, for tests and embedding.
     *
     * @param settings configuration
     * @param client   DynamoDB client to use, or null to build one from the settings
     */
    public KafkaEventHandler(HandlerSettings settings, DynamoDbClient client) {
        this.settings = Objects.requireNonNull(settings, "settings");
        DynamoDbClient c = client != null ? client : DynamoClients.create(settings.endpoint(), settings.region());
        // Consecutive batches of a partition usually run in different execution environments, so most items the
        // cache lacks (or holds from an older batch) already exist: read them first rather than fail a condition.
        WindowStore store = new WindowStore(c, settings.table(), settings.aggregation(), metrics,
                settings.writeConcurrency(), Backoff.DEFAULT, Clock.systemUTC(), 20_000, true);
        this.aggregator = new Aggregator(settings.aggregation(), store, metrics);
    }

    /** Returns the counters accumulated by this handler instance. */
    public Metrics.Snapshot metrics() {
        return metrics.snapshot();
    }

    /**
     * Aggregates one batch.
     *
     * @param event   the Kafka event; null or empty record maps are a no-op
     * @param context Lambda context (may be null in tests)
     * @return an empty batch response: every record of the batch is decided
     * @throws IllegalStateException if any reading could not be applied; Lambda then retries the whole batch
     */
    @Override
    public KafkaBatchResponse handleRequest(KafkaEvent event, Context context) {
        Metrics.Snapshot before = metrics.snapshot();
        List<PartitionSlice> slices = slices(event);
        KafkaBatchResponse response = new KafkaBatchResponse();
        Set<String> stale = new HashSet<>();
        for (PartitionSlice s : slices) {
            Cursor c = cursors.get(s.source());
            if (c == null || c.nextOffset() != s.firstOffset()) {
                stale.add(s.source());   // another environment may have written this partition's items since
            }
        }
        Aggregator.Outcome outcome;
        try {
            outcome = aggregator.process(slices, stale);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing aggregates", e);
        }
        for (PartitionSlice s : slices) {
            Long failedFrom = outcome.failedFrom().get(s.source());
            if (failedFrom != null) {
                cursors.remove(s.source());
            } else {
                Cursor prev = cursors.get(s.source());
                long sessionStart = prev != null && prev.nextOffset() == s.firstOffset()
                        ? prev.sessionStart() : s.firstOffset();
                cursors.put(s.source(), new Cursor(sessionStart, s.lastOffset() + 1,
                        outcome.watermarkAfter().getOrDefault(s.source(), PartitionSlice.NO_WATERMARK)));
            }
        }
        EmfMetrics.print(context == null ? "local" : context.getFunctionName(), before, metrics.snapshot());
        if (!outcome.ok()) {
            throw new IllegalStateException("DynamoDB writes failed for partitions " + outcome.failedFrom().keySet()
                    + " (from offsets " + outcome.failedFrom() + "); failing the whole batch so that Lambda retries it");
        }
        return response;
    }

    private List<PartitionSlice> slices(KafkaEvent event) {
        Map<String, List<ConsumedRecord>> bySource = new TreeMap<>();
        if (event != null && event.getRecords() != null) {
            for (List<KafkaEvent.KafkaEventRecord> list : event.getRecords().values()) {
                if (list == null) {
                    continue;
                }
                for (KafkaEvent.KafkaEventRecord r : list) {
                    ConsumedRecord sr = new ConsumedRecord(r.getTopic(), r.getPartition(), r.getOffset(), decode(r));
                    bySource.computeIfAbsent(sr.source(), k -> new ArrayList<>()).add(sr);
                }
            }
        }
        List<PartitionSlice> slices = new ArrayList<>(bySource.size());
        for (List<ConsumedRecord> records : bySource.values()) {
            records.sort(Comparator.comparingLong(ConsumedRecord::offset));
            List<ConsumedRecord> unique = new ArrayList<>(records.size());
            for (ConsumedRecord r : records) {
                if (unique.isEmpty() || unique.get(unique.size() - 1).offset() != r.offset()) {
                    unique.add(r);
                }
            }
            ConsumedRecord first = unique.get(0);
            long[] offsets = unique.stream().mapToLong(ConsumedRecord::offset).toArray();
            OffsetRanges claim = OffsetRanges.runsOf(offsets);
            long watermark = PartitionSlice.NO_WATERMARK;
            Cursor c = cursors.get(first.source());
            if (c != null && c.nextOffset() == first.offset()) {
                // This environment itself processed the partition from c.sessionStart() up to here.
                claim = claim.union(OffsetRanges.of(c.sessionStart(), first.offset()));
                watermark = c.watermark();
            }
            slices.add(new PartitionSlice(first.topic(), first.partition(), claim, watermark, unique));
        }
        return slices;
    }

    private static byte[] decode(KafkaEvent.KafkaEventRecord r) {
        if (r.getValue() == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(r.getValue());
        } catch (IllegalArgumentException e) {
            LOG.warn("{\"event\":\"invalid_reading\",\"topic\":\"{}\",\"partition\":{},\"offset\":{},"
                    + "\"field\":null,\"reason\":\"value is not base64\"}", r.getTopic(), r.getPartition(), r.getOffset());
            return null;
        }
    }
}
