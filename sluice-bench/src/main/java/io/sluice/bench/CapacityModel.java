package io.sluice.bench;

import java.util.Locale;

/**
 * The capacity model of docs/capacity.md: CPU seconds per component and write counts for a sensor fleet, from the
 * per-core costs measured on this machine (BENCHMARKS.md) and the pipeline's batching settings.
 *
 * <p>CPU has a per-reading and a per-operation term: {@code cpu = costPerMillion × readings / 1e6 + costPerOperation ×
 * operations}, the operations being the producer's record batches (one per partition per {@code linger.ms}, or per
 * full 128 KiB batch), the sink's ClickHouse inserts (sink and server CPU each) and the aggregator's DynamoDB writes
 * (client CPU); {@link CapacityCheck} adds each process's idle rate measured before the load. ClickHouse inserts follow the sink's flush rule: each task inserts
 * when its batch reaches {@code batch.max.rows} or is {@code flush.interval.ms} old, so a task makes
 * {@code max(1 / flushInterval, ratePerTask / batchMaxRows)} inserts per second, each one part (all rows of a batch
 * fall in one {@code toYYYYMM} partition). DynamoDB writes follow the aggregator's pre-aggregation: one conditional
 * write per distinct (device, window) pair per batch. When every device reports at least once per batch, a batch of
 * span {@code s} seconds touches each device's windows {@code 1 + s / window} times on average, so the fleet makes
 * {@code devices × (1 / s + 1 / window)} writes per second.
 */
public final class CapacityModel {

    private CapacityModel() {
    }

    /**
     * Per-core costs, CPU seconds per million sensor readings (75 bytes of JSON, 3 columns).
     *
     * @param producer   {@code sluice produce}'s JVM (simulation, serialisation, zstd, sending)
     * @param sink       the Kafka Connect worker running the sink (fetch, Connect's per-record work, encoding, lz4)
     * @param clickHouse the ClickHouse server ingesting the sink's inserts (parse, write parts, merges)
     * @param aggregator the aggregator core (decode, window, pre-aggregate, merge), without DynamoDB I/O
     */
    public record Costs(double producer, double sink, double clickHouse, double aggregator) {

        /**
         * The figures of BENCHMARKS.md, 2026-11-30 (sensor readings): producer = `sluice produce` JVM median of 3
         * rounds (4.34, 4.93, 5.05; that JVM also hosted the broker); sink = whole JVM with the sink, lz4 bodies,
         * median of 3 rounds (that JVM also hosted the broker); ClickHouse = lz4 bodies, median; aggregator = 1 /
         * median core throughput (507,645 readings/s, 2026-11-21).
         */
        public static final Costs MEASURED = new Costs(4.93, 1.78, 0.72, 1e6 / 507_645.0);
    }

    /**
     * Per-operation costs, CPU seconds per operation, paid besides the per-reading costs (which come from bulk runs
     * where these operations are rare).
     *
     * @param producerBatch    the producer JVM, per record batch it sends (one partition's records of one linger)
     * @param sinkInsert       the Connect worker, per ClickHouse insert (and the fetches and commits around it)
     * @param clickHouseInsert the ClickHouse server, per insert (one new part)
     * @param dynamoWrite      the aggregator's process, per DynamoDB conditional write (the SDK client's CPU)
     */
    public record OperationCosts(double producerBatch, double sinkInsert, double clickHouseInsert,
                                 double dynamoWrite) {

        /** No per-operation cost: the per-reading model alone. */
        public static final OperationCosts NONE = new OperationCosts(0, 0, 0, 0);

        /**
         * Calibrated in docs/capacity.md ("Calibration") from {@code bench/run-capacity-check.sh 3000 1 120 10}
         * (3,000 devices at 1 Hz, 2026-11-30): each process's steady-window CPU beyond its idle rate and the
         * per-reading cost of {@link Costs#MEASURED}, divided by that window's operations. Not fitted on the
         * 10,000-device check.
         */
        public static final OperationCosts CALIBRATED = new OperationCosts(0.0006442, 0.02414, 0.008266, 0.0006654);
    }

