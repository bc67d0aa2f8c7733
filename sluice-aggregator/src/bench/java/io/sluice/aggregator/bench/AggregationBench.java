package io.sluice.aggregator.bench;

import io.sluice.aggregator.core.AggregatorSettings;
import io.sluice.aggregator.core.BatchPreparer;
import io.sluice.aggregator.core.ItemDelta;
import io.sluice.aggregator.core.ItemMerger;
import io.sluice.aggregator.core.ItemState;
import io.sluice.aggregator.core.OffsetRanges;
import io.sluice.aggregator.core.PartitionSlice;
import io.sluice.aggregator.core.PreparedBatch;
import io.sluice.aggregator.core.ReadingRules;
import io.sluice.aggregator.core.ConsumedRecord;
import io.sluice.aggregator.core.Stats;
import io.sluice.aggregator.core.WindowKey;
import io.sluice.aggregator.dynamo.ItemCodec;
import io.sluice.core.InvalidReadingException;
import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Benchmark of the aggregation core without I/O: readings per second through decoding, validation, windowing,
 * per-batch pre-aggregation and the exactly-once merge, and DynamoDB item writes per 1,000 readings, at 100
 * devices reporting every 100 ms with 1-minute windows, for several batch sizes. Beside it, in the same run, the
 * source material's design: one DynamoDB write per reading (its Lambda updated per record), measured over the same
 * records with the same parsing. The "store" is an in-memory map standing in for DynamoDB.
 *
 * <p>Run: {@code ./mvnw -B -q -pl sluice-core,sluice-aggregator -am install -DskipTests} then
 * {@code ./mvnw -B -q -pl sluice-aggregator -Pbench test-compile exec:java}.
 */
public final class AggregationBench {

    private static final int DEVICES = 100;
    private static final int SECONDS = 600;           // 10 minutes of data: 600,000 readings
    private static final int[] BATCH_SIZES = {100, 500, 1_000, 5_000, 10_000};
    private static final int RUNS = 5;

    private AggregationBench() {
    }

    /**
     * Entry point; prints a Markdown table.
     *
     * @param args unused
     */
    public static void main(String[] args) throws Exception {
        List<ConsumedRecord> records = data();
        AggregatorSettings settings = AggregatorSettings.defaults();
        System.out.printf("JVM %s, %d cores; %,d readings, %d devices every 100 ms, 1-minute windows, median of %d runs%n%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), records.size(), DEVICES, RUNS);
        System.out.println("| design | batch size | readings/s (core, no I/O) | DynamoDB writes per 1,000 readings | items |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (int batch : BATCH_SIZES) {
            long[] writes = new long[1];
            int[] items = new int[1];
            double rate = median(() -> {
                Result r = sluice(records, settings, batch);
                writes[0] = r.writes;
                items[0] = r.items;
            }, records.size());
            System.out.printf("| Sluice (pre-aggregate per batch, conditional write per item) | %,d | %,.0f | %.1f | %d |%n",
                    batch, rate, writes[0] * 1000.0 / records.size(), items[0]);
        }
        long[] perRecordWrites = new long[1];
        double rate = median(() -> perRecordWrites[0] = perRecord(records, settings), records.size());
        System.out.printf("| source material (one write per reading) | any | %,.0f | %.1f | - |%n", rate,
                perRecordWrites[0] * 1000.0 / records.size());
        Result one = sluice(records, settings, 1_000);
        System.out.printf("%nMean encoded item size (attribute names + values, DynamoDB sizing rules approx.): %d bytes%n",
                one.meanItemBytes);
    }

    private record Result(long writes, int items, long meanItemBytes) {
    }

    private static Result sluice(List<ConsumedRecord> records, AggregatorSettings settings, int batch) {
        BatchPreparer preparer = new BatchPreparer(settings);
        ItemMerger merger = new ItemMerger(settings);
        Map<WindowKey, ItemState> table = new HashMap<>();
        long writes = 0;
        long wm = PartitionSlice.NO_WATERMARK;
        for (int from = 0; from < records.size(); from += batch) {
            List<ConsumedRecord> slice = records.subList(from, Math.min(records.size(), from + batch));
            PreparedBatch b = preparer.prepare(List.of(new PartitionSlice("readings", 0,
                    OffsetRanges.of(0, slice.get(slice.size() - 1).offset()), wm, slice)));
            wm = b.watermarkAfter().get("readings-0");
            for (ItemDelta d : b.deltas().values()) {
                ItemMerger.Result r = merger.merge(table.get(d.key()), d, 0);
                if (r.next() != null) {
                    table.put(d.key(), r.next());
                    writes++;
                }
            }
        }
        long bytes = 0;
        for (ItemState s : table.values()) {
            bytes += ItemCodec.toItem(s).entrySet().stream().mapToLong(e -> e.getKey().length()
                    + (e.getValue().n() != null ? e.getValue().n().length()
                    : e.getValue().m().entrySet().stream().mapToLong(x -> x.getKey().length() + x.getValue().s().length()).sum()))
                    .sum();
        }
        return new Result(writes, table.size(), bytes / Math.max(1, table.size()));
    }

    /** The per-record design: parse each reading and update its item right away, one write each. */
    private static long perRecord(List<ConsumedRecord> records, AggregatorSettings settings) {
        Map<WindowKey, Stats> table = new HashMap<>();
        long writes = 0;
        for (ConsumedRecord r : records) {
            ReadingRules.Accepted a;
            try {
                a = ReadingRules.check(r.value());
            } catch (InvalidReadingException e) {
                continue;
            }
            table.merge(new WindowKey(a.deviceId(), settings.windowStart(a.eventMs())),
                    Stats.of(a.temperature(), a.eventMs()), Stats::merge);
            writes++;
        }
        return writes;
    }

    private static double median(Runnable run, int readings) {
        run.run(); // warm-up
        run.run();
        double[] rates = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            run.run();
            rates[i] = readings / ((System.nanoTime() - t0) / 1e9);
        }
        Arrays.sort(rates);
        return rates[RUNS / 2];
    }

    private static List<ConsumedRecord> data() {
        Random rnd = new Random(1);
        double[] temp = new double[DEVICES + 1];
        for (int d = 1; d <= DEVICES; d++) {
            temp[d] = BigDecimal.valueOf(25 + rnd.nextDouble() * 10).setScale(2, RoundingMode.HALF_UP).doubleValue();
        }
        Instant start = Instant.parse("2026-11-21T07:00:00Z");
        List<ConsumedRecord> out = new ArrayList<>(DEVICES * SECONDS * 10);
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
