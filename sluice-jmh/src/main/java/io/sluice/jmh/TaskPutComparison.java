package io.sluice.jmh;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * Compares the sink task's hot path, {@code SinkTask.put()}, between two builds of the sink (for example before
 * and after a refactoring), in one run on one machine: each build is loaded from its jar in its own class loader,
 * and they take turns, alternating which goes first, over several rounds.
 *
 * <p>The task writes to a stand-in for ClickHouse's HTTP interface (the JDK's HttpServer) that answers the version,
 * table structure and written-offsets queries like 18.16 and reads and drops every insert body, so the figure is
 * the task's own cost: reading JSON, encoding RowBinary, batching and dispatching, with exactly-once delivery.
 * Records are sensor readings as JSON bytes ({@code ByteArrayConverter}), delivered in lists of 500 as Kafka
 * Connect's consumer does ({@code max.poll.records}), over 4 partitions.
 *
 * <p>Usage: {@code TaskPutComparison <old-sink.jar> <new-sink.jar> [records per round] [rounds]}, or
 * {@code bench/run-task-put-comparison.sh <old-commit> <new-commit>}, which builds both; prints, per
 * round and build, records/s through {@code put()} until every row was handed to the server, then the median of
 * each and their ratio.
 */
public final class TaskPutComparison {

    private static final int PARTITIONS = 4;
    private static final int POLL = 500;

    private TaskPutComparison() {
    }

