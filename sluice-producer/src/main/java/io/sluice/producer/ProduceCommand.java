package io.sluice.producer;

import io.sluice.core.Durations;
import io.sluice.core.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code produce}: sends simulated and/or replayed sensor readings to Kafka or Amazon MSK and reports the achieved
 * rate. Usable on its own ({@link ProducerMain}) and as a subcommand of the {@code sluice} CLI.
 *
 * <p>Exit codes: {@value #EXIT_OK} when every reading was acknowledged (or the run was cancelled cleanly),
 * {@value #EXIT_DELIVERY_FAILED} when a reading could not be delivered or the cluster refused the topic, and
 * {@value #EXIT_USAGE} for invalid options or an unreadable replay file (reported without a stack trace, before
 * anything is sent).
 */
@Command(name = "produce", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = ProduceCommand.Version.class,
        description = {
            "Send temperature readings to Kafka / Amazon MSK: a simulated sensor fleet, a replay of recorded data, or both.",
            "Without --replay the simulator runs. With --replay only the replay runs, unless --devices is also given.",
            "Without --duration or --count it runs until Ctrl-C, which flushes and closes within --close-timeout."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:all readings acknowledged", "1:delivery failed", "2:invalid options or replay file"})
public final class ProduceCommand implements Callable<Integer> {

    /** Exit code: every reading acknowledged. */
    public static final int EXIT_OK = 0;
    /** Exit code: a reading could not be delivered, or the cluster refused to create the topic. */
    public static final int EXIT_DELIVERY_FAILED = 1;
    /** Exit code: invalid options or an unreadable replay file. */
    public static final int EXIT_USAGE = 2;
    /** Default topic name. */
    public static final String DEFAULT_TOPIC = "sensor-readings";

    @Spec
    private CommandSpec spec;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers, for MSK TLS typically the brokers' :9094 endpoints.")
    private String bootstrapServers;

    @Option(names = "--topic", defaultValue = DEFAULT_TOPIC, description = "Target topic (default: ${DEFAULT-VALUE}).")
    private String topic;

    @Option(names = "--devices", defaultValue = "10", description = "Simulated devices (default: ${DEFAULT-VALUE}).")
    private int devices;

    @Option(names = "--rate", paramLabel = "READINGS_PER_S",
            description = "Total simulated readings/s, shared by the devices. Exclusive with --rate-per-device.")
    private Double rate;

    @Option(names = "--rate-per-device", paramLabel = "READINGS_PER_S",
            description = "Simulated readings/s per device (default: 10, one every 100 ms).")
    private Double ratePerDevice;

    @Option(names = "--duration", paramLabel = "DURATION",
            description = "Run length, e.g. 60s or 5m: the simulator emits the readings of this span; a replay stops at readings due later.")
    private String duration;

    @Option(names = "--count", description = "Total simulated readings across all devices. Exclusive with --duration.")
    private Long count;

    @Option(names = "--seed", description = "Random seed for a reproducible simulation (default: random, printed).")
    private Long seed;

    @Option(names = "--start-time", paramLabel = "ISO_INSTANT",
            description = "Timestamp of the first simulated reading, e.g. 2026-01-01T00:00:00Z (default: now).")
    private String startTime;

    @Option(names = "--first-device-id", defaultValue = "1",
            description = "Id of the first simulated device (default: ${DEFAULT-VALUE}).")
    private int firstDeviceId;

    @Option(names = "--unpaced", description = "Simulate as fast as possible instead of at the rate (timestamps still follow the rate).")
    private boolean unpaced;

    @Option(names = "--replay", paramLabel = "FILE|demo",
            description = "Replay a CSV or JSON-lines file, or 'demo' for the shipped NOAA weather dataset.")
    private String replay;

    @Option(names = "--pace", defaultValue = "fast", paramLabel = "recorded|fast|<factor>x",
            description = "Replay speed (default: ${DEFAULT-VALUE}); e.g. 3600x replays a recorded hour per second.")
    private String pace;

    @Option(names = "--replay-format", paramLabel = "CSV|JSONL",
            description = "Replay file format (default: from the extension, .jsonl/.ndjson/.json are JSON lines).")
    private ReplaySpec.Format replayFormat;

    @Option(names = "--time-column", defaultValue = "timestamp",
            description = "Replay column/field with the timestamp (default: ${DEFAULT-VALUE}).")
    private String timeColumn;

    @Option(names = "--value-column", defaultValue = "temperature",
            description = "Replay column/field with the temperature (default: ${DEFAULT-VALUE}).")
    private String valueColumn;

    @Option(names = "--series-column",
            description = "Replay column/field naming the station or series; each value becomes a device.")
    private String seriesColumn;

    @Option(names = "--time-zone", defaultValue = "UTC",
            description = "Zone for replay timestamps without an offset, e.g. -08:00 (default: ${DEFAULT-VALUE}).")
    private String timeZone;

    @Option(names = "--replay-first-device-id", defaultValue = "" + ReplaySpec.DEFAULT_FIRST_DEVICE_ID,
            description = "Device id of the first replayed series (default: ${DEFAULT-VALUE}).")
    private int replayFirstDeviceId;

    @Option(names = "--producer-config", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Kafka producer property, repeatable, e.g. security.protocol=SSL. Applied after --producer-config-file.")
    private Map<String, String> producerConfig = new LinkedHashMap<>();

    @Option(names = "--producer-config-file", paramLabel = "FILE",
            description = "Properties file with Kafka client properties (e.g. TLS or IAM settings for MSK).")
    private Path producerConfigFile;

    @Option(names = "--create-topic", description = "Create the topic if it is missing.")
    private boolean createTopic;

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions for --create-topic (default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Option(names = "--replication-factor", defaultValue = "-1",
            description = "Replication factor for --create-topic, -1 for the broker default (default: ${DEFAULT-VALUE}).")
    private short replicationFactor;

    @Option(names = "--progress-interval", defaultValue = "5s", description = "Time between progress lines (default: ${DEFAULT-VALUE}).")
    private String progressInterval;

    @Option(names = "--close-timeout", defaultValue = "10s",
            description = "How long Ctrl-C waits for readings in flight (default: ${DEFAULT-VALUE}).")
    private String closeTimeout;

    /** Creates the command; picocli fills the options. */
    public ProduceCommand() {
    }

    /**
     * Returns a command line for this command that reports usage errors as one message plus a hint to
     * {@code --help}, instead of the full usage text.
     *
     * @return the configured command line
     */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new ProduceCommand());
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for the options.");
            err.flush();
            return EXIT_USAGE;
        });
        return cl;
    }

    /** Reports the module version from the jar manifest ({@code Implementation-Version}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ProduceCommand.class.getPackage().getImplementationVersion();
            return new String[] {"sluice-producer " + (v == null ? "(development build)" : v)};
        }
    }

    /**
     * Validates the options, builds the sources and runs the producer.
     *
     * @return {@link #EXIT_OK}, or {@link #EXIT_DELIVERY_FAILED} on a delivery or topic failure
     * @throws ParameterException for invalid options or an unreadable replay file (picocli prints it and exits
     *                            with {@link #EXIT_USAGE})
     * @throws InterruptedException if interrupted while running
     */
    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Plan plan = plan();
        if (createTopic) {
            try {
                Topics.Outcome o = Topics.ensure(plan.clientConfig(), topic, partitions, replicationFactor, 30_000);
                out.printf("topic %s %s with %d partitions%n", topic, o.created() ? "created" : "exists", o.partitions());
            } catch (ExecutionException | TimeoutException e) {
                Throwable c = e instanceof ExecutionException ? e.getCause() : e;
                err.println("error: cannot create topic '" + topic + "': " + c);
                return EXIT_DELIVERY_FAILED;
            }
        }
        for (ReadingSource s : plan.sources()) {
            out.println("source " + s.name() + (s.size().isPresent() ? ": " + s.size().getAsLong() + " readings" : ": unbounded"));
        }
        out.flush();
        ReadingProducer producer;
        try {
            producer = new ReadingProducer(topic, plan.clientConfig(), plan.closeTimeout());
        } catch (KafkaException e) {
            throw new ParameterException(spec.commandLine(), "invalid producer config: " + rootMessage(e));
        }
        Thread hook = new Thread(() -> {
            producer.cancel();
            try {
                producer.awaitFinished(plan.closeTimeout().plusSeconds(5));
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "sluice-produce-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (producer) {
            ProduceResult r = producer.run(plan.sources(), p -> {
                out.printf(Locale.ROOT, "sent %,d  acked %,d  %s  %,.0f readings/s now  %,.0f avg%n",
                        p.sent(), p.acked(), mib(p.bytes()), p.currentRate(), p.averageRate());
                out.flush();
            }, plan.progressInterval());
            out.printf(Locale.ROOT, "%s: %,d readings acknowledged (%s) in %.1f s, %,.0f readings/s%n",
                    r.cancelled() ? "cancelled" : "done", r.records(), mib(r.bytes()), r.elapsedMillis() / 1000.0,
                    r.recordsPerSecond());
            out.flush();
            return EXIT_OK;
        } catch (DeliveryFailedException e) {
            err.printf(Locale.ROOT, "error: %s (%,d sent, %,d acknowledged)%n", e.getMessage(), e.sent(), e.acked());
            err.flush();
            return EXIT_DELIVERY_FAILED;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it cancels and waits for this run
            }
        }
    }

    /** Validated options: the sources to run and the client settings. */
    private record Plan(List<ReadingSource> sources, Properties clientConfig, Duration progressInterval,
                        Duration closeTimeout) {
    }

    private Plan plan() {
        Duration runFor = duration == null ? null : parseDuration("--duration", duration);
        if (runFor != null && runFor.isZero()) {
            throw usage("--duration must be positive");
        }
        Duration progress = parseDuration("--progress-interval", progressInterval);
        if (progress.isZero()) {
            throw usage("--progress-interval must be positive");
        }
        Duration close = parseDuration("--close-timeout", closeTimeout);
        if (runFor != null && count != null) {
            throw usage("give either --duration or --count, not both");
        }
        if (rate != null && ratePerDevice != null) {
            throw usage("give either --rate (total) or --rate-per-device, not both");
        }
        boolean simulate = replay == null || matched("--devices");
        if (!simulate && (count != null || rate != null || ratePerDevice != null || seed != null)) {
            throw usage("--count, --rate, --rate-per-device and --seed apply to the simulator; with --replay add --devices N to simulate too");
        }
        List<ReadingSource> sources = new ArrayList<>();
        if (replay != null) {
            for (ReadingSource s : replaySources()) {
                sources.add(runFor == null ? s : ReadingSource.limit(s, runFor));
            }
        }
        if (simulate) {
            sources.add(simulator(runFor));
        }
        if (createTopic && partitions < 1) {
            throw usage("--partitions must be at least 1, got " + partitions);
        }
        if (topic.isBlank()) {
            throw usage("--topic must not be blank");
        }
        return new Plan(sources, clientConfig(), progress, close);
    }

    private SensorSimulator simulator(Duration runFor) {
        if (devices < 1) {
            throw usage("--devices must be at least 1, got " + devices);
        }
        if (rate != null && !(rate > 0 && Double.isFinite(rate))) {
            throw usage("--rate must be a positive number of readings/s, got " + rate);
        }
        if (ratePerDevice != null && !(ratePerDevice > 0 && Double.isFinite(ratePerDevice))) {
            throw usage("--rate-per-device must be a positive number of readings/s, got " + ratePerDevice);
        }
        if (count != null && count < 1) {
            throw usage("--count must be at least 1, got " + count);
        }
        SensorSimulator.Builder b = SensorSimulator.builder().devices(devices).firstDeviceId(firstDeviceId)
                .paced(!unpaced).seed(seed != null ? seed : new Random().nextLong());
        if (rate != null) {
            b.totalRate(rate);
        }
        if (ratePerDevice != null) {
            b.ratePerDevice(ratePerDevice);
        }
        if (count != null) {
            b.count(count);
        }
        if (runFor != null) {
            b.duration(runFor);
        }
        if (startTime != null) {
            try {
                b.startTime(Instant.parse(startTime));
            } catch (DateTimeException e) {
                throw usage("--start-time must be an ISO-8601 instant such as 2026-01-01T00:00:00Z, got '" + startTime + "'");
            }
        }
        try {
            SensorSimulator sim = b.build();
            spec.commandLine().getOut().println("simulator seed " + sim.settings().seed()
                    + " (repeat with --seed " + sim.settings().seed() + " --start-time " + sim.settings().startTime() + ")");
            return sim;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw usage("invalid simulator options: " + e.getMessage());
        }
    }

    private List<? extends ReadingSource> replaySources() {
        Pace p;
        try {
            p = Pace.parse(pace);
        } catch (IllegalArgumentException e) {
            throw usage("--pace: " + e.getMessage());
        }
        if (replayFirstDeviceId < 0) {
            throw usage("--replay-first-device-id must be >= 0, got " + replayFirstDeviceId);
        }
        if (Datasets.DEMO.equalsIgnoreCase(replay.trim())) {
            return Datasets.openDemo(replayFirstDeviceId, p);
        }
        Path file = Path.of(replay);
        ZoneId zone;
        try {
            zone = ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw usage("--time-zone: unknown zone '" + timeZone + "', use e.g. UTC, -08:00 or America/Los_Angeles");
        }
        ReplaySpec rs;
        try {
            rs = new ReplaySpec(replayFormat != null ? replayFormat : ReplaySpec.Format.of(file), timeColumn,
                    valueColumn, seriesColumn, zone, replayFirstDeviceId);
        } catch (IllegalArgumentException e) {
            throw usage("invalid replay options: " + e.getMessage());
        }
        try {
            return List.of(ReplaySource.open(file, rs, p));
        } catch (NoSuchFileException e) {
            throw usage("--replay: no such file: " + file);
        } catch (IOException e) {
            throw usage("--replay: " + e.getMessage());
        }
    }

    private Properties clientConfig() {
        Map<String, String> fromFile = new LinkedHashMap<>();
        if (producerConfigFile != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(producerConfigFile)) {
                p.load(in);
            } catch (NoSuchFileException e) {
                throw usage("--producer-config-file: no such file: " + producerConfigFile);
            } catch (IOException | IllegalArgumentException e) {
                throw usage("--producer-config-file: cannot read " + producerConfigFile + ": " + e.getMessage());
            }
            p.stringPropertyNames().forEach(k -> fromFile.put(k, p.getProperty(k)));
        }
        for (Map.Entry<String, String> e : producerConfig.entrySet()) {
            if (e.getKey().isBlank() || e.getValue().isEmpty()) {
                throw usage("--producer-config expects KEY=VALUE, got '" + e.getKey() + "=" + e.getValue() + "'");
            }
        }
        if (bootstrapServers.isBlank()) {
            throw usage("--bootstrap-servers must not be blank");
        }
        return ReadingProducer.config(bootstrapServers, fromFile, producerConfig);
    }

    private boolean matched(String option) {
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        return pr != null && pr.hasMatchedOption(option);
    }

    private Duration parseDuration(String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw usage(option + ": " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
