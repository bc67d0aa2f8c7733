package io.sluice.bench;

import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import io.sluice.local.server.KafkaBroker;
import io.sluice.local.pipeline.SensorPipeline;
import io.sluice.producer.ProduceCommand;
import io.sluice.producer.ReadingProducer;
import io.sluice.producer.SensorSimulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code sluice produce} against the logic of Kafka's {@code kafka-producer-perf-test}, same records, same client
 * settings, same broker, same run.
 *
 * <ul>
 *   <li><b>perf-test logic</b>: the records (device id key, reading JSON value) are built before timing, as the
 *       perf test reads its payloads from a file; then one thread sends them in a tight loop with a callback that
 *       counts acknowledgements and fails on an error, and closes the producer.</li>
 *   <li><b>{@code sluice produce}</b>: the real command ({@link ProduceCommand}) with {@code --unpaced}, the same
 *       seed, devices, count and start time, so it simulates and serialises the same readings while it sends.</li>
 * </ul>
 * Both use {@link ReadingProducer#defaultConfig} (acks=all, idempotence, zstd, 25 ms linger, 128 KiB batches), into a
 * fresh topic each, after a warm-up round, in alternating order. Timed from the start to the last acknowledgement
 * (close). JVM CPU includes the broker, which runs in this JVM.
 *
 * <p>Arguments: {@code [readings] [rounds] [partitions]}, default 2,000,000, 3, 2.
 */
public final class ProducerBench {

    private static final int DEVICES = 1000;
    private static final long SEED = 5;
    private static final String START = "2026-11-01T00:00:00Z";

    private ProducerBench() {
    }

    /**
     * Runs the benchmark and prints one line per run and the ratio per round.
     *
     * @param args readings, rounds, partitions
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        List<String> keys = new ArrayList<>(n);
        List<byte[]> values = new ArrayList<>(n);
        long bytes = 0;
        SensorSimulator sim = SensorSimulator.builder().devices(DEVICES).count(n).seed(SEED)
                .startTime(Instant.parse(START)).paced(false).build();
        while (sim.hasNext()) {
            Reading r = sim.next();
            keys.add(r.key());
            values.add(ReadingJson.toBytes(r));
            bytes += r.key().length() + values.get(values.size() - 1).length;
        }
        System.out.printf(Locale.ROOT, "%,d readings, %.1f bytes of key and value each%n", n, (double) bytes / n);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (KafkaBroker broker = new KafkaBroker(Files.createTempDirectory("sluice-producer-bench"), 0).start()) {
            String bootstrap = broker.bootstrapServers();
            int topicNo = 0;
            for (int round = 0; round <= rounds; round++) {
                double[] seconds = new double[2];
                for (int k = 0; k < 2; k++) {
                    int which = round % 2 == 0 ? k : 1 - k;
                    String topic = "produce-bench-" + (++topicNo);
                    SensorPipeline.createTopic(bootstrap, topic, partitions);
                    long cpu0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    if (which == 0) {
                        perfTestLogic(bootstrap, topic, keys, values);
                    } else {
                        sluiceProduce(bootstrap, topic, n);
                    }
                    seconds[which] = (System.nanoTime() - t0) / 1e9;
                    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
                    System.out.printf(Locale.ROOT, "%s %-28s %,10.0f records/s (%.2f s), %6.1f MB/s, JVM %.2f CPU s per 1M%n",
                            round == 0 ? "warm-up" : "round " + round, which == 0 ? "perf-test logic" : "sluice produce",
                            n / seconds[which], seconds[which], bytes / 1e6 / seconds[which], cpu / (n / 1e6));
                }
                if (round > 0) {
                    System.out.printf(Locale.ROOT, "round %d: sluice produce / perf-test logic = %.2f%n", round,
                            seconds[0] / seconds[1]);
                }
            }
        }
    }

    /** The perf test's send loop: pre-built records, a counting callback, close waits for every acknowledgement. */
    private static void perfTestLogic(String bootstrap, String topic, List<String> keys, List<byte[]> values) {
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(ReadingProducer.defaultConfig(bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < keys.size(); i++) {
                p.send(new ProducerRecord<>(topic, keys.get(i), values.get(i)), (md, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
            }
        }
        if (failed.get() != null || acked.get() != keys.size()) {
            throw new IllegalStateException("perf-test logic: " + acked.get() + " acknowledged", failed.get());
        }
    }

    /** Runs {@code sluice produce} in this JVM. */
    private static void sluiceProduce(String bootstrap, String topic, int n) {
        StringWriter out = new StringWriter();
        var cl = ProduceCommand.newCommandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        int rc = cl.execute("--bootstrap-servers", bootstrap, "--topic", topic, "--devices", String.valueOf(DEVICES),
                "--count", String.valueOf(n), "--seed", String.valueOf(SEED), "--start-time", START, "--unpaced",
                "--progress-interval", "60s");
        if (rc != 0) {
            throw new IllegalStateException("sluice produce exited " + rc + ": " + out);
        }
    }
}