    /**
     * Runs the comparison.
     *
     * @param args old jar, new jar, optional records per round (default 2,000,000), optional rounds (default 5)
     * @throws Exception if a build cannot be loaded or the task fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: TaskPutComparison <old-sink.jar> <new-sink.jar> [records] [rounds]");
            System.exit(2);
        }
        int records = args.length > 2 ? Integer.parseInt(args[2]) : 2_000_000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        List<List<SinkRecord>> polls = polls(records);
        AtomicLong rowsReceived = new AtomicLong();
        HttpServer server = standIn(rowsReceived);
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            String[] names = {"old", "new"};
            Path[] jars = {Path.of(args[0]), Path.of(args[1])};
            double[][] rates = new double[2][rounds];
            run(jars[0], url, polls, rowsReceived); // warm-up, both builds
            run(jars[1], url, polls, rowsReceived);
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < 2; k++) {
                    int which = (round + k) % 2; // alternate which build goes first
                    rates[which][round] = run(jars[which], url, polls, rowsReceived);
                    System.out.printf("round %d %s: %,.0f records/s%n", round + 1, names[which], rates[which][round]);
                }
            }
            double oldMedian = median(rates[0]);
            double newMedian = median(rates[1]);
            System.out.printf("median old %,.0f records/s, new %,.0f records/s, new/old %.3f%n", oldMedian,
                    newMedian, newMedian / oldMedian);
        } finally {
            server.stop(0);
        }
    }

    /** Runs one round with the build in {@code jar}; returns records per second. */
    private static double run(Path jar, String url, List<List<SinkRecord>> polls, AtomicLong rowsReceived)
            throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                TaskPutComparison.class.getClassLoader())) {
            SinkTask task = (SinkTask) loader.loadClass("io.sluice.sink.clickhouse.ClickHouseSinkTask")
                    .getDeclaredConstructor().newInstance();
            Context context = new Context();
            Map<String, String> props = new HashMap<>();
            props.put("name", "put-comparison");
            props.put("clickhouse.url", url);
            props.put("clickhouse.compression", "none");
            props.put("topic.to.table", "readings=readings");
            props.put("clickhouse.allow.plaintext.private.network", "true");
            task.initialize(context);
            task.start(props);
            task.open(context.assignment());
            long total = 0;
            for (List<SinkRecord> p : polls) {
                total += p.size();
            }
            long before = rowsReceived.get();
            long start = System.nanoTime();
            for (List<SinkRecord> p : polls) {
                task.put(p);
            }
            task.close(context.assignment()); // inserts what is buffered and waits
            long nanos = System.nanoTime() - start;
            task.stop();
            if (rowsReceived.get() - before != total) {
                throw new IllegalStateException("the stand-in received " + (rowsReceived.get() - before)
                        + " rows of " + total);
            }
            return total * 1e9 / nanos;
        }
    }

    private static List<List<SinkRecord>> polls(int records) {
        List<List<SinkRecord>> polls = new ArrayList<>();
        long[] offsets = new long[PARTITIONS];
        List<SinkRecord> poll = new ArrayList<>(POLL);
        for (int i = 0; i < records; i++) {
            int device = i % 1000;
            int partition = device % PARTITIONS;
            String json = "{\"device_id\":" + device + ",\"timestamp\":\"2026-11-21T07:" + String.format("%02d:%02d",
                    (i / 60) % 60, i % 60) + ".100Z\",\"temperature\":" + (15 + (i % 200) / 10.0) + "}";
            poll.add(new SinkRecord("readings", partition, null, null, null, json.getBytes(UTF_8),
                    offsets[partition]++));
            if (poll.size() == POLL) {
                poll.sort((a, b) -> Integer.compare(a.kafkaPartition(), b.kafkaPartition()));
                polls.add(poll);
                poll = new ArrayList<>(POLL);
            }
        }
        if (!poll.isEmpty()) {
            polls.add(poll);
        }
        return polls;
    }

    /** Answers like ClickHouse 18.16 for table {@code readings}; counts the rows of each RowBinary insert. */
    private static HttpServer standIn(AtomicLong rowsReceived) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        // device_id UInt32 (4) + timestamp DateTime (4) + temperature Float32 (4) + topic "readings" (1 + 8)
        // + partition UInt32 (4) + offset UInt64 (8)
        int rowBytes = 4 + 4 + 4 + 9 + 4 + 8;
        server.createContext("/", ex -> {
            String query = ex.getRequestURI().getRawQuery();
            String answer = "";
            try (InputStream in = ex.getRequestBody()) {
                if (query != null && query.contains("&query=")) {
                    long n = 0;
                    byte[] buf = new byte[1 << 16];
                    for (int r; (r = in.read(buf)) > 0; ) {
                        n += r;
                    }
                    rowsReceived.addAndGet(n / rowBytes);
                } else {
                    String sql = new String(in.readAllBytes(), UTF_8);
                    if (sql.startsWith("SELECT version()")) {
                        answer = "18.16.1\n";
                    } else if (sql.startsWith("DESCRIBE TABLE")) {
                        answer = "device_id\tUInt32\t\t\ntimestamp\tDateTime\t\t\ntemperature\tFloat32\t\t\n"
                                + "_kafka_topic\tString\t\t\n_kafka_partition\tUInt32\t\t\n_kafka_offset\tUInt64\t\t\n";
                    } else if (sql.contains("system.tables")) {
                        answer = "MergeTree\t_kafka_topic, _kafka_partition, _kafka_offset\n";
                    }
                }
            }
            byte[] out = answer.getBytes(UTF_8);
            ex.sendResponseHeaders(200, out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                ex.getResponseBody().write(out);
            }
            ex.close();
        });
        server.start();
        return server;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Assigns the 4 partitions of {@code readings}; pauses and resumes are no-ops (the stand-in never stalls). */
    private static final class Context implements SinkTaskContext {
        private final Set<TopicPartition> assignment = Set.of(new TopicPartition("readings", 0),
                new TopicPartition("readings", 1), new TopicPartition("readings", 2), new TopicPartition("readings", 3));

        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {
        }

        @Override
        public void offset(TopicPartition tp, long offset) {
        }

        @Override
        public void timeout(long timeoutMs) {
        }

        @Override
        public Set<TopicPartition> assignment() {
            return assignment;
        }

        @Override
        public void pause(TopicPartition... partitions) {
        }

        @Override
        public void resume(TopicPartition... partitions) {
        }

        @Override
        public void requestCommit() {
        }
    }
}
