package io.sluice.bench;

import java.util.Locale;

/**
 * The capacity model of docs/capacity.md: CPU seconds per component and write counts for a sensor fleet, from the
 * per-core costs measured on this machine (BENCHMARKS.md) and the pipeline's batching settings.
 *
 * <p>CPU has a per-reading and a fixed term: {@code cpu = costPerMillion × readings / 1e6 + fixedCost × count}, the
 * counts being the producer's record batches (one per partition per {@code linger.ms}, or per full 128 KiB batch),
 * the sink tasks' seconds (Connect worker CPU), the sink's ClickHouse inserts (server CPU) and the aggregator's
 * DynamoDB writes (client CPU); {@link CapacityCheck} adds each process's idle rate measured before the load. ClickHouse inserts follow
 * the sink's flush rules ({@link #insertsPerTaskPerSecond}): a task inserts a table's batch when it is full, when it
 * is {@code flush.interval.ms} old, or when a poll comes back empty (the task is caught up) and the table's previous
 * partial insert started at least {@code flush.min.interval.ms} before, one insert per table at a time; each insert is one
 * part (all rows of a batch fall in one {@code toYYYYMM} partition). DynamoDB writes follow
 * the aggregator's pre-aggregation: one conditional
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
         * median core throughput at {@code BatchSize} 10,000 (3.53 million readings/s, section "Aggregator", 2026-11-30;
         * the item encoding is in the per-write term).
         */
        public static final Costs MEASURED = new Costs(4.93, 1.78, 0.72, 1e6 / 3_530_000.0);
    }

    /**
     * Fixed costs, paid besides the per-reading costs (which come from bulk runs where these are spread thin): CPU
     * seconds per operation, and the Connect worker's per task per second.
     *
     * @param producerBatch    the producer JVM, per record batch it sends (one partition's records of one linger)
     * @param sinkTaskSecond   the Connect worker, per sink task per second while it consumes: its consumer's fetches
     *                         and polls (a poll every 30 ms while rows are buffered), offset commits and the insert
     *                         requests; it follows time, not inserts (docs/capacity.md, "Calibration")
     * @param clickHouseInsert the ClickHouse server, per insert (one new part, and the merges that follow it)
     * @param dynamoWrite      the aggregator's process, per DynamoDB conditional write (the SDK client's CPU)
     */
    public record OperationCosts(double producerBatch, double sinkTaskSecond, double clickHouseInsert,
                                 double dynamoWrite) {

        /** No fixed cost: the per-reading model alone. */
        public static final OperationCosts NONE = new OperationCosts(0, 0, 0, 0);

        /**
         * Calibrated in docs/capacity.md ("Calibration"): the mean of two runs of {@code
         * bench/run-capacity-check.sh 3000 1 120 10} (3,000 devices at 1 Hz, 2026-11-30, commits 9a2cac7 and
         * fc09960): each process's steady-window CPU beyond its idle rate and the per-reading cost of
         * {@link Costs#MEASURED}, divided by that window's operations (the worker's by its tasks × seconds). Not
         * fitted on the 10,000-device check.
         */
        public static final OperationCosts CALIBRATED = new OperationCosts(0.0006084, 0.02693, 0.01072, 0.0005933);
    }

    /**
     * Late deliveries on this machine: after an insert, the next producer request sometimes reaches the task more than
     * the caught-up poll ({@value #CAUGHT_UP_POLL_S} s) after the previous one although the producer sends more often,
     * because the insert's CPU (the worker's request, ClickHouse's parse, part write and merges: about 8 ms in
     * ClickHouse alone on the calibration run) delays the producer's sender and the broker on the 2 cores they share;
     * the poll comes back empty. With the sink's minimum insert spacing such a poll only ends the wait once the spacing
     * has passed, so this term moves the insert count by less than 1 % at the check's rates; before it, each such poll
     * inserted. Zero where producers, brokers, workers and ClickHouse have their own hosts.
     *
     * @param lateGapsPerInsert empty polls per insert from delayed deliveries, 0 to less than 1
     * @throws IllegalArgumentException if not in [0, 1) (the count is solved by iteration, which converges below 1)
     */
    public record Delivery(double lateGapsPerInsert) {

        /** Nothing delayed: gaps are as long as the producers' periods. */
        public static final Delivery PUNCTUAL = new Delivery(0);

        /**
         * Calibrated in docs/capacity.md ("Calibration") from the 3,000-device run ({@code
         * bench/run-capacity-check.sh 3000 1 120 10}, 2026-11-30, before the minimum insert spacing, when each
         * empty poll inserted): 231 inserts by 2 tasks in the 85 s steady window are 1.359 per task per second;
         * less the one per offset commit (1 s), 0.359 come from empty polls that found no insert running
         * ({@code λ / (1 + λ × 0.02 s)}), so λ = 0.361 empty polls per second, 0.266 per insert. Not fitted on the
         * 10,000-device check.
         */
        public static final Delivery CALIBRATED = new Delivery(0.266);

        /** Checks the range. */
        public Delivery {
            if (!(lateGapsPerInsert >= 0 && lateGapsPerInsert < 1)) {
                throw new IllegalArgumentException("lateGapsPerInsert must be in [0, 1), got " + lateGapsPerInsert);
            }
        }
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
     * @param minIntervalS    the sink's {@code flush.min.interval.ms}, in seconds (above the flush interval it acts
     *                        as the flush interval)
     * @param batchMaxRows    the sink's {@code batch.max.rows}
     * @param batchSpanS      seconds of readings in one aggregator batch (Lambda: {@code BatchSize} / readings per
     *                        second per partition, or {@code MaximumBatchingWindowInSeconds} when that is shorter)
     * @param windowS         the aggregation window ({@code SLUICE_WINDOW}), in seconds
     * @param producers       producer processes sharing the fleet
     * @param partitions      the topic's partitions (every producer writes to all of them: records are keyed by device)
     * @param lingerS         the producer's {@code linger.ms}, in seconds
     * @param brokers         Kafka brokers the topic's partition leaders are spread over
     * @param commitIntervalS the Connect worker's {@code offset.flush.interval.ms} (60 s by default; 1 s in the local
     *                        stack), in seconds
     * @param insertLatencyS  how long one insert runs (the next insert into its table waits for it), in seconds
     */
    public record Pipeline(int sinkTasks, double flushIntervalS, double minIntervalS, int batchMaxRows, double batchSpanS, double windowS,
                           int producers, int partitions, double lingerS, int brokers, double commitIntervalS,
                           double insertLatencyS) {
    }

    /**
     * The sink's caught-up poll: while rows are buffered a task polls for at most this long, and a poll that finds
     * nothing makes it insert at once ({@code BatchDispatcher.CAUGHT_UP_POLL_MS}, 30 ms), in seconds.
     */
    static final double CAUGHT_UP_POLL_S = 0.030;

    /** Brokers of the plan (docs/capacity.md: 4 × kafka.m7g.xlarge). */
    static final int PLAN_BROKERS = 4;

    /**
     * Assumed time of one insert into ClickHouse Cloud over PrivateLink, in seconds; not measured here. It matters
     * only when empty polls come faster than inserts can follow (see {@link #insertsPerTaskPerSecond}).
     */
    static final double PLAN_INSERT_LATENCY_S = 0.1;

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
     * @param deliveries      producer requests that reach the sink tasks (their consumers' fetches return them), per
     *                        task per second
     * @param emptyPolls      polls per task per second that come back empty because a gap between deliveries
     *                        outlasted the caught-up poll, as the producers' periods leave them or delayed after an
     *                        insert (offset commits not included)
     * @param dynamoWrites    DynamoDB conditional writes (1 WCU each: items are about 250 bytes)
     * @param perReading      the share of the four CPU figures that the per-reading costs make (the rest is the
     *                        fixed terms), as a prediction with only those
     */
    public record Prediction(double readings, double producerCpuS, double sinkCpuS, double clickHouseCpuS,
                             double aggregatorCpuS, double producerBatches, double inserts, double deliveries,
                             double emptyPolls, double dynamoWrites, Cpu perReading) {
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
     * @param c       per-reading costs
     * @param o       fixed costs (per operation, per task second)
     * @param d       how often deliveries come late after an insert (0 where components have their own hosts)
     * @param load    the fleet
     * @param p       the pipeline's settings
     * @param seconds length of the period
     * @throws IllegalArgumentException if a device reports less than once per aggregator batch (the write formula
     *                                  assumes every device is in every batch)
     */
    public static Prediction predict(Costs c, OperationCosts o, Delivery d, Load load, Pipeline p, double seconds) {
        if (load.hz() * p.batchSpanS() < 1) {
            throw new IllegalArgumentException("devices report less than once per batch: the write formula needs "
                    + "hz × batchSpan >= 1");
        }
        double readings = load.readingsPerSecond() * seconds;
        double m = readings / 1e6;
        // Deliveries: each producer sends one request per broker per period, its linger plus the wait for the record
        // that opens the next batch; a task reads partitions on up to `brokers` brokers, from every producer.
        double perProducerBroker = load.readingsPerSecond() / p.producers() / p.brokers();
        double period = p.lingerS() + 1 / perProducerBroker;
        int streams = p.producers() * (int) Math.min(p.brokers(), Math.max(1, p.partitions() / p.sinkTasks()));
        double deliveries = streams / period;
        // A gap longer than the caught-up poll: with streams of independent phase, when no other stream's request
        // falls in it, (1 - C / T)^(S - 1) of the gaps when the period T exceeds C, none when it does not.
        double longGaps = period > CAUGHT_UP_POLL_S ? Math.pow(1 - CAUGHT_UP_POLL_S / period, streams - 1) : 0;
        double gapPolls = deliveries * longGaps;
        // Delayed deliveries add d.lateGapsPerInsert() empty polls per insert: solve n = inserts(gapPolls + a × n) by
        // iteration (a contraction: the insert count grows by at most one per added empty poll, and a < 1).
        double ratePerTask = load.readingsPerSecond() / p.sinkTasks();
        double insertsPerTaskS = insertsPerTaskPerSecond(gapPolls, deliveries, ratePerTask, p);
        for (int i = 0; i < 10_000; i++) {
            double next = insertsPerTaskPerSecond(gapPolls + d.lateGapsPerInsert() * insertsPerTaskS, deliveries,
                    ratePerTask, p);
            boolean settled = Math.abs(next - insertsPerTaskS) < 1e-12 * next;
            insertsPerTaskS = next;
            if (settled) {
                break;
            }
        }
        double emptyPolls = gapPolls + d.lateGapsPerInsert() * insertsPerTaskS;
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
                bulk.sink() + o.sinkTaskSecond() * p.sinkTasks() * seconds, bulk.clickHouse() + o.clickHouseInsert() * inserts,
                bulk.aggregator() + o.dynamoWrite() * writes, batches, inserts, deliveries, emptyPolls, writes, bulk);
    }

    /**
     * Inserts per second of one task into one table, from the sink's flush rules ({@code BatchDispatcher}): a batch
     * is inserted when it is full; when its oldest row is {@code flush.interval.ms} ({@code F}) old; or when a poll
     * comes back empty and the table's previous partial insert started at least
     * {@code S = min(flush.min.interval.ms, F)} before. One insert per table runs at a time (latency {@code l}). Polls come back empty at {@code λ} per second
     * from gaps between deliveries (taken as random), and once per offset commit ({@code K}: Connect bounds each poll
     * by the time left to its next commit), together {@code Λ = λ + 1 / K}. After an insert starts, the next one comes
     * at the first empty poll after {@code max(S, l)}, or by the timer when the first row after the insert is
     * {@code F} old: about {@code F + 1 / deliveries} after the start (the row comes with a delivery, the check runs in
     * the {@code put} of a later one), whichever is first. With {@code W = F + 1 / deliveries - max(S, l)} that is
     * {@code 1 / (max(S, l) + (1 - e^(-Λ W)) / Λ)}: {@code 1 / S} when empty polls are frequent, about {@code 1 / F}
     * when they are rare. At most one insert per delivery (each needs new rows: a table idle for longer than
     * {@code S} gets each delivery as its own insert), and at least {@code ratePerTask / batch.max.rows} (full
     * batches).
     *
     * @param emptyPolls  polls per second that come back empty for a gap between deliveries (λ)
     * @param deliveries  deliveries per second to the task
     * @param ratePerTask rows per second the task receives
     */
    static double insertsPerTaskPerSecond(double emptyPolls, double deliveries, double ratePerTask, Pipeline p) {
        double f = p.flushIntervalS();
        double earliest = Math.max(Math.min(p.minIntervalS(), f), p.insertLatencyS());
        double window = Math.max(0, f + 1 / deliveries - earliest);
        double rate = emptyPolls + 1 / p.commitIntervalS();
        double meanWait = (1 - Math.exp(-rate * window)) / rate;
        return Math.max(Math.min(1 / (earliest + meanWait), deliveries), ratePerTask / p.batchMaxRows());
    }

    /**
     * Prints the per-second figures of a deployment: {@code CapacityModel [devices] [hz] [partitions] [sinkTasks]
     * [lambdaBatchSize] [producers] [lingerMs]} (default: the plan of docs/capacity.md, 100,000 devices at 10 Hz,
     * 1,000 partitions, 12 sink tasks, BatchSize 10,000, 13 producer instances, 25 ms linger), each CPU figure with
     * its per-reading part and its fixed part ({@link OperationCosts#CALIBRATED}). The rest of the pipeline is
     * the plan's: {@value #PLAN_BROKERS} brokers, the sink's defaults (1 s flush and minimum insert spacing, 100,000-row batches), Connect's
     * default 60 s offset commit, {@value #PLAN_INSERT_LATENCY_S} s per insert, {@link Delivery#PUNCTUAL} delivery.
     */
    public static void main(String[] args) {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        double hz = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        int tasks = args.length > 3 ? Integer.parseInt(args[3]) : 12;
        int lambdaBatch = args.length > 4 ? Integer.parseInt(args[4]) : 10_000;
        int producers = args.length > 5 ? Integer.parseInt(args[5]) : 13;
        double lingerS = (args.length > 6 ? Double.parseDouble(args[6]) : 25) / 1000;
        Load load = new Load(devices, hz);
        double perPartition = load.readingsPerSecond() / partitions;
        double span = lambdaBatch / perPartition;
        Prediction s = predict(Costs.MEASURED, OperationCosts.CALIBRATED, Delivery.PUNCTUAL, load,
                new Pipeline(tasks, 1.0, 1.0, 100_000, span, 60, producers, partitions, lingerS, PLAN_BROKERS, 60,
                        PLAN_INSERT_LATENCY_S), 1);
        System.out.printf(Locale.ROOT, "load: %,d devices x %.1f Hz = %,.0f readings/s; %d partitions (%,.0f "
                + "readings/s each); %d producers, linger %.0f ms; aggregator batches of %,d readings = %.1f s per "
                + "partition%n",
                devices, hz, load.readingsPerSecond(), partitions, perPartition, producers, lingerS * 1000,
                lambdaBatch, span);
        System.out.printf(Locale.ROOT, "| per second | value | per-reading part | fixed part |%n"
                + "|---|---:|---:|---:|%n");
        cpuRow("producer CPU (cores busy)", s.producerCpuS(), s.perReading().producer());
        cpuRow("Connect worker CPU (cores busy)", s.sinkCpuS(), s.perReading().sink());
        cpuRow("ClickHouse CPU (cores busy)", s.clickHouseCpuS(), s.perReading().clickHouse());
        cpuRow("aggregator CPU (cores busy: core and DynamoDB client)", s.aggregatorCpuS(),
                s.perReading().aggregator());
        System.out.printf(Locale.ROOT, "| producer record batches | %,.0f | | |%n", s.producerBatches());
        System.out.printf(Locale.ROOT, "| readings per producer batch | %,.1f | | |%n",
                s.readings() / s.producerBatches());
        System.out.printf(Locale.ROOT, "| producer requests reaching one sink task | %,.0f | | |%n", s.deliveries());
        System.out.printf(Locale.ROOT, "| empty polls per sink task (gaps over %.0f ms) | %.2f | | |%n",
                CAUGHT_UP_POLL_S * 1000, s.emptyPolls());
        System.out.printf(Locale.ROOT, "| ClickHouse inserts = new parts | %.1f | | |%n", s.inserts());
        System.out.printf(Locale.ROOT, "| rows per insert | %,.0f | | |%n", s.readings() / s.inserts());
        System.out.printf(Locale.ROOT, "| DynamoDB writes (WCU) | %,.0f | | |%n", s.dynamoWrites());
        System.out.printf(Locale.ROOT, "| Lambda invocations | %.1f | | |%n", partitions / span);
    }

    private static void cpuRow(String name, double total, double perReading) {
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", name, total, perReading, total - perReading);
    }
}
