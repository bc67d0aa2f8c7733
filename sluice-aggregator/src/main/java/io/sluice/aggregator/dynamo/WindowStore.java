package io.sluice.aggregator.dynamo;

import io.sluice.aggregator.core.AggregatorSettings;
import io.sluice.aggregator.core.ItemDelta;
import io.sluice.aggregator.core.ItemMerger;
import io.sluice.aggregator.core.ItemState;
import io.sluice.aggregator.core.Metrics;
import io.sluice.aggregator.core.WindowKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Applies item deltas to the DynamoDB table with conditional writes, exactly once per reading.
 *
 * <p>Each item is written with a single {@code PutItem} (DynamoDB API) carrying the full merged state, conditioned
 * on the item's {@code version} being the one the merge started from ({@code attribute_not_exists(device_id)} for a
 * new item). A failed condition ({@code ConditionalCheckFailedException}) returns the current item
 * ({@code ReturnValuesOnConditionCheckFailure=ALL_OLD}, or a consistent {@code GetItem} if absent); the delta is
 * merged again against it and retried. Throttling ({@code ProvisionedThroughputExceededException},
 * {@code RequestLimitExceeded}, {@code ThrottlingException}), 5xx and client I/O errors are retried with
 * {@link Backoff} (bounded, full jitter). {@code BatchWriteItem} is not used because it cannot carry conditions, so
 * there are no unprocessed items to resubmit.
 *
 * <p>The last known state of recently written items is cached (bounded LRU) so the common case needs no read; the
 * cache is only a guess, the version condition keeps it safe. Distinct items are written in parallel. Thread-safe.
 */
public final class WindowStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WindowStore.class);
    private static final String CONDITION_NEW = "attribute_not_exists(" + ItemCodec.DEVICE_ID + ")";
    private static final String CONDITION_VERSION = "#v = :v";
    private static final int MAX_CONFLICTS = 32;

    private final DynamoDbClient client;
    private final String table;
    private final ItemMerger merger;
    private final Metrics metrics;
    private final Backoff backoff;
    private final Clock clock;
    private final ExecutorService pool;
    private final Map<WindowKey, ItemState> cache;

    /**
     * Outcome of {@link #apply}.
     *
     * @param failed deltas whose writes were given up after bounded retries (empty on full success)
     */
    public record ApplyResult(List<ItemDelta> failed) {
        /** Copies the list. */
        public ApplyResult {
            failed = List.copyOf(failed);
        }

        /** Returns whether every delta was applied (or found already applied). */
        public boolean ok() {
            return failed.isEmpty();
        }
    }

    /**
     * Creates a store.
     *
     * @param client      DynamoDB client (not closed by this store)
     * @param table       table name, created by {@link TableSetup#createIfMissing}
     * @param settings    window length and TTL
     * @param metrics     counters to update
     * @param concurrency parallel item writes, 1..64
     * @param backoff     retry policy for throttling and transient errors
     * @param clock       clock for {@code updated_at}
     * @param cacheSize   number of item states to remember, 0 to disable the cache
     */
    public WindowStore(DynamoDbClient client, String table, AggregatorSettings settings, Metrics metrics,
                       int concurrency, Backoff backoff, Clock clock, int cacheSize) {
        if (concurrency < 1 || concurrency > 64) {
            throw new IllegalArgumentException("concurrency must be 1..64, got " + concurrency);
        }
        this.client = Objects.requireNonNull(client, "client");
        this.table = Objects.requireNonNull(table, "table");
        this.merger = new ItemMerger(settings);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.clock = Objects.requireNonNull(clock, "clock");
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "sluice-dynamo-writer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.cache = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<WindowKey, ItemState> eldest) {
                return size() > cacheSize;
            }
        });
    }

    /**
     * Applies deltas for distinct items, in parallel, and waits for all of them.
     *
     * @param deltas one per item
     * @return which deltas failed after bounded retries; readings of successful deltas are in the table
     * @throws InterruptedException if interrupted while waiting (writes in flight may still land; that is safe)
     */
    public ApplyResult apply(Collection<ItemDelta> deltas) throws InterruptedException {
        List<Future<Boolean>> futures = new ArrayList<>(deltas.size());
        List<ItemDelta> order = new ArrayList<>(deltas);
        for (ItemDelta d : order) {
            futures.add(pool.submit(() -> applyOne(d)));
        }
        List<ItemDelta> failed = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            boolean ok;
            try {
                ok = futures.get(i).get();
            } catch (ExecutionException e) {
                LOG.error("{\"event\":\"item_write_error\",\"key\":\"{}\"}", order.get(i).key(), e.getCause());
                ok = false;
            }
            if (!ok) {
                metrics.failedItem();
                failed.add(order.get(i));
            }
        }
        return new ApplyResult(failed);
    }

    private boolean applyOne(ItemDelta delta) throws InterruptedException {
        WindowKey key = delta.key();
        ItemState current = cache.get(key);
        int conflicts = 0;
        int retries = 0;
        while (true) {
            ItemMerger.Result r = merger.merge(current, delta, clock.millis());
            if (r.next() == null) {
                metrics.duplicates(r.duplicates());
                return true;
            }
            PutItemRequest.Builder put = PutItemRequest.builder().tableName(table)
                    .item(ItemCodec.toItem(r.next()))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
            if (current == null) {
                put.conditionExpression(CONDITION_NEW);
            } else {
                put.conditionExpression(CONDITION_VERSION)
                        .expressionAttributeNames(Map.of("#v", ItemCodec.VERSION))
                        .expressionAttributeValues(Map.of(":v", ItemCodec.n(current.version())));
            }
            try {
                client.putItem(put.build());
                cache.put(key, r.next());
                metrics.written(r.fresh(), r.duplicates());
                return true;
            } catch (ConditionalCheckFailedException e) {
                metrics.conflict();
                cache.remove(key);
                if (++conflicts > MAX_CONFLICTS) {
                    LOG.warn("{\"event\":\"item_write_conflicts\",\"key\":\"{}\",\"conflicts\":{}}", key, conflicts);
                    return false;
                }
                current = e.hasItem() && !e.item().isEmpty() ? ItemCodec.fromItem(e.item()) : read(key);
            } catch (SdkException e) {
                if (!retryable(e) || ++retries >= backoff.maxAttempts()) {
                    LOG.warn("{\"event\":\"item_write_failed\",\"key\":\"{}\",\"retries\":{},\"error\":\"{}\"}",
                            key, retries, e.toString());
                    return false;
                }
                metrics.throttled();
                backoff.sleep(retries);
            }
        }
    }

    private ItemState read(WindowKey key) {
        GetItemResponse got = client.getItem(b -> b.tableName(table).key(ItemCodec.key(key)).consistentRead(true));
        Map<String, AttributeValue> item = got.item();
        return got.hasItem() && !item.isEmpty() ? ItemCodec.fromItem(item) : null;
    }

    /** Returns whether an error is worth retrying: throttling, a 5xx, or a client-side I/O failure. */
    static boolean retryable(SdkException e) {
        if (e instanceof AwsServiceException ase) {
            return ase.isThrottlingException() || ase.statusCode() >= 500
                    || "RequestLimitExceeded".equals(ase.awsErrorDetails() == null ? null
                    : ase.awsErrorDetails().errorCode());
        }
        return e instanceof SdkClientException;
    }

    /** Stops the writer threads; does not close the DynamoDB client. */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
