package io.sluice.bench;

import io.sluice.local.LocalFiles;
import io.sluice.local.LocalStack;
import io.sluice.local.StackOptions;
import io.sluice.local.pipeline.SensorPipeline;
import io.sluice.local.server.DynamoDbLocalServer;
import io.sluice.local.verify.ClickHouseQuery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Checks {@link CapacityModel} against a scaled-down pipeline on this machine: a simulated fleet
 * ({@code sluice produce}, its own JVM) into a topic, the Sluice sink (2 tasks, default options, in a Connect worker
 * JVM of its own) into ClickHouse, and the aggregator runner (its own JVM) into DynamoDB Local, with its batches
 * formed like a Lambda event source mapping's batching window ({@code fetch.max.wait.ms} = the window, a
 * {@code fetch.min.bytes} no fetch reaches).
 *
 * <p>CPU is measured per process from {@code /proc/<pid>/stat} (utime + stime) over the steady state, from 30 s
 * after the producer started (JIT, connections, first batches) to 5 s before it stops: the producer, the Connect
 * worker, ClickHouse and the runner; the readings in that window are counted from the topic's end offsets. Each
 * process's idle rate, measured for 15 s before the load, is added to the model's prediction. Write counts cover the
 * whole run, until ClickHouse and the runner hold every reading: ClickHouse's {@code InsertQuery} event, the blocks
 * inserted ({@code max_block_number - min_block_number + 1} summed over active parts: one per part an insert
 * created) and the runner's {@code sluice_aggregator_writes_total}.
 *
 * <p>The model is {@link CapacityModel} with {@link CapacityModel.OperationCosts#CALIBRATED}; the table also shows the
 * per-reading model alone. DynamoDB writes are predicted twice: with the configured batch span, and with the span
 * the run observed (producing seconds / the runner's non-empty batches), which is the formula's input once the
 * batches' phase and the run's ends are known. The check also prints each process's CPU per operation (the
 * worker's per task per second) beyond its idle rate and per-reading cost, over the steady window: the figures that
 * calibrate the fixed costs (from a run other than the one that checks them).
 *
 * <p>Usage: {@code CapacityCheck [devices] [hz] [seconds] [batchWindowSeconds] [maxBatchReadings]
 * [commitIntervalMs] [lingerMs]} (default 10000 1 90 10 100000 1000 25: the Connect worker's
 * {@code offset.flush.interval.ms}, then the producer's {@code linger.ms}).
 */
public final class CapacityCheck {

    private static final long CLK_TCK = 100;
    private static final int PARTITIONS = 4;
    private static final int TASKS = 2;
    private static final double IDLE_SECONDS = 15;
    private static final int WARMUP_SECONDS = 30;
    private static final int TAIL_SECONDS = 5;
    /** Time of one insert here (about 700 rows into ClickHouse 18.16 on 127.0.0.1), in seconds: assumed. */
    private static final double INSERT_LATENCY_S = 0.02;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private CapacityCheck() {
    }

    /**
     * CPU ticks of each measured process and of the whole machine (all cores, busy) at one instant, and when;
     * {@code clickHouseMerges} is the part of ClickHouse's in its background pool threads (merges).
     */
    private record Cpu(long nanos, long worker, long clickHouse, long clickHouseMerges, long runner, long producer,
                       long self, long machine) {
    }

    /** ClickHouse 18.16 names the threads of its background processing pool, which runs merges, this. */
    private static final String MERGE_THREAD_NAME = "BackgrProcPool";

    /**
     * Runs the check and prints the measured-vs-predicted table.
     *
     * @param args devices, readings per second per device, producing seconds, aggregator batch window seconds, the
     *             runner's largest batch in readings (its {@code max.poll.records}, 1..100000, as Lambda's
     *             {@code BatchSize} caps an invocation's), the Connect worker's offset commit interval in
     *             milliseconds, the producer's linger in milliseconds; a wrong argument exits with status 2 and a
     *             message
     */
    public static void main(String[] args) {
        // Exit explicitly: DynamoDB Local leaves a non-daemon scheduler thread running after it is closed.
        try {
            run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("capacity check: " + e.getMessage()); // a usage mistake: no stack trace
            System.exit(2);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        double hz = args.length > 1 ? Double.parseDouble(args[1]) : 1;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 90;
        int batchWindow = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int maxBatch = args.length > 4 ? Integer.parseInt(args[4]) : 100_000;
        int commitMs = args.length > 5 ? Integer.parseInt(args[5]) : 1_000;
        int lingerMs = args.length > 6 ? Integer.parseInt(args[6]) : 25;
        if (commitMs < 1) {
            throw new IllegalArgumentException("commitIntervalMs (the worker's offset.flush.interval.ms) must be "
                    + "positive, got " + commitMs);
        }
        if (lingerMs < 0) {
            throw new IllegalArgumentException("lingerMs (the producer's linger.ms) must be 0 or more, got "
                    + lingerMs);
        }
        if (maxBatch < 1 || maxBatch > 100_000) {
            throw new IllegalArgumentException("maxBatchReadings must be 1..100000 (the runner's --max-poll-records "
                    + "range), got " + maxBatch);
        }
        if (seconds <= WARMUP_SECONDS + TAIL_SECONDS) {
            throw new IllegalArgumentException("seconds must exceed " + (WARMUP_SECONDS + TAIL_SECONDS)
                    + ": CPU is measured from " + WARMUP_SECONDS + " s after the start to " + TAIL_SECONDS
                    + " s before the end");
        }
        Path work = Files.createTempDirectory("sluice-capacity");
        List<Path> zips = LocalFiles.zipsIn(Path.of(System.getProperty("sluice.plugin.zips")));
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        String log4j = "-Dlog4j2.configurationFile=" + System.getProperty("log4j2.configurationFile");
        Process runner = null;
        try (LocalStack stack = new LocalStack(StackOptions.local(work, zips)).workerInChildProcess()
                     .workerOverrides(Map.of("offset.flush.interval.ms", String.valueOf(commitMs))).start();
             DynamoDbLocalServer ddb = DynamoDbLocalServer.start(0)) {
            SensorPipeline pipeline = new SensorPipeline(stack, "readings", "readings");
            pipeline.createTopicAndTable(PARTITIONS);
            pipeline.deploySink("capacity-sink", pipeline.sinkConfig(TASKS, null));
            int metricsPort = freePort();
            runner = new ProcessBuilder(javaBin, "-Xmx1g", log4j, "-Dsluice.logdir=" + work, "-cp", cp,
                    "io.sluice.aggregator.runner.RunnerMain", "--bootstrap-servers", stack.bootstrapServers(),
                    "--topic", "readings", "--group", "capacity-aggregator", "--table", "sluice_device_windows",
                    "--dynamodb-endpoint", ddb.endpoint().toString(), "--metrics-port", String.valueOf(metricsPort),
                    "--max-poll-records", String.valueOf(maxBatch),
                    "--consumer-property", "fetch.min.bytes=1000000000",
                    "--consumer-property", "fetch.max.wait.ms=" + batchWindow * 1000,
                    "--consumer-property", "request.timeout.ms=" + (batchWindow + 60) * 1000,
                    "--consumer-property", "max.partition.fetch.bytes=67108864",
                    "--consumer-property", "fetch.max.bytes=268435456")
                    .redirectErrorStream(true).redirectOutput(work.resolve("runner.log").toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(runner::destroy)); // also when this JVM is killed
            awaitMetrics(metricsPort);
            long workerPid = stack.connectWorkerProcess().pid();
            long chPid = stack.clickHouseServer().pid();
            ClickHouseQuery ch = stack.clickHouse();

            Cpu idle0 = cpu(workerPid, chPid, runner.pid(), 0);
            Thread.sleep((long) (IDLE_SECONDS * 1000));
            Cpu idle1 = cpu(workerPid, chPid, runner.pid(), 0);
            double idleS = (idle1.nanos() - idle0.nanos()) / 1e9;

            long inserts0 = insertQueries(ch);
            Map<String, Double> m0 = metrics(metricsPort);
            long runStart = System.nanoTime();
            Process producer = new ProcessBuilder(javaBin, log4j, "-Dsluice.logdir=" + work, "-cp", cp,
                    "io.sluice.producer.ProducerMain", "--bootstrap-servers", stack.bootstrapServers(),
                    "--topic", "readings", "--devices", String.valueOf(devices), "--rate-per-device",
                    String.valueOf(hz), "--duration", seconds + "s", "--seed", "16", "--progress-interval", "30s",
                    "--producer-config", "linger.ms=" + lingerMs)
                    .redirectErrorStream(true).redirectOutput(work.resolve("producer.log").toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(producer::destroy));
            // CPU in the steady state: from WARMUP_SECONDS after the producer started (JIT, connections, the first
            // batches) to TAIL_SECONDS before it stops; every process then handles the fleet's rate.
            Thread.sleep(WARMUP_SECONDS * 1000L);
            long off0 = produced(stack);
            long rows0 = pipeline.rowCount();
            Map<String, Double> ma = metrics(metricsPort);
            long insertsA = insertQueries(ch);
            long mergedRowsA = event(ch, "MergedRows");
            Cpu a = cpu(workerPid, chPid, runner.pid(), producer.pid());
            Thread.sleep((seconds - WARMUP_SECONDS - TAIL_SECONDS) * 1000L);
            Cpu b = cpu(workerPid, chPid, runner.pid(), producer.pid());
            long steadyReadings = produced(stack) - off0;
            long steadyRows = pipeline.rowCount() - rows0;
            long steadyInserts = insertQueries(ch) - insertsA;
            long steadyMergedRows = event(ch, "MergedRows") - mergedRowsA;
            Map<String, Double> mb = metrics(metricsPort);
            double steadyAggregated = delta(ma, mb, "sluice_aggregator_records_total");
            double steadyWrites = delta(ma, mb, "sluice_aggregator_writes_total");
            if (producer.waitFor() != 0) {
                throw new IllegalStateException("producer failed: " + Files.readString(work.resolve("producer.log")));
            }
            long produced = produced(stack);
            long deadline = System.nanoTime() + Duration.ofSeconds(batchWindow + 300).toNanos();
            Map<String, Double> m1 = metrics(metricsPort);
            while (System.nanoTime() < deadline && (pipeline.rowCount() < produced
                    || delta(m0, m1, "sluice_aggregator_records_total") < produced)) {
                Thread.sleep(200);
                m1 = metrics(metricsPort);
            }
            double run = (System.nanoTime() - runStart) / 1e9;
            long inserts = insertQueries(ch) - inserts0;
            long rows = pipeline.rowCount();
            long blocks = ch.scalar("SELECT sum(max_block_number - min_block_number + 1) FROM system.parts "
                    + "WHERE table = 'readings' AND active");
            long activeParts = ch.scalar("SELECT count() FROM system.parts WHERE table = 'readings' AND active");
            long bytesOnDisk = ch.scalar("SELECT sum(bytes_on_disk) FROM system.parts WHERE table = 'readings' "
                    + "AND active");
            long topicBytes = topicBytes(work);
            double aggRecords = delta(m0, m1, "sluice_aggregator_records_total");
            double writes = delta(m0, m1, "sluice_aggregator_writes_total");
            double conflicts = delta(m0, m1, "sluice_aggregator_conflicts_total");
            double batches = delta(m0, m1, "sluice_aggregator_committed_batches_total");
            double steady = (b.nanos() - a.nanos()) / 1e9;

            // The model: CPU for the steady window's readings and operations (plus each process's idle rate);
            // writes for the whole run of the fleet. A batch holds what one fetch window brings, at most maxBatch
            // readings; the observed span is the producing time over the batches that carried readings.
            double span = Math.min(batchWindow, maxBatch / (devices * hz));
            double observedSpan = seconds / batches;
            CapacityModel.Load load = new CapacityModel.Load(devices, hz);
            CapacityModel.Pipeline pipe = pipeline(span, commitMs, lingerMs);
            CapacityModel.Pipeline observed = pipeline(observedSpan, commitMs, lingerMs);
            double steadyS = steadyReadings / load.readingsPerSecond();
            CapacityModel.Prediction cpu = CapacityModel.predict(CapacityModel.Costs.MEASURED,
                    CapacityModel.OperationCosts.CALIBRATED, CapacityModel.Delivery.CALIBRATED, load, observed,
                    steadyS);
            CapacityModel.Prediction all = CapacityModel.predict(CapacityModel.Costs.MEASURED,
                    CapacityModel.OperationCosts.CALIBRATED, CapacityModel.Delivery.CALIBRATED, load, pipe, seconds);
            CapacityModel.Prediction allObserved = CapacityModel.predict(CapacityModel.Costs.MEASURED,
                    CapacityModel.OperationCosts.CALIBRATED, CapacityModel.Delivery.CALIBRATED, load, observed,
                    seconds);
            double idleWorker = idle(idle0, idle1, Cpu::worker) * steady;
            double idleCh = idle(idle0, idle1, Cpu::clickHouse) * steady;
            double idleRunner = idle(idle0, idle1, Cpu::runner) * steady;
            double producerCpu = ticks(b.producer() - a.producer());
            double workerCpu = ticks(b.worker() - a.worker());
            double chCpu = ticks(b.clickHouse() - a.clickHouse());
            double chMergeCpu = ticks(b.clickHouseMerges() - a.clickHouseMerges());
            double runnerCpu = ticks(b.runner() - a.runner());
            System.out.printf(Locale.ROOT, "%n## Capacity check: %,d devices x %.2f Hz for %d s; %,d readings; CPU over "
                            + "%.1f s of steady state (%,d readings); writes over the whole run (%.1f s, until "
                            + "ClickHouse and DynamoDB held every reading); idle rates over %.0f s before the load; "
                            + "aggregator batches of %.1f s of readings configured, %.1f s observed (%,.0f batches)%n%n",
                    devices, hz, seconds, produced, steady, steadyReadings, run, idleS, span, observedSpan, batches);
            System.out.println("| quantity | per-reading model (inserts: flush rule alone) | model | measured "
                    + "| measured / model |");
            System.out.println("|---|---:|---:|---:|---:|");
            row("readings, whole run", all.readings(), all.readings(), produced);
            row("producer JVM CPU s (steady)", cpu.perReading().producer(), cpu.producerCpuS(), producerCpu);
            row("Connect worker (sink) CPU s (steady; idle included)", cpu.perReading().sink() + idleWorker,
                    cpu.sinkCpuS() + idleWorker, workerCpu);
            row("ClickHouse CPU s (steady; idle included)", cpu.perReading().clickHouse() + idleCh,
                    cpu.clickHouseCpuS() + idleCh, chCpu);
            row("aggregator runner CPU s (steady; idle included)", cpu.perReading().aggregator() + idleRunner,
                    cpu.aggregatorCpuS() + idleRunner, runnerCpu);
            row("ClickHouse inserts (InsertQuery), steady window", flushRule(steadyS), cpu.inserts(),
                    steadyInserts);
            row("ClickHouse inserts (InsertQuery), whole run", flushRule(seconds), all.inserts(), inserts);
            row("ClickHouse parts created by inserts (blocks), whole run", flushRule(seconds), all.inserts(),
                    blocks);
            row("DynamoDB writes, whole run (configured span)", all.dynamoWrites(), all.dynamoWrites(), writes);
            row("DynamoDB writes, whole run (observed span)", allObserved.dynamoWrites(), allObserved.dynamoWrites(),
                    writes);
            double machineCpu = ticks(b.machine() - a.machine());
            double checkCpu = producerCpu + workerCpu + chCpu + runnerCpu + ticks(b.self() - a.self());
            System.out.printf(Locale.ROOT, "%nidle CPU s/s: worker %.3f, ClickHouse %.3f, runner %.3f; this JVM "
                            + "(broker, DynamoDB Local) %.1f CPU s in the steady window; the machine %.1f CPU s "
                            + "(%.2f cores busy), of which %.1f s (%.2f cores) outside the check's processes%n",
                    idle(idle0, idle1, Cpu::worker), idle(idle0, idle1, Cpu::clickHouse),
                    idle(idle0, idle1, Cpu::runner), ticks(b.self() - a.self()), machineCpu, machineCpu / steady,
                    machineCpu - checkCpu, (machineCpu - checkCpu) / steady);
            System.out.printf(Locale.ROOT, "steady window operations: %,.0f producer batches (model), %,d inserts, "
                    + "%,.0f DynamoDB writes (measured); rows read by ClickHouse's merges (MergedRows) %,d%n",
                    cpu.producerBatches(), steadyInserts, steadyWrites, steadyMergedRows);
            System.out.printf(Locale.ROOT, "ClickHouse CPU in the steady window: %.1f s in its background pool threads "
                            + "(merges: %.1f ns per merged row), %.1f s in its other threads (inserts, queries: %.2f ms "
                            + "per insert beyond idle and per-reading cost)%n", chMergeCpu,
                    1e9 * chMergeCpu / Math.max(1, steadyMergedRows), chCpu - chMergeCpu,
                    1000 * (chCpu - chMergeCpu - idleCh - cpu.perReading().clickHouse()) / steadyInserts);
            System.out.printf(Locale.ROOT, "insert model, per task: %.1f producer requests/s, %.3f empty polls/s from "
                            + "gaps (%.3f per insert), %.3f offset commits/s; inserts per task per second: model "
                            + "%.3f, measured in the steady window %.3f%n", cpu.deliveries(), cpu.emptyPolls(),
                    CapacityModel.Delivery.CALIBRATED.lateGapsPerInsert(), 1000.0 / commitMs,
                    cpu.inserts() / steadyS / TASKS, steadyInserts / steady / TASKS);
            System.out.printf(Locale.ROOT, "calibration figures, CPU ms beyond idle and per-reading cost: "
                            + "producer per batch %.4f, worker per task per second %.3f (per insert %.3f), ClickHouse "
                            + "per insert %.3f, runner per DynamoDB write %.4f%n",
                    1000 * (producerCpu - cpu.perReading().producer()) / cpu.producerBatches(),
                    1000 * (workerCpu - idleWorker - cpu.perReading().sink()) / (TASKS * steady),
                    1000 * (workerCpu - idleWorker - cpu.perReading().sink()) / steadyInserts,
                    1000 * (chCpu - idleCh - cpu.perReading().clickHouse()) / steadyInserts,
                    1000 * (runnerCpu - idleRunner - cpu.perReading().aggregator()) / steadyWrites);
            System.out.printf(Locale.ROOT, "in the steady window: %,d readings produced, %,d rows landed in ClickHouse, "
                    + "%,.0f readings aggregated (the runner's batches are %.0f s apart, so this differs from the "
                    + "readings produced by up to one batch)%n", steadyReadings, steadyRows, steadyAggregated, span);
            System.out.printf(Locale.ROOT, "rows in ClickHouse %,d; active parts at the end %d; ClickHouse bytes on "
                            + "disk per row %.2f; topic bytes on disk per reading (zstd batches) %.1f%n", rows,
                    activeParts, (double) bytesOnDisk / rows, (double) topicBytes / produced);
            System.out.printf(Locale.ROOT, "aggregator: records %,.0f, batches %,.0f, writes %,.0f, conflicts %,.0f, "
                    + "writes per batch %,.0f%n", aggRecords, batches, writes, conflicts, writes / batches);
        } finally {
            if (runner != null) {
                runner.destroy();
                if (!runner.waitFor(30, TimeUnit.SECONDS)) {
                    runner.destroyForcibly().waitFor();
                }
            }
            deleteTree(work);
        }
    }

    private static void row(String name, double perReading, double predicted, double measured) {
        System.out.printf(Locale.ROOT, "| %s | %,.1f | %,.1f | %,.1f | %.2f |%n", name, perReading, predicted, measured,
                measured / predicted);
    }

    /**
     * The check's pipeline: {@value #TASKS} sink tasks, 1 s flush and minimum insert spacing (the sink's defaults),
     * one producer with its linger, the topic's partitions
     * on one broker, the worker's offset commit interval, {@value #INSERT_LATENCY_S} s per insert.
     */
    private static CapacityModel.Pipeline pipeline(double batchSpanS, int commitMs, int lingerMs) {
        return new CapacityModel.Pipeline(TASKS, 1.0, 1.0, 100_000, batchSpanS, 60, 1, PARTITIONS, lingerMs / 1000.0, 1,
                commitMs / 1000.0, INSERT_LATENCY_S);
    }

    /**
     * Inserts by the flush rule alone, the model before empty polls: one per task per {@code flush.interval.ms} (1 s;
     * the check's tasks never fill a 100,000-row batch within it).
     */
    private static double flushRule(double seconds) {
        return TASKS * seconds;
    }

    private static double ticks(long t) {
        return t / (double) CLK_TCK;
    }

    private static double delta(Map<String, Double> a, Map<String, Double> b, String name) {
        return b.getOrDefault(name, 0.0) - a.getOrDefault(name, 0.0);
    }

    private static Cpu cpu(long worker, long clickHouse, long runner, long producer) throws IOException {
        return new Cpu(System.nanoTime(), processTicks(worker), processTicks(clickHouse),
                threadTicks(clickHouse, MERGE_THREAD_NAME), processTicks(runner),
                producer == 0 ? 0 : processTicks(producer), processTicks(ProcessHandle.current().pid()),
                machineTicks());
    }

    /** Busy ticks of all cores: user, nice, system, irq and softirq of /proc/stat's first line (guest is in user). */
    private static long machineTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < Math.min(f.length, 8); i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(f[i]);
            }
        }
        return busy;
    }

    private static double idle(Cpu a, Cpu b, java.util.function.ToLongFunction<Cpu> process) {
        return ticks(process.applyAsLong(b) - process.applyAsLong(a)) / ((b.nanos() - a.nanos()) / 1e9);
    }

    private static long produced(LocalStack stack) {
        return endOffsets(stack.bootstrapServers()).values().stream().mapToLong(Long::longValue).sum();
    }

    /** utime + stime of a process, in clock ticks. */
    private static long processTicks(long pid) throws IOException {
        String[] f = statFields(Files.readString(Path.of("/proc/" + pid + "/stat")));
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * utime + stime of a process's live threads named {@code name} ({@code /proc/<pid>/task/<tid>/comm}), in clock
     * ticks. A thread that ended no longer counts: use it for pools whose threads live as long as the process.
     */
    private static long threadTicks(long pid, String name) throws IOException {
        long sum = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(t.resolve("comm")).trim().equals(name)) {
                        String[] f = statFields(Files.readString(t.resolve("stat")));
                        sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (java.nio.file.NoSuchFileException ended) {
                    // the thread ended between the listing and the read
                }
            }
        }
        return sum;
    }

    /** The fields of /proc/<pid>/stat after the command name: index 0 is the state (field 3). */
    private static String[] statFields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    private static long insertQueries(ClickHouseQuery ch) {
        return event(ch, "InsertQuery");
    }

    /** A counter of ClickHouse's {@code system.events} (0 before it first counts). */
    private static long event(ClickHouseQuery ch, String name) {
        return ch.scalar("SELECT sum(value) FROM system.events WHERE event = '" + name + "'");
    }

    private static long topicBytes(Path work) throws IOException {
        long sum = 0;
        try (Stream<Path> files = Files.walk(work)) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.getParent() != null
                    && f.getParent().getFileName().toString().matches("readings-\\d+")
                    && f.getFileName().toString().endsWith(".log"))::iterator) {
                sum += Files.size(f);
            }
        }
        return sum;
    }

    private static Map<String, Double> awaitMetrics(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return metrics(port);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("aggregator runner metrics did not answer within 60 s", e);
                }
                Thread.sleep(250);
            }
        }
    }

    /** Scrapes the runner's Prometheus endpoint: name → value of every sample line without labels. */
    private static Map<String, Double> metrics(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Double> m = new HashMap<>();
        for (String line : r.body().split("\n")) {
            String[] kv = line.split(" ");
            if (!line.startsWith("#") && kv.length == 2) {
                m.put(kv[0], Double.parseDouble(kv[1]));
            }
        }
        return m;
    }

    private static Map<Integer, Long> endOffsets(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<TopicPartition> tps = new ArrayList<>();
        for (int i = 0; i < PARTITIONS; i++) {
            tps.add(new TopicPartition("readings", i));
        }
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            Map<Integer, Long> m = new HashMap<>();
            c.endOffsets(tps).forEach((tp, off) -> m.put(tp.partition(), off));
            return m;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
