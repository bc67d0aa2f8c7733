package io.sluice.aggregator.replay;

import io.sluice.aggregator.Aggregator;
import io.sluice.aggregator.core.AggregatorSettings;
import io.sluice.aggregator.core.Metrics;
import io.sluice.aggregator.core.OffsetRanges;
import io.sluice.aggregator.core.PartitionSlice;
import io.sluice.aggregator.core.ConsumedRecord;
import io.sluice.aggregator.dynamo.Backoff;
import io.sluice.aggregator.dynamo.DynamoClients;
import io.sluice.aggregator.dynamo.WindowStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The way back for batches a Lambda event source mapping gave up on ({@code sluice aggregator replay}): the
 * on-failure destination holds only where the batch was (topic, partition, first and last offset, see
 * {@link FailedBatch}), so this re-reads those offsets from Kafka and applies them through the same core as the
 * handler ({@link Aggregator}: validation, windows, the exactly-once merge into DynamoDB). A reading already applied
 * is recognised by its offset and skipped, so replaying a range twice, or a range that partly succeeded, or one the
 * mapping itself retried later, changes nothing more than one clean pass would.
 *
 * <p>It reads with a plain assigned consumer (no group, nothing committed) and judges lateness as a cold Lambda
 * environment does, with the watermark unknown at the start of each range: a reading is late only against readings
 * before it in the same range (so a replay is never stricter than the first pass). Ranges are processed in the order given, each in chunks of at most
 * {@value #CHUNK} records.
 */
public final class FailedBatchReplay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FailedBatchReplay.class);
    private static final int CHUNK = 5000;

    /**
     * Where to read and write.
     *
     * @param bootstrapServers  Kafka bootstrap servers
     * @param consumerOverrides extra consumer properties (e.g. {@code security.protocol=SSL} for MSK on 9094)
     * @param dynamoEndpoint    DynamoDB endpoint override, or null for AWS
     * @param region            AWS region
     * @param table             the aggregator's table
     * @param aggregation       the same window, lateness and skew settings as the function
     */
    public record Config(String bootstrapServers, Map<String, String> consumerOverrides, URI dynamoEndpoint,
                         String region, String table, AggregatorSettings aggregation) {
        /** Validates and copies. */
        public Config {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(aggregation, "aggregation");
            consumerOverrides = Map.copyOf(consumerOverrides == null ? Map.of() : consumerOverrides);
        }
    }

    /**
     * What a replay did.
     *
     * @param ranges  ranges replayed
     * @param records records re-read from Kafka
     * @param metrics the aggregator's counters: applied, already applied (duplicates), invalid, late
     */
    public record Result(int ranges, long records, Metrics.Snapshot metrics) {
    }

    private final Config config;
    private final DynamoDbClient dynamo;
    private final WindowStore store;
    private final Aggregator aggregator;
    private final Metrics metrics = new Metrics();

    /**
     * Creates the DynamoDB client and the aggregator; connects to Kafka only in {@link #replay}.
     *
     * @param config where to read and write
     */
    public FailedBatchReplay(Config config) {
        this.config = config;
        this.dynamo = DynamoClients.create(config.dynamoEndpoint(), config.region());
        this.store = new WindowStore(dynamo, config.table(), config.aggregation(), metrics, 8, Backoff.DEFAULT,
                Clock.systemUTC(), 20_000, true);
        this.aggregator = new Aggregator(config.aggregation(), store, metrics);
    }

    /**
     * Re-reads and applies each range.
     *
     * @param batches the failed ranges, e.g. from {@link FailedBatch#parse}
     * @return what was done
     * @throws IllegalStateException if a range is no longer (or not yet) in Kafka, or DynamoDB writes still fail
     *                               after bounded retries; replaying again later is safe
     * @throws InterruptedException  if interrupted while writing
     */
    public Result replay(List<FailedBatch> batches) throws InterruptedException {
        Properties p = new Properties();
        p.putAll(config.consumerOverrides());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(CHUNK));
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-aggregator-replay");
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            for (FailedBatch b : batches) {
                records += replay(c, b);
            }
        }
        return new Result(batches.size(), records, metrics.snapshot());
    }

    private long replay(KafkaConsumer<byte[], byte[]> c, FailedBatch b) throws InterruptedException {
        TopicPartition tp = new TopicPartition(b.topic(), b.partition());
        c.assign(List.of(tp));
        long start = c.beginningOffsets(List.of(tp)).get(tp);
        long end = c.endOffsets(List.of(tp)).get(tp);
        if (b.first() < start || b.last() >= end) {
            throw new IllegalStateException("offsets " + b.first() + ".." + b.last() + " of " + tp
                    + " are not all in Kafka (it holds " + start + ".." + (end - 1) + ")");
        }
        c.seek(tp, b.first());
        long read = 0;
        List<ConsumedRecord> chunk = new ArrayList<>(Math.min(CHUNK, (int) Math.min(CHUNK, b.last() - b.first() + 1)));
        long position = b.first();
        long watermark = PartitionSlice.NO_WATERMARK;
        while (position <= b.last()) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500)).records(tp)) {
                if (r.offset() > b.last()) {
                    break;
                }
                chunk.add(new ConsumedRecord(r.topic(), r.partition(), r.offset(), r.value()));
            }
            position = c.position(tp);
            if (!chunk.isEmpty() && (chunk.size() >= CHUNK || position > b.last())) {
                watermark = apply(chunk, watermark);
                read += chunk.size();
                chunk = new ArrayList<>();
            }
        }
        LOG.info("{\"event\":\"range_replayed\",\"partition\":\"{}\",\"first\":{},\"last\":{},\"records\":{}}",
                tp, b.first(), b.last(), read);
        return read;
    }

    private long apply(List<ConsumedRecord> chunk, long watermark) throws InterruptedException {
        long[] offsets = chunk.stream().mapToLong(ConsumedRecord::offset).toArray();
        ConsumedRecord first = chunk.get(0);
        PartitionSlice slice = new PartitionSlice(first.topic(), first.partition(), OffsetRanges.runsOf(offsets),
                watermark, chunk);
        Aggregator.Outcome outcome = aggregator.process(List.of(slice));
        if (!outcome.ok()) {
            throw new IllegalStateException("DynamoDB writes failed for " + outcome.failedFrom()
                    + "; nothing is lost, run the replay again");
        }
        return outcome.watermarkAfter().get(slice.source());
    }

    /** Closes the writer threads and the DynamoDB client. */
    @Override
    public void close() {
        store.close();
        dynamo.close();
    }
}
