package io.sluice.producer;

import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends readings from one or more {@link ReadingSource}s to a Kafka topic (or Amazon MSK), honouring their pacing.
 *
 * <p>Each record has the device id in decimal as key ({@link Reading#key()}) and the {@link ReadingJson} bytes as
 * value. The record timestamp is left to the producer (send time), not the reading's event time: replayed data from
 * years ago would otherwise fall outside the topic's retention and be deleted at once. The event time travels in the
 * JSON.
 *
 * <p>Defaults ({@link #defaultConfig}): {@code acks=all} with idempotence, {@code linger.ms=25},
 * {@code batch.size=131072} (128 KiB) and {@code compression.type=zstd}; every other client property (for example
 * {@code security.protocol=SSL} for MSK TLS on port 9094, or SASL settings for IAM) can be added or overridden.
 *
 * <p>{@link #run} starts one thread per source, so the demo can replay recorded data while simulating a fleet. It
 * stops at the first delivery failure and throws {@link DeliveryFailedException}. {@link #cancel()}, for example from
 * a shutdown hook on Ctrl-C, stops the sources, waits up to the close timeout for readings already sent and closes
 * the client. A producer runs once; create a new one for another run.
 */
public final class ReadingProducer implements AutoCloseable {

    /** Default linger in milliseconds: long enough to fill batches at thousands of readings/s, short for latency. */
    public static final int DEFAULT_LINGER_MS = 25;
    /** Default batch size in bytes (128 KiB): about 1,800 readings of 70 bytes before compression. */
    public static final int DEFAULT_BATCH_SIZE = 128 * 1024;
    /** Default compression; see the module README for the measurement behind the choice. */
    public static final String DEFAULT_COMPRESSION = "zstd";
    /** Default time {@link #cancel()} and {@link #close()} wait for readings already sent. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ReadingProducer.class);

    private final String topic;
    private final Producer<String, byte[]> producer;
    private final Duration closeTimeout;
    private final LongAdder sent = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder ackedBytes = new LongAdder();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    private volatile boolean stop;

    /**
     * Creates a Kafka producer with the given client properties.
     *
     * @param topic        target topic
     * @param config       client properties, usually from {@link #defaultConfig} with overrides; the key and value
     *                     serializers are always set to String and byte[]
     * @param closeTimeout how long {@link #cancel()} and {@link #close()} wait for readings already sent
     * @throws org.apache.kafka.common.KafkaException if the properties are invalid (the message names the property)
     */
    public ReadingProducer(String topic, Properties config, Duration closeTimeout) {
        this(topic, new KafkaProducer<>(withSerializers(config)), closeTimeout);
    }

    /**
     * Wraps an existing producer, for tests and for callers that manage the client themselves.
     *
     * @param topic        target topic
     * @param producer     the producer; closed by {@link #close()}
     * @param closeTimeout how long {@link #cancel()} and {@link #close()} wait for readings already sent
     */
    public ReadingProducer(String topic, Producer<String, byte[]> producer, Duration closeTimeout) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
    }

    /**
     * Returns the default client properties: the bootstrap servers, {@code acks=all}, idempotence, the default linger,
     * batch size and compression, and {@code client.id=sluice-producer}.
     *
     * @param bootstrapServers comma-separated {@code host:port} list
     * @return a new, mutable set of properties
     */
    public static Properties defaultConfig(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-producer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(DEFAULT_LINGER_MS));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(DEFAULT_BATCH_SIZE));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, DEFAULT_COMPRESSION);
        return p;
    }

    /**
     * Returns {@link #defaultConfig} with overrides applied on top, in order.
     *
     * @param bootstrapServers comma-separated {@code host:port} list
     * @param overrides        client properties that add to or replace the defaults, applied in order
     * @return a new, mutable set of properties
     */
    @SafeVarargs
    public static Properties config(String bootstrapServers, Map<String, String>... overrides) {
        Properties p = defaultConfig(bootstrapServers);
        for (Map<String, String> o : overrides) {
            p.putAll(o);
        }
        return p;
    }

    private static Properties withSerializers(Properties config) {
        Properties p = new Properties();
        p.putAll(config);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /**
     * Sends every reading of every source, concurrently, each source at its own pace, and waits until all are
     * acknowledged.
     *
     * @param sources          the sources, one thread each; at least one
     * @param listener         receives progress every {@code progressInterval} on the calling thread
     * @param progressInterval time between progress snapshots, positive
     * @return the counts and the achieved rate; {@link ProduceResult#cancelled()} tells whether {@link #cancel()}
     *         stopped the run early
     * @throws DeliveryFailedException if any reading cannot be delivered; the run stops at the first failure
     * @throws InterruptedException    if the calling thread is interrupted; the run is cancelled first
     * @throws IllegalStateException   if this producer has already run or is closed
     * @throws IllegalArgumentException if there are no sources or the interval is not positive
     */
    public ProduceResult run(List<? extends ReadingSource> sources, ProgressListener listener, Duration progressInterval)
            throws DeliveryFailedException, InterruptedException {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("at least one source is needed");
        }
        if (progressInterval.isZero() || progressInterval.isNegative()) {
            throw new IllegalArgumentException("progress interval must be positive, got " + progressInterval);
        }
        if (closed.get() || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("a ReadingProducer runs once; create a new one");
        }
        long start = System.nanoTime();
        for (int i = 0; i < sources.size(); i++) {
            ReadingSource source = sources.get(i);
            Thread t = new Thread(() -> pump(source, start), "sluice-producer-" + i);
            t.setDaemon(true);
            workers.add(t);
        }
        workers.forEach(Thread::start);
        try {
            long intervalNanos = progressInterval.toNanos();
            long lastAcked = 0;
            long lastNanos = start;
            long nextReport = start + intervalNanos;
            for (Thread t : workers) {
                while (true) {
                    t.join(Math.max(1L, TimeUnit.NANOSECONDS.toMillis(nextReport - System.nanoTime()) + 1));
                    if (!t.isAlive()) {
                        break;
                    }
                    long now = System.nanoTime();
                    if (now - nextReport >= 0) {
                        ProduceProgress p = progress(start, now, lastAcked, lastNanos);
                        lastAcked = p.acked();
                        lastNanos = now;
                        nextReport = now + intervalNanos;
                        report(listener, p);
                    }
                }
            }
            return finish(start);
        } catch (InterruptedException e) {
            cancel();
            throw e;
        } finally {
            finished.countDown();
        }
    }

    private ProduceResult finish(long start) throws DeliveryFailedException {
        if (!cancelled.get() && failure.get() == null) {
            producer.flush();
        } else {
            closeClient();
        }
        long elapsedNanos = System.nanoTime() - start;
        Exception f = failure.get();
        if (f != null && !cancelled.get()) {
            throw new DeliveryFailedException("delivery to topic '" + topic + "' failed: " + f.getMessage(),
                    sent.sum(), acked.sum(), f);
        }
        long records = acked.sum();
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(elapsedNanos);
        double rate = elapsedNanos <= 0 ? 0 : records * 1e9 / elapsedNanos;
        return new ProduceResult(records, sent.sum(), ackedBytes.sum(), elapsedMillis, rate, cancelled.get());
    }

    private void pump(ReadingSource source, long start) {
        DeviceKeys keys = new DeviceKeys();
        try {
            while (!stop && source.hasNext()) {
                long due = source.nextDueNanos();
                if (due > 0) { // an unpaced source (due 0) never waits: no clock read per reading
                    long wait;
                    while (!stop && (wait = due - (System.nanoTime() - start)) > 0) {
                        LockSupport.parkNanos(Math.min(wait, 50_000_000L));
                    }
                }
                if (stop) {
                    return;
                }
                Reading r = source.next();
                String key = keys.key(r);
                byte[] value = ReadingJson.toBytes(r);
                int size = key.length() + value.length; // the key is ASCII digits, one byte each
                producer.send(new ProducerRecord<>(topic, key, value), (meta, ex) -> {
                    if (ex == null) {
                        acked.increment();
                        ackedBytes.add(size);
                    } else {
                        fail(ex);
                    }
                });
                sent.increment();
            }
        } catch (InterruptException e) {
            if (!cancelled.get()) {
                fail(e);
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void fail(Exception e) {
        if (failure.compareAndSet(null, e) && !cancelled.get()) {
            LOG.error("delivery failed, stopping: {}", e.toString());
        }
        stop = true;
    }

    /**
     * Stops a running {@link #run}: sources stop at once, readings already sent get up to the close timeout to be
     * acknowledged, then the client closes and {@code run} returns a result with {@code cancelled = true}. Source
     * threads blocked in the Kafka client are interrupted. Safe to
     * call from any thread, including a shutdown hook, and more than once. Returns without waiting; use
     * {@link #awaitFinished(Duration)} to wait.
     */
    public void cancel() {
        cancelled.set(true);
        stop = true;
        // wakes a source thread blocked in send(), for example waiting for metadata of an unreachable cluster
        workers.forEach(Thread::interrupt);
    }

    /**
     * Waits until a started {@link #run} has returned or thrown.
     *
     * @param timeout how long to wait at most
     * @return {@code true} if the run has finished (or never started), {@code false} on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return !started.get() || finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void report(ProgressListener listener, ProduceProgress p) {
        try {
            listener.onProgress(p);
        } catch (RuntimeException e) {
            LOG.warn("progress listener failed: {}", e.toString());
        }
    }

    private ProduceProgress progress(long start, long now, long lastAcked, long lastNanos) {
        long a = acked.sum();
        double current = now > lastNanos ? (a - lastAcked) * 1e9 / (now - lastNanos) : 0;
        double average = now > start ? a * 1e9 / (now - start) : 0;
        return new ProduceProgress(sent.sum(), a, ackedBytes.sum(), TimeUnit.NANOSECONDS.toMillis(now - start),
                current, average);
    }

    private void closeClient() {
        if (closed.compareAndSet(false, true)) {
            producer.close(closeTimeout);
        }
    }

    /**
     * Cancels a run in progress and closes the Kafka client, waiting up to the close timeout for readings already
     * sent. Idempotent.
     */
    @Override
    public void close() {
        cancel();
        closeClient();
    }
}
