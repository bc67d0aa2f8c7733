package io.sluice.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A paced stream of {@code {"id": n, "checksum": c}} records for fault tests, produced in a background thread
 * round-robin over the topic's partitions. Each checksum is a seeded random 63-bit number, so the sum of the
 * checksum column tells a lost row from a duplicated one. With a poison rate, some records are payloads the sink
 * cannot write (malformed JSON, wrong types); their Kafka coordinates are recorded as the producer learns them.
 *
 * <p>Table: {@code (id UInt64, checksum UInt64, _kafka_topic String, _kafka_partition UInt32, _kafka_offset UInt64)}
 * ({@link #createTableSql}).
 */
final class ChecksumStream {

    private static final String[] POISON = {
        "{\"id\":",                          // malformed JSON: the converter fails
        "{\"id\":\"x\",\"checksum\":1}",     // a string for UInt64
        "{\"id\":-1,\"checksum\":1}",        // negative for UInt64
        "[1,2]",                             // not an object
    };

    private final String bootstrapServers;
    private final String topic;
    private final int partitions;
    private final int records;
    private final int recordsPerSecond;
    private final int poisonPerMille;
    private final Random random;
    private final AtomicLong sent = new AtomicLong();
    private final Set<String> poisonCoordinates = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    /** Records the producer may send so far; it holds at this count until {@link #allowUpTo} raises it. */
    private volatile long allowed = Long.MAX_VALUE;
    private long validRecords;
    private long checksumSum;
    private Thread thread;

    /**
     * @param records          how many records, poison included
     * @param recordsPerSecond pace of the stream
     * @param poisonPerMille   poison records per thousand, on average
     * @param seed             seed of the checksums and of the poison positions
     */
    ChecksumStream(String bootstrapServers, String topic, int partitions, int records, int recordsPerSecond,
                   int poisonPerMille, long seed) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.partitions = partitions;
        this.records = records;
        this.recordsPerSecond = recordsPerSecond;
        this.poisonPerMille = poisonPerMille;
        this.random = new Random(seed);
    }

    /** Returns the DDL of a table for this stream, sorted by the Kafka coordinates. */
    static String createTableSql(String table) {
        return "CREATE TABLE " + table + " (id UInt64, checksum UInt64, _kafka_topic String, "
                + "_kafka_partition UInt32, _kafka_offset UInt64) ENGINE = MergeTree() "
                + "ORDER BY (_kafka_partition, _kafka_offset)";
    }

    /** Starts producing in a background thread. */
    ChecksumStream start() {
        thread = new Thread(this::produce, "checksum-stream-" + topic);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void produce() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        int chunk = Math.max(1, recordsPerSecond / 20);
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                while (i >= allowed) {
                    Thread.sleep(5);
                }
                if (i % chunk == 0) {
                    long due = start + (long) i * 1_000_000_000L / recordsPerSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                int partition = i % partitions;
                long checksum = random.nextLong() & Long.MAX_VALUE;
                boolean poison = random.nextInt(1000) < poisonPerMille;
                byte[] value;
                if (poison) {
                    value = POISON[random.nextInt(POISON.length)].getBytes(UTF_8);
                    producer.send(new ProducerRecord<>(topic, partition, null, value), (md, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        } else {
                            poisonCoordinates.add(md.partition() + "@" + md.offset());
                        }
                    });
                } else {
                    value = ("{\"id\":" + i + ",\"checksum\":" + checksum + "}").getBytes(UTF_8);
                    validRecords++;
                    checksumSum += checksum;
                    producer.send(new ProducerRecord<>(topic, partition, null, value), (md, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
                }
                sent.incrementAndGet();
            }
            producer.flush();
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Returns the number of records handed to the producer so far. */
    /**
     * Lets the producer send records up to {@code count} in all, and hold there (a fault test keeps records to come
     * until its last fault); call before {@code start()} to hold from the beginning.
     */
    ChecksumStream allowUpTo(long count) {
        allowed = count;
        return this;
    }

    long sent() {
        return sent.get();
    }

    /** Returns true while the producer thread runs. */
    boolean running() {
        return thread.isAlive();
    }

    /**
     * Waits until every record is acknowledged by the broker.
     *
     * @throws AssertionError if a send failed or the stream did not finish within the timeout
     */
    void awaitDone(java.time.Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("the stream did not finish within " + timeout.toSeconds() + " s; sent " + sent());
        }
        if (failure.get() != null) {
            throw new AssertionError("producing the stream failed", failure.get());
        }
    }

    /** Returns the number of valid records; call after {@link #awaitDone}. */
    long validRecords() {
        return validRecords;
    }

    /** Returns the sum of the valid records' checksums, modulo 2^64 (as ClickHouse's UInt64 sum wraps). */
    long checksumSum() {
        return checksumSum;
    }

    /** Returns the {@code partition@offset} of every poison record; complete after {@link #awaitDone}. */
    Set<String> poisonCoordinates() {
        return poisonCoordinates;
    }
}
