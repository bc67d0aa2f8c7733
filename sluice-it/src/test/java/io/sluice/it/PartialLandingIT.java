package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.local.LocalStack;
import io.sluice.local.pipeline.SensorPipeline;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.management.AttributeNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once resume after an insert that landed in part, on the real stack (Kafka broker, in-process Connect
 * worker, ClickHouse 18.16). ClickHouse writes one part per table partition of an insert, so an insert cut
 * between its parts leaves some table partitions with the batch's rows and others without. The test builds that
 * state directly: it writes, as the sink would have, the rows of a non-contiguous subset of offsets (two of seven
 * day partitions of the middle of every Kafka partition, plus single offsets at the edges), commits no offset, and
 * starts the sink from offset 0. The sink must skip exactly those offsets and insert every other record once.
 *
 * <p>Not covered here: an insert larger than {@code max_insert_block_size} (1,048,576 rows) cut between its
 * blocks; it leaves the same kind of state (a subset of the batch's offsets), but producing it takes too long for
 * the suite.
 */
class PartialLandingIT {

    private static final Logger log = LoggerFactory.getLogger(PartialLandingIT.class);

    private static final String TOPIC = "partial-in";
    private static final String TABLE = "partial_rows";
    private static final String CONNECTOR = "partial-sink";
    private static final int PARTITIONS = 3;
    private static final int RECORDS = 3000;
    /** Record {@code id} goes to day {@code FIRST_DAY + id % DAYS}; the table is partitioned by day. */
    private static final int DAYS = 7;
    private static final LocalDate FIRST_DAY = LocalDate.parse("2026-11-01");
    /** The earlier insert: Kafka offsets [300, 700) of every partition, of which the parts of these days landed. */
    private static final long CUT_FROM = 300;
    private static final long CUT_TO = 700;
    private static final Set<Integer> LANDED_DAYS = Set.of(2, 5);
    /**
     * Single landed offsets per Kafka partition: the first and last offsets and the neighbours of the cut insert,
     * where an off-by-one in the resume position or the ledger would show.
     */
    private static final Map<Integer, Set<Long>> LANDED_SINGLES = Map.of(
            0, Set.of(0L, 17L, 999L),
            1, Set.of(1L, 299L, 700L, 998L),
            2, Set.of(250L, 251L, 999L));

    /** The table's columns, in the order of {@link Source#row} and {@link Source#valuesTuple}. */
    private static final String COLUMNS = "id, day, checksum, _kafka_topic, _kafka_partition, _kafka_offset";

    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = Stack.start("partial-landing");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** One produced record: its Kafka coordinates and its values. */
    private record Source(int partition, long offset, long id, LocalDate day, long checksum) {

        boolean landedEarlier() {
            return offset >= CUT_FROM && offset < CUT_TO
                    && LANDED_DAYS.contains((int) (day.toEpochDay() - FIRST_DAY.toEpochDay()))
                    || LANDED_SINGLES.get(partition).contains(offset);
        }

        /** The row as {@code SELECT ... FORMAT TabSeparated} prints it, in {@link #COLUMNS} order. */
        String row() {
            return id + "\t" + day + "\t" + checksum + "\t" + TOPIC + "\t" + partition + "\t" + offset;
        }

        String valuesTuple() {
            return "(" + id + ", '" + day + "', " + checksum + ", '" + TOPIC + "', " + partition + ", " + offset + ")";
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void recordsOfAnInsertThatLandedInSomeTablePartitionsAreSkippedAndTheRestInsertedOnce() throws Exception {
        SensorPipeline.createTopic(stack.bootstrapServers(), TOPIC, PARTITIONS);
        stack.clickHouse().execute("CREATE TABLE " + TABLE + " (id UInt64, day Date, checksum UInt64, "
                + "_kafka_topic String, _kafka_partition UInt32, _kafka_offset UInt64) ENGINE = MergeTree() "
                + "PARTITION BY day ORDER BY (_kafka_partition, _kafka_offset)");
        List<Source> sources = produce();

        // The earlier owner's insert landed in part, and it died before committing any offset.
        List<Source> landed = sources.stream().filter(Source::landedEarlier).toList();
        StringJoiner values = new StringJoiner(", ");
        landed.forEach(s -> values.add(s.valuesTuple()));
        stack.clickHouse().execute("INSERT INTO " + TABLE + " (" + COLUMNS + ") VALUES " + values);
        long landedDays = stack.clickHouse().scalar("SELECT uniqExact(day) FROM " + TABLE);
        log.info("{} of {} records pre-inserted, in {} table partitions", landed.size(), RECORDS, landedDays);
        assertThat(landedDays).as("table partitions holding the landed rows").isGreaterThan(2);

        KafkaState kafka = new KafkaState(stack.bootstrapServers());
        assertThat(kafka.committed(CONNECTOR, TOPIC, PARTITIONS)).isEqualTo(Map.of(0, 0L, 1, 0L, 2, 0L));
        Map<String, String> config = new SensorPipeline(stack, TOPIC, TABLE).sinkConfig(1, null);
        stack.connect().putConnector(CONNECTOR, config); // delivery.guarantee: the default, exactly_once
        stack.connect().awaitRunning(CONNECTOR, 1, Duration.ofSeconds(60));
        Map<Integer, Long> end = kafka.endOffsets(TOPIC, PARTITIONS);
        Waits.until(Duration.ofSeconds(90), () -> {
            try {
                return kafka.committed(CONNECTOR, TOPIC, PARTITIONS).equals(end);
            } catch (Exception e) {
                return false;
            }
        }, () -> "committed offsets did not reach " + end + "; rows " + stack.clickHouse().scalar(
                "SELECT count() FROM " + TABLE));
        Thread.sleep(2000); // a late duplicate would land within the next flush interval

        String[] totals = stack.clickHouse().rows("SELECT count(), uniqExact(_kafka_partition, _kafka_offset), "
                + "toString(sum(checksum)) FROM " + TABLE).get(0);
        long checksumSum = sources.stream().mapToLong(Source::checksum).sum();
        log.info("{} rows, {} distinct coordinates, checksum sum {}; expected {} rows, checksum sum {}", totals[0],
                totals[1], totals[2], RECORDS, Long.toUnsignedString(checksumSum));
        assertThat(Long.parseLong(totals[0])).as("rows").isEqualTo(RECORDS);
        assertThat(Long.parseLong(totals[1])).as("distinct (partition, offset)").isEqualTo(RECORDS);
        assertThat(Long.parseUnsignedLong(totals[2])).as("sum of checksums mod 2^64").isEqualTo(checksumSum);
        List<String[]> perPartition = stack.clickHouse().rows("SELECT _kafka_partition, count(), "
                + "uniqExact(_kafka_offset), min(_kafka_offset), max(_kafka_offset) FROM " + TABLE
                + " GROUP BY _kafka_partition ORDER BY _kafka_partition");
        assertThat(perPartition).as("Kafka partitions with rows").hasSize(PARTITIONS);
        for (String[] p : perPartition) {
            long n = end.get(Integer.parseInt(p[0]));
            assertThat(p).as("partition %s: rows, distinct offsets, lowest, highest", p[0])
                    .containsExactly(p[0], String.valueOf(n), String.valueOf(n), "0", String.valueOf(n - 1));
        }
        // Every row is its record: values and coordinates.
        assertThat(stack.clickHouse().rows("SELECT " + COLUMNS + " FROM " + TABLE
                + " ORDER BY _kafka_partition, _kafka_offset").stream().map(r -> String.join("\t", r)).toList())
                .containsExactlyElementsOf(sources.stream().map(Source::row).toList());

        // The landed rows were recognised and skipped, not inserted again.
        long skipped = taskMetric("records-skipped");
        long inserted = taskMetric("records-inserted");
        log.info("sink task: {} records skipped as already written, {} rows inserted", skipped, inserted);
        assertThat(skipped).as("records-skipped").isEqualTo(landed.size());
        assertThat(inserted).as("records-inserted").isEqualTo(RECORDS - landed.size());
        stack.connect().deleteConnector(CONNECTOR);
    }

    /**
     * Sends {@link #RECORDS} JSON records {@code {"id", "day", "checksum"}} round-robin over the partitions (acks=all,
     * idempotent, so each partition keeps the send order) and returns them with the coordinates the broker gave,
     * sorted by partition and offset.
     */
    private static List<Source> produce() throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        Random random = new Random(20261121L);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        List<long[]> values = new ArrayList<>();
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int id = 0; id < RECORDS; id++) {
                long checksum = random.nextLong() & Long.MAX_VALUE;
                LocalDate day = FIRST_DAY.plusDays(id % DAYS);
                values.add(new long[] {id, day.toEpochDay(), checksum});
                sent.add(producer.send(new ProducerRecord<>(TOPIC, id % PARTITIONS, null,
                        "{\"id\":" + id + ",\"day\":\"" + day + "\",\"checksum\":" + checksum + "}")));
            }
            producer.flush();
        }
        List<Source> out = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            RecordMetadata md = sent.get(i).get(30, TimeUnit.SECONDS);
            long[] v = values.get(i);
            out.add(new Source(md.partition(), md.offset(), v[0], LocalDate.ofEpochDay(v[1]), v[2]));
        }
        out.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.offset(), b.offset()));
        return out;
    }

    /**
     * Returns a metric of the connector's task, summed over its MBeans. The in-process worker (Kafka 4.1) publishes
     * the sink's metrics as plugin metrics (KIP-877) through its JMX reporter, under {@code kafka.connect:type=plugins}
     * tagged with the connector and task.
     *
     * @throws AssertionError if no MBean of the connector has the metric
     */
    private static long taskMetric(String metric) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName("kafka.connect:type=plugins,*"), null);
        long sum = 0;
        boolean found = false;
        for (ObjectName name : names) {
            String connector = name.getKeyProperty("connector");
            if (!CONNECTOR.equals(connector) && !ObjectName.quote(CONNECTOR).equals(connector)) {
                continue;
            }
            try {
                sum += ((Number) server.getAttribute(name, metric)).longValue();
                found = true;
            } catch (AttributeNotFoundException e) {
                // another plugin of the connector
            }
        }
        if (!found) {
            throw new AssertionError("no MBean of connector " + CONNECTOR + " has " + metric + "; plugin MBeans: "
                    + names);
        }
        return sum;
    }
}
