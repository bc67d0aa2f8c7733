package io.sluice.aggregator.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.aggregator.core.Metrics;
import io.sluice.aggregator.testing.SensorData;
import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import io.sluice.local.server.DynamoDbLocalServer;
import io.sluice.local.server.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runner's Prometheus endpoint, scraped over HTTP while a real runner consumes from a real broker into
 * DynamoDB Local: every scrape is a snapshot between two reads of the runner's counters, and once the runner is
 * idle every exposed counter equals the runner's own.
 */
class PrometheusEndpointTest {

    private static final String TOPIC = "readings";
    private static final int TOTAL = 20_000;
    private static final Pattern SAMPLE = Pattern.compile("^(sluice_aggregator_[a-z_]+) ([0-9.E+-]+)$", Pattern.MULTILINE);

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void scrapesWhileReadingsFlowEqualTheRunnersCounters() throws Exception {
        List<Reading> readings = SensorData.generate(20, TOTAL / 20, Instant.parse("2026-11-21T07:00:00Z"), 100, 7);
        try (KafkaBroker kafka = new KafkaBroker(Files.createTempDirectory("agg-prom"), 0).start();
             DynamoDbLocalServer ddb = DynamoDbLocalServer.start(0);
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
            RunnerConfig cfg = RunnerConfig.defaults(kafka.bootstrapServers(), TOPIC, "prom-test", ddb.endpoint(),
                    "us-east-1", "prom_windows").withMaxPollRecords(500);
            try (AggregatorRunner runner = new AggregatorRunner(cfg);
                 PrometheusEndpoint endpoint = PrometheusEndpoint.start("127.0.0.1", 0, runner)) {
                runner.start();
                HttpClient http = HttpClient.newHttpClient();
                URI uri = URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics");
                List<Map<String, Double>> scrapes = new ArrayList<>();
                try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers",
                        kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                    for (int i = 0; i < readings.size(); i++) {
                        Reading r = readings.get(i);
                        p.send(new ProducerRecord<>(TOPIC, r.key(), ReadingJson.toBytes(r)));
                        if (i % 2000 == 1999) {
                            p.flush();
                            long before = runner.metrics().records();
                            Map<String, Double> s = scrape(http, uri);
                            long after = runner.metrics().records();
                            assertThat(s.get("sluice_aggregator_records_total")).isBetween((double) before, (double) after);
                            scrapes.add(s);
                        }
                    }
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (runner.metrics().applied() < TOTAL && System.nanoTime() < deadline) {
                    scrapes.add(scrape(http, uri));
                    Thread.sleep(100);
                }
                assertThat(runner.failure()).isNull();
                assertThat(runner.metrics().records()).isEqualTo(TOTAL);
                // counters never go down between scrapes, and some scrape saw data in flight
                for (int i = 1; i < scrapes.size(); i++) {
                    for (Map.Entry<String, Double> e : scrapes.get(i).entrySet()) {
                        assertThat(e.getValue()).as(e.getKey()).isGreaterThanOrEqualTo(scrapes.get(i - 1).get(e.getKey()));
                    }
                }
                assertThat(scrapes).anySatisfy(s -> assertThat(s.get("sluice_aggregator_records_total"))
                        .isGreaterThan(0).isLessThan(TOTAL));

                // a scrape between two equal snapshots of the runner's counters must show exactly those
                Metrics.Snapshot m;
                Map<String, Double> last;
                do {
                    m = runner.metrics();
                    last = scrape(http, uri);
                } while (!m.equals(runner.metrics()));
                assertThat(last).containsEntry("sluice_aggregator_records_total", (double) m.records())
                        .containsEntry("sluice_aggregator_invalid_total", (double) m.invalid())
                        .containsEntry("sluice_aggregator_late_total", (double) m.late())
                        .containsEntry("sluice_aggregator_applied_total", (double) m.applied())
                        .containsEntry("sluice_aggregator_duplicates_total", (double) m.duplicates())
                        .containsEntry("sluice_aggregator_writes_total", (double) m.writes())
                        .containsEntry("sluice_aggregator_conflicts_total", (double) m.conflicts())
                        .containsEntry("sluice_aggregator_reads_total", (double) m.reads())
                        .containsEntry("sluice_aggregator_throttled_total", (double) m.throttled())
                        .containsEntry("sluice_aggregator_failed_items_total", (double) m.failedItems());
                assertThat(m.applied()).isEqualTo(TOTAL);
                assertThat(last.get("sluice_aggregator_committed_batches_total")).isPositive();
            }
        }
    }

    private static Map<String, Double> scrape(HttpClient http, URI uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Double> samples = new HashMap<>();
        Matcher m = SAMPLE.matcher(r.body());
        while (m.find()) {
            samples.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return samples;
    }
}