    /**
     * A fleet.
     *
     * @param devices simulated devices
     * @param hz      readings per second per device
     */
    public record Load(int devices, double hz) {

        /** Returns readings per second of the fleet. */
        public double readingsPerSecond() {
            return devices * hz;
        }
    }

    /**
     * The batching settings that decide write counts.
     *
     * @param sinkTasks       sink tasks ({@code tasks.max}, at most the topic's partitions)
     * @param flushIntervalS  the sink's {@code flush.interval.ms}, in seconds
     * @param batchMaxRows    the sink's {@code batch.max.rows}
     * @param batchSpanS      seconds of readings in one aggregator batch (Lambda: {@code BatchSize} / readings per
     *                        second per partition, or {@code MaximumBatchingWindowInSeconds} when that is shorter)
     * @param windowS         the aggregation window ({@code SLUICE_WINDOW}), in seconds
     * @param producers       producer processes sharing the fleet
     * @param partitions      the topic's partitions (every producer writes to all of them: records are keyed by device)
     * @param lingerS         the producer's {@code linger.ms}, in seconds
     */
    public record Pipeline(int sinkTasks, double flushIntervalS, int batchMaxRows, double batchSpanS, double windowS,
                           int producers, int partitions, double lingerS) {
    }

    /** Readings in one full producer batch: 128 KiB ({@code batch.size}) of about 72-byte records. */
    static final double READINGS_PER_FULL_PRODUCER_BATCH = 1_800;

    /**
     * What the model predicts for a load over a period.
     *
     * @param readings        readings in the period
     * @param producerCpuS    producer CPU seconds (all producers)
     * @param sinkCpuS        Connect worker CPU seconds
     * @param clickHouseCpuS  ClickHouse CPU seconds
     * @param aggregatorCpuS  aggregator CPU seconds (core, plus the DynamoDB client per write)
     * @param producerBatches record batches the producers send
     * @param inserts         ClickHouse inserts, each one new part
     * @param dynamoWrites    DynamoDB conditional writes (1 WCU each: items are about 250 bytes)
     * @param perReading      the share of the four CPU figures that the per-reading costs make (the rest is the
     *                        per-operation terms), as a prediction with only those
     */
    public record Prediction(double readings, double producerCpuS, double sinkCpuS, double clickHouseCpuS,
                             double aggregatorCpuS, double producerBatches, double inserts, double dynamoWrites,
                             Cpu perReading) {
    }

    /**
     * CPU seconds per component.
     *
     * @param producer   producers
     * @param sink       Connect worker
     * @param clickHouse ClickHouse server
     * @param aggregator aggregator
     */
    public record Cpu(double producer, double sink, double clickHouse, double aggregator) {
    }

    /**
     * Predicts CPU and writes for a load sustained for a period.
     *
     * @param seconds length of the period
     * @throws IllegalArgumentException if a device reports less than once per aggregator batch (the write formula
     *                                  assumes every device is in every batch)
     */
    public static Prediction predict(Costs c, OperationCosts o, Load load, Pipeline p, double seconds) {
        if (load.hz() * p.batchSpanS() < 1) {
            throw new IllegalArgumentException("devices report less than once per batch: the write formula needs "
                    + "hz × batchSpan >= 1");
        }
        double readings = load.readingsPerSecond() * seconds;
        double m = readings / 1e6;
        double perTask = load.readingsPerSecond() / p.sinkTasks();
        double insertsPerTaskS = Math.max(1 / p.flushIntervalS(), perTask / p.batchMaxRows());
        double inserts = p.sinkTasks() * insertsPerTaskS * seconds;
        double writes = load.devices() * (seconds / p.batchSpanS() + seconds / p.windowS());
        // Each producer sends one batch per partition per linger when a partition gets a record that often, one per
        // record when it gets fewer, and more when batches fill before the linger ends.
        double perProducerPartition = load.readingsPerSecond() / p.producers() / p.partitions();
        double batchesPerSecond = p.producers() * p.partitions() * Math.max(Math.min(1 / p.lingerS(),
                perProducerPartition), perProducerPartition / READINGS_PER_FULL_PRODUCER_BATCH);
        double batches = batchesPerSecond * seconds;
        Cpu bulk = new Cpu(c.producer() * m, c.sink() * m, c.clickHouse() * m, c.aggregator() * m);
        return new Prediction(readings, bulk.producer() + o.producerBatch() * batches,
                bulk.sink() + o.sinkInsert() * inserts, bulk.clickHouse() + o.clickHouseInsert() * inserts,
                bulk.aggregator() + o.dynamoWrite() * writes, batches, inserts, writes, bulk);
    }

