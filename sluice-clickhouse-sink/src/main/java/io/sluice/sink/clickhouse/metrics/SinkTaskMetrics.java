package io.sluice.sink.clickhouse.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The counters of one sink task, updated by the task thread and its insert threads and read by metric reporters
 * (see {@link MetricsRegistration}) and the periodic summary log line. Counts are totals since the task started;
 * insert latency is the wall time of one batch insert including retries, in milliseconds.
 *
 * <p>Kafka consumer lag is not repeated here: the worker's consumer already reports it per partition
 * ({@code records-lag}, {@code records-lag-max} in {@code consumer-fetch-manager-metrics}). {@code records-pending}
 * is the sink's own lag: records received but not yet in ClickHouse.
 */
public final class SinkTaskMetrics {

    /** One metric: name (kebab-case, as Kafka names metrics), description and current value. */
    public static final class Metric {
        private final String name;
        private final String description;
        private final Supplier<Number> value;

        Metric(String name, String description, Supplier<Number> value) {
            this.name = name;
            this.description = description;
            this.value = value;
        }

        /** Returns the metric name. */
        public String name() {
            return name;
        }

        /** Returns what the metric measures, with its unit. */
        public String description() {
            return description;
        }

        /** Returns the current value. */
        public Number value() {
            return value.get();
        }
    }

    private final LongAdder received = new LongAdder();
    private final LongAdder inserted = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder latencyTotalMs = new LongAdder();
    private final AtomicLong latencyMaxMs = new AtomicLong();
    private final List<Metric> metrics;

    /**
     * @param pending number of records received and not yet in ClickHouse (buffered or being inserted)
     * @param paused  number of partitions paused for back pressure
     */
    public SinkTaskMetrics(LongSupplier pending, LongSupplier paused) {
        List<Metric> m = new ArrayList<>();
        m.add(new Metric("records-received", "Records the task received from Kafka Connect (total)", received::sum));
        m.add(new Metric("records-inserted", "Rows inserted into ClickHouse (total)", inserted::sum));
        m.add(new Metric("records-dead-lettered", "Records sent to the dead-letter queue (total)", deadLettered::sum));
        m.add(new Metric("records-skipped", "Records skipped because an earlier task had already written them "
                + "(exactly-once resume; total)", skipped::sum));
        m.add(new Metric("records-pending", "Records received and not yet in ClickHouse: buffered or being inserted",
                pending::getAsLong));
        m.add(new Metric("batches-inserted", "Insert requests that succeeded (total)", batches::sum));
        m.add(new Metric("bytes-inserted", "RowBinary bytes inserted, before compression (total)", bytes::sum));
        m.add(new Metric("insert-latency-avg-ms", "Average time of one insert, including retries, in milliseconds",
                () -> {
                    long n = batches.sum();
                    return n == 0 ? 0.0 : latencyTotalMs.sum() / (double) n;
                }));
        m.add(new Metric("insert-latency-max-ms", "Longest time of one insert, including retries, in milliseconds",
                latencyMaxMs::get));
        m.add(new Metric("partitions-paused", "Partitions paused because their table's insert is still running",
                paused::getAsLong));
        this.metrics = Collections.unmodifiableList(m);
    }

    /** Returns every metric, in a fixed order. */
    public List<Metric> all() {
        return metrics;
    }

    /** Counts records handed to the task. */
    public void received(int n) {
        received.add(n);
    }

    /** Counts a dead-lettered record. */
    public void deadLettered() {
        deadLettered.increment();
    }

    /** Counts a record skipped because it is already a row. */
    public void skipped() {
        skipped.increment();
    }

    /**
     * Records one successful insert.
     *
     * @param rows      rows inserted
     * @param rowBytes  RowBinary bytes, uncompressed
     * @param latencyMs wall time including retries, in milliseconds
     */
    public void inserted(int rows, long rowBytes, long latencyMs) {
        inserted.add(rows);
        bytes.add(rowBytes);
        batches.increment();
        latencyTotalMs.add(latencyMs);
        latencyMaxMs.accumulateAndGet(latencyMs, Math::max);
    }

    /** Returns a metric's current value by name. */
    public Number value(String name) {
        for (Metric m : metrics) {
            if (m.name.equals(name)) {
                return m.value();
            }
        }
        throw new IllegalArgumentException("no metric " + name);
    }
}
