package io.sluice.jmh;

import io.sluice.aggregator.core.AggregatorSettings;
import io.sluice.aggregator.core.BatchPreparer;
import io.sluice.aggregator.core.ConsumedRecord;
import io.sluice.aggregator.core.ItemDelta;
import io.sluice.aggregator.core.ItemMerger;
import io.sluice.aggregator.core.ItemState;
import io.sluice.aggregator.core.OffsetRanges;
import io.sluice.aggregator.core.PartitionSlice;
import io.sluice.aggregator.core.PreparedBatch;
import io.sluice.aggregator.core.WindowKey;
import io.sluice.aggregator.dynamo.ItemCodec;
import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the aggregator core on one thread, in readings/s, with the exactly-once bookkeeping and no network:
 * per batch, {@link BatchPreparer#prepare} (JSON decoding, validation, tumbling windows, the watermark and lateness,
 * pre-aggregation with per-reading offsets), then per item {@link ItemMerger#merge} against the item's last state
 * (leaving out decided offsets, widening the {@code applied} offset ranges, version + 1); {@link
 * #coreAndItemEncoding()} adds {@link ItemCodec#toItem} (the full item a conditional {@code PutItem} carries), which
 * is what {@code WindowStore} does per item before its network call. An in-memory map stands in for the table.
 *
 * <p>Data: {@value #DEVICES} devices reporting every 100 ms for {@value #SECONDS} s ({@value #READINGS} readings,
 * about 75 bytes of JSON each, one partition), 1-minute windows, the default lateness. One invocation takes the next
 * {@value #CHUNK} readings in batches of {@code batch} records (Lambda's default {@code BatchSize} is 100; the
 * README recommends 1,000 or more), so the score is readings/s; after the last reading the data starts over with an
 * empty table.
 *
 * <p>Run: {@code bench/run-aggregator-jmh.sh} (JMH options may follow, e.g. {@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class AggregatorCoreBenchmark {

    static final int DEVICES = 100;
    static final int SECONDS = 600;
    static final int READINGS = DEVICES * SECONDS * 10;
    /** Readings per invocation: a multiple of every batch size, and a divisor of {@link #READINGS}. */
    static final int CHUNK = 10_000;

    /** Records per batch (per Lambda invocation or runner poll). */
    @Param({"100", "1000", "10000"})
    public int batch;

    private List<ConsumedRecord> records;
    private BatchPreparer preparer;
    private ItemMerger merger;
    private Map<WindowKey, ItemState> table;
    private long watermark;
    private int next;

    /** Builds the readings (fixed seed) and the core. */
    @Setup
    public void setUp() {
        records = readings();
        AggregatorSettings settings = AggregatorSettings.defaults();
        // A fixed clock just after the data, so the clock-skew rule sees what it sees in production.
        preparer = new BatchPreparer(settings, Clock.fixed(Instant.parse("2026-11-21T07:10:30Z"), ZoneOffset.UTC));
        merger = new ItemMerger(settings);
        next = records.size();
    }

    /**
     * The next {@value #CHUNK} readings through the core: prepare each batch, merge each item delta into the item's
     * last state (the exactly-once bookkeeping). This is the figure the 1M readings/s goal is measured on.
     *
     * @return the table, so the work is not eliminated
     */
    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public Map<WindowKey, ItemState> core() {
        return pass(false);
    }

    /**
     * {@link #core()} plus {@link ItemCodec#toItem} for every item written: the full per-item work before
     * {@code PutItem}'s network call (the AWS SDK's {@code AttributeValue} building included).
     *
     * @return the table, so the work is not eliminated
     */
    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public Map<WindowKey, ItemState> coreAndItemEncoding() {
        return pass(true);
    }

    private Map<WindowKey, ItemState> pass(boolean encode) {
        if (next == records.size()) {
            // Start the data over with an empty table, as if on a new partition.
            next = 0;
            table = new HashMap<>();
            watermark = PartitionSlice.NO_WATERMARK;
        }
        long written = 0;
        int end = next + CHUNK;
        for (int from = next; from < end; from += batch) {
            List<ConsumedRecord> slice = records.subList(from, from + batch);
            PreparedBatch b = preparer.prepare(List.of(new PartitionSlice("readings", 0,
                    OffsetRanges.of(0, slice.get(slice.size() - 1).offset()), watermark, slice)));
            watermark = b.watermarkAfter().get("readings-0");
            for (ItemDelta d : b.deltas().values()) {
                ItemMerger.Result r = merger.merge(table.get(d.key()), d, 0);
                if (r.next() != null) {
                    written += encode ? ItemCodec.toItem(r.next()).size() : 1;
                    table.put(d.key(), r.next());
                }
            }
        }
        next = end;
        if (written == 0) {
            throw new IllegalStateException("nothing written");
        }
        return table;
    }

    static List<ConsumedRecord> readings() {
        Random rnd = new Random(1);
        double[] temp = new double[DEVICES + 1];
        for (int d = 1; d <= DEVICES; d++) {
            temp[d] = BigDecimal.valueOf(25 + rnd.nextDouble() * 10).setScale(2, RoundingMode.HALF_UP).doubleValue();
        }
        Instant start = Instant.parse("2026-11-21T07:00:00Z");
        List<ConsumedRecord> out = new ArrayList<>(READINGS);
        for (int tick = 0; tick < SECONDS * 10; tick++) {
            for (int d = 1; d <= DEVICES; d++) {
                temp[d] = BigDecimal.valueOf(temp[d]).add(BigDecimal.valueOf(rnd.nextInt(3) - 1)).doubleValue();
                Reading r = new Reading(d, start.plusMillis(tick * 100L), temp[d]);
                out.add(new ConsumedRecord("readings", 0, out.size(), ReadingJson.toBytes(r)));
            }
        }
        return out;
    }
}