    /**
     * Prints the per-second figures of a deployment: {@code CapacityModel [devices] [hz] [partitions] [sinkTasks]
     * [lambdaBatchSize] [producers]} (default: the plan of docs/capacity.md, 100,000 devices at 10 Hz, 1,000
     * partitions, 12 sink tasks, BatchSize 10,000, 13 producer instances), each CPU figure with its per-reading part
     * and its per-operation part ({@link OperationCosts#CALIBRATED}).
     */
    public static void main(String[] args) {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        double hz = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        int tasks = args.length > 3 ? Integer.parseInt(args[3]) : 12;
        int lambdaBatch = args.length > 4 ? Integer.parseInt(args[4]) : 10_000;
        int producers = args.length > 5 ? Integer.parseInt(args[5]) : 13;
        Load load = new Load(devices, hz);
        double perPartition = load.readingsPerSecond() / partitions;
        double span = lambdaBatch / perPartition;
        Prediction s = predict(Costs.MEASURED, OperationCosts.CALIBRATED, load,
                new Pipeline(tasks, 1.0, 100_000, span, 60, producers, partitions, 0.025), 1);
        System.out.printf(Locale.ROOT, "load: %,d devices x %.1f Hz = %,.0f readings/s; %d partitions (%,.0f readings/s "
                + "each); %d producers; aggregator batches of %,d readings = %.1f s per partition%n", devices, hz,
                load.readingsPerSecond(), partitions, perPartition, producers, lambdaBatch, span);
        System.out.printf(Locale.ROOT, "| per second | value | per-reading part | per-operation part |%n"
                + "|---|---:|---:|---:|%n");
        cpuRow("producer CPU (cores busy)", s.producerCpuS(), s.perReading().producer());
        cpuRow("Connect worker CPU (cores busy)", s.sinkCpuS(), s.perReading().sink());
        cpuRow("ClickHouse CPU (cores busy)", s.clickHouseCpuS(), s.perReading().clickHouse());
        cpuRow("aggregator CPU (cores busy: core and DynamoDB client)", s.aggregatorCpuS(),
                s.perReading().aggregator());
        System.out.printf(Locale.ROOT, "| producer record batches | %,.0f | | |%n", s.producerBatches());
        System.out.printf(Locale.ROOT, "| readings per producer batch | %,.1f | | |%n",
                s.readings() / s.producerBatches());
        System.out.printf(Locale.ROOT, "| ClickHouse inserts = new parts | %.1f | | |%n", s.inserts());
        System.out.printf(Locale.ROOT, "| rows per insert | %,.0f | | |%n", s.readings() / s.inserts());
        System.out.printf(Locale.ROOT, "| DynamoDB writes (WCU) | %,.0f | | |%n", s.dynamoWrites());
        System.out.printf(Locale.ROOT, "| Lambda invocations | %.1f | | |%n", partitions / span);
    }

    private static void cpuRow(String name, double total, double perReading) {
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", name, total, perReading, total - perReading);
    }
}
