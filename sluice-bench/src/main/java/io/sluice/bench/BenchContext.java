package io.sluice.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.sluice.local.LocalStack;
import io.sluice.local.pipeline.SensorPipeline;
import io.sluice.local.verify.ClickHouseQuery;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What every contender of one shape shares: the running stack, the rows, the one topic that holds them and its
 * end offsets, and an HTTP client for ClickHouse.
 *
 * @param stack      the running local stack
 * @param data       the rows, as produced to the topic
 * @param topic      the topic every contender reads
 * @param partitions its partition count
 * @param endOffsets end offset of each partition after the rows were produced
 */
record BenchContext(LocalStack stack, BenchRows data, String topic, int partitions, Map<Integer, Long> endOffsets) {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /**
     * Creates {@code topic} with {@code partitions} partitions and produces every row to it (row i to partition
     * i mod partitions, acks=all, zstd batches), then returns the context with the topic's end offsets.
     *
     * @throws org.apache.kafka.common.KafkaException if the broker refuses
     */
    static BenchContext produce(LocalStack stack, BenchRows data, String topic, int partitions) {
        SensorPipeline.createTopic(stack.bootstrapServers(), topic, partitions);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "25");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(128 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < data.json.size(); i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, null, data.json.get(i)));
            }
            producer.flush();
        }
        return new BenchContext(stack, data, topic, partitions, endOffsets(stack.bootstrapServers(), topic, partitions));
    }

    private static Map<Integer, Long> endOffsets(String bootstrap, String topic, int partitions) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<TopicPartition> tps = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            tps.add(new TopicPartition(topic, i));
        }
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            Map<Integer, Long> m = new LinkedHashMap<>();
            c.endOffsets(tps).forEach((tp, off) -> m.put(tp.partition(), off));
            return m;
        }
    }

    /** Returns the ClickHouse query client. */
    ClickHouseQuery ch() {
        return stack.clickHouse();
    }

    /**
     * POSTs an insert body to ClickHouse over HTTP.
     *
     * @param insertSql  the INSERT statement, with its FORMAT
     * @param body       the rows
     * @param bestEffort whether to parse date-times with {@code date_time_input_format=best_effort} (ISO texts)
     * @throws IllegalStateException if ClickHouse does not answer 200
     */
    void post(String insertSql, byte[] body, int length, boolean bestEffort) throws IOException, InterruptedException {
        String url = stack.clickHouseUrl() + "/?" + (bestEffort ? "date_time_input_format=best_effort&" : "")
                + "query=" + URLEncoder.encode(insertSql, UTF_8);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, length)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("insert failed: " + r.body());
        }
    }

    private String auth() {
        return "Basic " + Base64.getEncoder().encodeToString(("default:" + stack.clickHouseServer().password())
                .getBytes(UTF_8));
    }
}
