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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
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
 *
 * <p><em>Read missing items first</em> (an option, for callers whose consecutive batches may run in different
 * processes, like Lambda execution environments): before writing, the items the cache cannot vouch for (absent, or
 * touched by a source the caller names as possibly advanced elsewhere) are read with strongly consistent
 * {@code BatchGetItem} requests of at most 100 keys, their {@code UnprocessedKeys} retried with {@link Backoff}; the
 * write then starts from the state read, so an item that another process continued costs one read instead of a
 * failed conditional write plus an exception. A key still unprocessed after the retries, a failed request or an item
 * that does not decode falls back to the cached guess. Without the option, a miss is written as a new item and a
 * failed condition is the read.
 */
public final class WindowStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WindowStore.class);
    private static final String CONDITION_NEW = "attribute_not_exists(" + ItemCodec.DEVICE_ID + ")";
    private static final String CONDITION_VERSION = "#v = :v";
    private static final int MAX_CONFLICTS = 32;
    /** BatchGetItem's limit on keys per request (DynamoDB API reference). */
    static final int MAX_BATCH_GET_KEYS = 100;

    private final DynamoDbClient client;
    private final String table;
    private final ItemMerger merger;
    private final Metrics metrics;
    private final Backoff backoff;
    private final Clock clock;
    private final ExecutorService pool;
    private final Map<WindowKey, ItemState> cache;
    private final boolean readMissingFirst;

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
     * @param readMissingFirst read the items the cache cannot vouch for before writing them (see the class comment);
     *                    worth it when most such items already exist, i.e. when batches move between processes
     */
    public WindowStore(DynamoDbClient client, String table, AggregatorSettings settings, Metrics metrics,
                       int concurrency, Backoff backoff, Clock clock, int cacheSize, boolean readMissingFirst) {
        if (concurrency < 1 || concurrency > 64) {
            throw new IllegalArgumentException("concurrency must be 1..64, got " + concurrency);
        }
        this.client = Objects.requireNonNull(client, "client");
        this.table = Objects.requireNonNull(table, "table");
        this.merger = new ItemMerger(settings);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.readMissingFirst = readMissingFirst;
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
     * Applies deltas for distinct items, in parallel, and waits for all of them; every cached state is trusted as a
     * first guess.
     *
     * @param deltas one per item
     * @return which deltas failed after bounded retries; readings of successful deltas are in the table
     * @throws InterruptedException if interrupted while waiting (writes in flight may still land; that is safe)
     */
    public ApplyResult apply(Collection<ItemDelta> deltas) throws InterruptedException {
        return apply(deltas, Set.of());
    }

    /**
     * Applies deltas for distinct items, in parallel, and waits for all of them.
     *
     * @param deltas       one per item
     * @param staleSources {@code topic-partition} names whose items may have been written by another process since
     *                     this one cached them (with read-missing-first, such items are read like cache misses)
     * @return which deltas failed after bounded retries; readings of successful deltas are in the table
     * @throws InterruptedException if interrupted while waiting (writes in flight may still land; that is safe)
     */
    public ApplyResult apply(Collection<ItemDelta> deltas, Set<String> staleSources) throws InterruptedException {
        List<ItemDelta> order = new ArrayList<>(deltas);
        Map<WindowKey, Optional<ItemState>> known = readMissingFirst ? readMissing(order, staleSources) : Map.of();
        List<Future<Boolean>> futures = new ArrayList<>(order.size());
        for (ItemDelta d : order) {
            Optional<ItemState> read = known.get(d.key());
            ItemState start = read != null ? read.orElse(null) : cache.get(d.key());
            futures.add(pool.submit(() -> applyOne(d, start)));
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

    /**
     * Reads, in parallel chunks of at most {@link #MAX_BATCH_GET_KEYS}, the items the cache cannot vouch for.
     *
     * @return per key read: the item's state, or empty if it does not exist; keys that could not be read are absent
     */
    private Map<WindowKey, Optional<ItemState>> readMissing(List<ItemDelta> deltas, Set<String> staleSources)
            throws InterruptedException {
        List<WindowKey> keys = new ArrayList<>();
        for (ItemDelta d : deltas) {
            if (!cache.containsKey(d.key()) || !staleSources.isEmpty() && d.contributions().values().stream()
                    .anyMatch(c -> staleSources.contains(c.source()))) {
                keys.add(d.key());
            }
        }
        List<Future<Map<WindowKey, Optional<ItemState>>>> chunks = new ArrayList<>();
        for (int i = 0; i < keys.size(); i += MAX_BATCH_GET_KEYS) {
            List<WindowKey> chunk = keys.subList(i, Math.min(keys.size(), i + MAX_BATCH_GET_KEYS));
            chunks.add(pool.submit(() -> readChunk(chunk)));
        }
        Map<WindowKey, Optional<ItemState>> known = new HashMap<>();
        for (Future<Map<WindowKey, Optional<ItemState>>> f : chunks) {
            try {
                known.putAll(f.get());
            } catch (ExecutionException e) {
                LOG.warn("{\"event\":\"item_read_error\",\"error\":\"{}\"}", e.getCause().toString());
            }
        }
        return known;
    }

    /** One chunk: a consistent {@code BatchGetItem}, its unprocessed keys retried with the backoff. */
    private Map<WindowKey, Optional<ItemState>> readChunk(List<WindowKey> chunk) throws InterruptedException {
        Map<WindowKey, Optional<ItemState>> known = new HashMap<>();
        List<Map<String, AttributeValue>> pending = new ArrayList<>(chunk.size());
        for (WindowKey k : chunk) {
            pending.add(ItemCodec.key(k));
        }
        int retries = 0;
        while (true) {
            List<Map<String, AttributeValue>> ask = pending;
            try {
                BatchGetItemResponse got = client.batchGetItem(b -> b.requestItems(
                        Map.of(table, KeysAndAttributes.builder().keys(ask).consistentRead(true).build())));
                KeysAndAttributes left = got.unprocessedKeys().get(table);
                pending = left == null || !left.hasKeys() ? List.of() : left.keys();
                // Keys not to mark "does not exist" below: unprocessed ones, and items that exist but do not decode
                // (left unknown: the write path meets the same item and reports it per item).
                Set<WindowKey> unanswered = new HashSet<>();
                for (Map<String, AttributeValue> k : pending) {
                    unanswered.add(keyOf(k));
                }
                for (Map<String, AttributeValue> item : got.responses().getOrDefault(table, List.of())) {
                    WindowKey k = keyOf(item);
                    try {
                        known.put(k, Optional.of(ItemCodec.fromItem(item)));
                    } catch (IllegalArgumentException e) {
                        unanswered.add(k);
                        LOG.warn("{\"event\":\"item_unreadable\",\"key\":\"{}\"}", k);
                    }
                }
                for (Map<String, AttributeValue> k : ask) {
                    WindowKey wk = keyOf(k);
                    if (!unanswered.contains(wk)) {
                        known.putIfAbsent(wk, Optional.empty());
                    }
                }
                metrics.reads(ask.size() - pending.size());
                if (pending.isEmpty()) {
                    return known;
                }
            } catch (SdkException e) {
                if (!retryable(e)) {
                    LOG.warn("{\"event\":\"item_read_failed\",\"keys\":{},\"error\":\"{}\"}",
                            pending.size(), e.toString());
                    return known;
                }
            }
            if (++retries >= backoff.maxAttempts()) {
                LOG.warn("{\"event\":\"item_read_gave_up\",\"keys\":{},\"retries\":{}}", pending.size(), retries);
                return known;
            }
            metrics.throttled();
            backoff.sleep(retries);
        }
    }

    private static WindowKey keyOf(Map<String, AttributeValue> item) {
        return new WindowKey(Integer.parseInt(item.get(ItemCodec.DEVICE_ID).n()),
                Long.parseLong(item.get(ItemCodec.WINDOW_START).n()));
    }

    private boolean applyOne(ItemDelta delta, ItemState start) throws InterruptedException {
        WindowKey key = delta.key();
        ItemState current = start;
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
        metrics.reads(1);
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
