package io.sluice.bench;

import io.sluice.local.verify.CdcLagProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The first half of commit-to-visible: from the commit of a {@link CdcLagProbe} row to its change event being
 * readable in Kafka. A consumer thread reads the probe table's change topic from its end and, for each insert
 * event, records the receive time minus the row's {@code committed_at} (the writer's clock just before the
 * INSERT; Debezium sends DATETIME(6) as epoch microseconds with {@code time.precision.mode=
 * adaptive_time_microseconds}). The rest of the path (consumer fetch, sink buffer, insert, visible) is the total
 * minus this. Same clock, same machine; resolution 1 ms plus the consumer's fetch.
 */
final class ProbeArrivals implements AutoCloseable {

    /** The after-image's commit time: the first numeric {@code committed_at} in the payload (before is null). */
    private static final Pattern COMMITTED_AT = Pattern.compile("\"committed_at\":(\\d+)");

    private final List<long[]> arrivals = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Starts reading.
     *
     * @param bootstrap Kafka
     * @param topic     the probe table's change topic (one partition)
     */
    ProbeArrivals(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        TopicPartition tp = new TopicPartition(topic, 0);
        consumer.assign(List.of(tp));
        consumer.seekToEnd(List.of(tp));
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.currentTimeMillis();
                        Matcher m = r.value() == null ? null : COMMITTED_AT.matcher(r.value());
                        if (m != null && m.find()) {
                            synchronized (arrivals) {
                                arrivals.add(new long[] {System.nanoTime(), now - Long.parseLong(m.group(1)) / 1000});
                            }
                        }
                    }
                }
            }
        }, "probe-arrivals");
        thread.setDaemon(true);
        thread.start();
    }

    /** Returns commit-to-Kafka lags, in ms, of the probes that arrived between two {@code System.nanoTime()}s. */
    List<Long> lagsBetween(long fromNanos, long toNanos) {
        List<Long> lags = new ArrayList<>();
        synchronized (arrivals) {
            for (long[] a : arrivals) {
                if (a[0] >= fromNanos && a[0] < toNanos) {
                    lags.add(a[1]);
                }
            }
        }
        return lags;
    }

    /** Stops the thread and closes the consumer. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
