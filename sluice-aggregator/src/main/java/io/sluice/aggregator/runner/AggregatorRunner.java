package io.sluice.aggregator.runner;

import io.sluice.aggregator.Aggregator;
import io.sluice.aggregator.core.Metrics;
import io.sluice.aggregator.core.OffsetRanges;
import io.sluice.aggregator.core.PartitionSlice;
import io.sluice.aggregator.core.ConsumedRecord;
import io.sluice.aggregator.dynamo.Backoff;
import io.sluice.aggregator.dynamo.DynamoClients;
import io.sluice.aggregator.dynamo.TableSetup;
import io.sluice.aggregator.dynamo.WindowStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The standalone aggregator: a Kafka consumer group member that aggregates readings into DynamoDB and commits
 * offsets only after the DynamoDB writes of a batch have succeeded (manual commits, {@code enable.auto.commit=false}).
 * For EC2, ECS, Kubernetes and the local stack; same core and same exactly-once guarantees as the Lambda handler.
 *
 * <p>Each {@code poll} is one batch over all assigned partitions. On success the runner commits, per partition, the
 * next offset with the partition watermark in the commit metadata (so a restart judges lateness the same way). If
 * some items still fail after bounded retries, the runner seeks every partition of the batch back to the batch
 * start and retries with backoff; after 10 consecutive failed batches it stops with an error
 * ({@link #failure()}). A crash at any point is safe: uncommitted records are redelivered and the conditional
 * writes skip what was already applied.
 *
 * <pre>{@code
 * RunnerConfig cfg = RunnerConfig.defaults("127.0.0.1:9092", "readings", "sluice-aggregator",
 *         URI.create("http://127.0.0.1:8000"), "us-east-1", "sluice_device_windows");
 * try (AggregatorRunner runner = new AggregatorRunner(cfg)) {
 *     runner.start();          // background thread; or runner.run() to block the caller
 *     ...
 * }                            // close(): stop polling, finish the batch in hand, close clients
 * }</pre>
 */
public final class AggregatorRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AggregatorRunner.class);
    private static final int MAX_CONSECUTIVE_FAILURES = 10;
    private static final Backoff BATCH_BACKOFF = new Backoff(200, 5_000, MAX_CONSECUTIVE_FAILURES + 1);

    /** The runner's own knowledge of one assigned partition. */
    private record Cursor(long sessionStart, long watermark) {
    }

    private final RunnerConfig config;
    private final DynamoDbClient dynamo;
    private final WindowStore store;
    private final Aggregator aggregator;
    private final Metrics metrics = new Metrics();
    private final Map<TopicPartition, Cursor> cursors = new ConcurrentHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;
    private volatile Thread loopThread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Throwable failure;
    private volatile long committedBatches;
    private Thread thread;

    /**
     * Creates a runner and its DynamoDB client; creates the table if {@link RunnerConfig#createTable()}. Does not
     * connect to Kafka until {@link #start()} or {@link #run()}.
     *
     * @param config configuration
     * @throws software.amazon.awssdk.core.exception.SdkException if the table cannot be created
     */
    public AggregatorRunner(RunnerConfig config) {
        this.config = config;
        this.dynamo = DynamoClients.create(config.dynamoEndpoint(), config.region());
        try {
            if (config.createTable()) {
                TableSetup.createIfMissing(dynamo, config.table());
            }
            this.store = new WindowStore(dynamo, config.table(), config.aggregation(), metrics,
                    config.writeConcurrency(), Backoff.DEFAULT, Clock.systemUTC(), 20_000, false);
        } catch (RuntimeException e) {
            dynamo.close();
            throw e;
        }
        this.aggregator = new Aggregator(config.aggregation(), store, metrics);
    }

    /**
     * Runs the poll loop on a new non-daemon thread named {@code sluice-aggregator-runner}.
     *
     * @throws IllegalStateException if already started
     */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(this::runCatching, "sluice-aggregator-runner");
        thread.start();
    }

    private void runCatching() {
        try {
            run();
        } catch (RuntimeException e) {
            LOG.error("{\"event\":\"runner_failed\"}", e);
        }
    }

    /**
     * Runs the poll loop in the calling thread until {@link #close()} is called or it fails.
     *
     * @throws IllegalStateException if processing failed {@value #MAX_CONSECUTIVE_FAILURES} batches in a row, or
     *                               the thread was interrupted
     */
    public void run() {
        loopThread = Thread.currentThread();
        Properties props = new Properties();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-aggregator");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.maxPollRecords()));
        props.putAll(config.consumerOverrides());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            if (closing) {
                return;
            }
            c.subscribe(List.of(config.topic()), new Listener(c));
            LOG.info("{\"event\":\"runner_started\",\"topic\":\"{}\",\"group\":\"{}\",\"table\":\"{}\"}",
                    config.topic(), config.groupId(), config.table());
            loop(c);
        } catch (WakeupException e) {
            if (!closing) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
            throw new IllegalStateException("runner interrupted", e);
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            consumer = null;
            LOG.info("{\"event\":\"runner_stopped\",\"metrics\":\"{}\"}", metrics.snapshot());
            stopped.countDown();
        }
    }

    private void loop(KafkaConsumer<byte[], byte[]> c) throws InterruptedException {
        int failures = 0;
        while (!closing) {
            ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(500));
            if (records.isEmpty()) {
                continue;
            }
            List<PartitionSlice> slices = new ArrayList<>();
            Map<TopicPartition, long[]> range = new HashMap<>();
            for (TopicPartition tp : records.partitions()) {
                List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
                List<ConsumedRecord> srs = new ArrayList<>(list.size());
                for (ConsumerRecord<byte[], byte[]> r : list) {
                    srs.add(new ConsumedRecord(r.topic(), r.partition(), r.offset(), r.value()));
                }
                long first = list.get(0).offset();
                long last = list.get(list.size() - 1).offset();
                Cursor cur = cursors.computeIfAbsent(tp, k -> new Cursor(first, PartitionSlice.NO_WATERMARK));
                // Every record of tp from the session start up to 'first' went through a successful batch of
                // this consumer, so the claim may start at the session start.
                OffsetRanges claim = OffsetRanges.of(Math.min(cur.sessionStart(), first), last);
                slices.add(new PartitionSlice(tp.topic(), tp.partition(), claim, cur.watermark(), srs));
                range.put(tp, new long[] {first, last});
            }
            Aggregator.Outcome outcome = aggregator.process(slices);
            if (outcome.ok()) {
                failures = 0;
                Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
                for (Map.Entry<TopicPartition, long[]> e : range.entrySet()) {
                    TopicPartition tp = e.getKey();
                    long wm = outcome.watermarkAfter().get(ConsumedRecord.sourceName(tp.topic(), tp.partition()));
                    cursors.computeIfPresent(tp, (k, cur) -> new Cursor(cur.sessionStart(), wm));
                    commits.put(tp, new OffsetAndMetadata(e.getValue()[1] + 1, WatermarkMetadata.encode(wm)));
                }
                try {
                    c.commitSync(commits);
                    committedBatches++;
                } catch (CommitFailedException | RebalanceInProgressException e) {
                    // Partitions moved; their new owner redelivers from the last commit and the writes dedupe.
                    LOG.warn("{\"event\":\"commit_failed\",\"error\":\"{}\"}", e.toString());
                }
            } else {
                failures++;
                LOG.warn("{\"event\":\"batch_failed\",\"consecutive\":{},\"partitions\":\"{}\"}", failures,
                        outcome.failedFrom().keySet());
                for (Map.Entry<TopicPartition, long[]> e : range.entrySet()) {
                    c.seek(e.getKey(), e.getValue()[0]);
                }
                if (failures >= MAX_CONSECUTIVE_FAILURES) {
                    throw new IllegalStateException("DynamoDB writes failed for " + failures + " batches in a row");
                }
                BATCH_BACKOFF.sleep(failures);
            }
        }
    }

    /** Tracks the session start and watermark of each assigned partition. */
    private final class Listener implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> c;

        Listener(KafkaConsumer<byte[], byte[]> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = c.committed(Set.copyOf(partitions));
            for (TopicPartition tp : partitions) {
                long position = c.position(tp);
                OffsetAndMetadata om = committed.get(tp);
                long wm = om != null && om.offset() == position
                        ? WatermarkMetadata.decode(om.metadata()) : PartitionSlice.NO_WATERMARK;
                cursors.put(tp, new Cursor(position, wm));
            }
            LOG.info("{\"event\":\"partitions_assigned\",\"partitions\":\"{}\"}", partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(cursors::remove);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(cursors::remove);
        }
    }

    /** Returns the counters of this runner. */
    public Metrics.Snapshot metrics() {
        return metrics.snapshot();
    }

    /** Returns the number of batches whose offsets were committed. */
    public long committedBatches() {
        return committedBatches;
    }

    /** Returns the error that stopped the loop, or null if it has not failed. */
    public Throwable failure() {
        return failure;
    }

    /**
     * Stops the loop (finishing the batch in hand, whose commit may or may not happen; both are safe), waits up to
     * 60 s for it, then closes the consumer, the writer threads and the DynamoDB client. Idempotent.
     */
    @Override
    public void close() {
        closing = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        boolean started;
        synchronized (this) {
            started = thread != null;
        }
        try {
            Thread loop = loopThread;
            if ((started || loop != null) && loop != Thread.currentThread()) {
                stopped.await(60, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            store.close();
            dynamo.close();
        }
    }
}
