package io.sluice.bench;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The ceiling for a Kafka consumer on this machine: one plain {@link KafkaConsumer} thread per partition that
 * concatenates the raw values into a JSONEachRow body and POSTs it every {@code batch} rows (and at the partition's
 * end), with no guarantees: no coordinates, no offsets committed, no retries. Consumers are assigned their
 * partition and read it from the beginning; fetch sizes are raised so the consumer never waits on small fetches.
 */
final class PlainConsumerContender implements Contender {

    private final BenchContext ctx;
    private final int batch;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean stop = new AtomicBoolean();

    /** @param batch rows per insert, per partition */
    PlainConsumerContender(BenchContext ctx, int batch) {
        this.ctx = ctx;
        this.batch = batch;
    }

    @Override
    public String name() {
        return "ceiling: plain KafkaConsumer per partition, JSONEachRow POSTs";
    }

    @Override
    public String delivery() {
        return "none";
    }

    @Override
    public boolean writesCoordinates() {
        return false;
    }

    @Override
    public void start(String table, int run) {
        stop.set(false);
        threads.clear();
        String sql = "INSERT INTO " + table + " (" + ctx.data().columnList() + ") FORMAT JSONEachRow";
        for (Map.Entry<Integer, Long> p : ctx.endOffsets().entrySet()) {
            Thread t = new Thread(() -> consume(new TopicPartition(ctx.topic(), p.getKey()), p.getValue(), sql),
                    "bench-plain-consumer-" + p.getKey());
            threads.add(t);
            t.start();
        }
    }

    private void consume(TopicPartition tp, long end, String sql) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.stack().bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "20000");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 << 20));
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            Body body = new Body();
            int rows = 0;
            long next = 0;
            while (next < end && !stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    body.writeBytes(r.value());
                    body.write('\n');
                    next = r.offset() + 1;
                    if (++rows == batch) {
                        ctx.post(sql, body.raw(), body.size(), true);
                        body.reset();
                        rows = 0;
                    }
                }
            }
            if (rows > 0) {
                ctx.post(sql, body.raw(), body.size(), true);
            }
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    /** A growable body whose bytes are POSTed without a copy. */
    private static final class Body extends ByteArrayOutputStream {
        Body() {
            super(16 << 20);
        }

        byte[] raw() {
            return buf;
        }
    }

    @Override
    public Throwable failure() {
        return failure.get();
    }

    @Override
    public void stop() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(60_000);
        }
    }
}
