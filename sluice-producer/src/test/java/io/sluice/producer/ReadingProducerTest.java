package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ReadingProducerTest {

    @Test
    void defaultsAreDurableBatchedAndCompressedAndOverridable() {
        Properties p = ReadingProducer.config("b:9094", Map.of("security.protocol", "SSL"), Map.of("linger.ms", "50"));
        assertThat(p).containsEntry("bootstrap.servers", "b:9094").containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true").containsEntry("compression.type", "zstd")
                .containsEntry("batch.size", "131072").containsEntry("linger.ms", "50")
                .containsEntry("security.protocol", "SSL");
    }

    @Test
    void mskIamClientPropertiesAreAcceptedBecauseTheIamLibraryIsBundled() {
        Properties p = ReadingProducer.config("127.0.0.1:1", Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "AWS_MSK_IAM",
                "sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;",
                "sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler"));
        try (ReadingProducer producer = new ReadingProducer("t", p, Duration.ZERO)) {
            assertThat(producer).isNotNull();
        }
    }

    @Test
    void sendsKeyedJsonAndCountsAcknowledgements() throws Exception {
        MockProducer<String, byte[]> mock = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        SensorSimulator sim = SensorSimulator.builder().devices(3).count(30).seed(1)
                .startTime(Instant.parse("2026-01-01T00:00:00Z")).paced(false).build();
        ProduceResult r;
        try (ReadingProducer producer = new ReadingProducer("readings", mock, Duration.ofSeconds(1))) {
            r = producer.run(List.of(sim), ProgressListener.NONE, Duration.ofSeconds(1));
        }
        assertThat(r.records()).isEqualTo(30);
        assertThat(r.sent()).isEqualTo(30);
        List<ProducerRecord<String, byte[]>> sent = mock.history();
        assertThat(sent).hasSize(30).allSatisfy(rec -> assertThat(rec.topic()).isEqualTo("readings"));
        assertThat(sent.get(0).key()).isEqualTo("1");
        assertThat(new String(sent.get(0).value(), java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("{\"device_id\":1,\"timestamp\":\"2026-01-01T00:00:00Z\",\"temperature\":");
        assertThat(sent.get(0).timestamp()).as("record timestamp left to the producer").isNull();
        assertThat(r.bytes()).isEqualTo(sent.stream().mapToLong(x -> x.key().length() + x.value().length).sum());
    }

    @Test
    void aFailedSendStopsTheRunWithDeliveryFailed() {
        // the third send fails in its callback, as a broker rejection would
        MockProducer<String, byte[]> mock = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
            private int sends;

            @Override
            public synchronized java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
                    ProducerRecord<String, byte[]> record, org.apache.kafka.clients.producer.Callback callback) {
                if (++sends == 3) {
                    callback.onCompletion(null, new org.apache.kafka.common.errors.RecordTooLargeException("too large"));
                    return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("failed"));
                }
                return super.send(record, callback);
            }
        };
        SensorSimulator sim = SensorSimulator.builder().devices(1).count(1_000).seed(1).paced(false).build();
        ReadingProducer producer = new ReadingProducer("readings", mock, Duration.ofSeconds(1));
        assertThatThrownBy(() -> producer.run(List.of(sim), ProgressListener.NONE, Duration.ofMillis(10)))
                .isInstanceOf(DeliveryFailedException.class)
                .hasMessageContaining("delivery to topic 'readings' failed: too large")
                .satisfies(e -> assertThat(((DeliveryFailedException) e).acked()).isEqualTo(2));
        assertThat(mock.history()).as("stopped at the first failure").hasSizeLessThan(1_000);
        assertThatThrownBy(() -> producer.run(List.of(sim), ProgressListener.NONE, Duration.ofMillis(10)))
                .isInstanceOf(IllegalStateException.class);
        producer.close();
    }
}
