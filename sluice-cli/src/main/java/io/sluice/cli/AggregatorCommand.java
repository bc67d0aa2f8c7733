package io.sluice.cli;

import io.sluice.aggregator.core.AggregatorSettings;
import io.sluice.aggregator.replay.FailedBatch;
import io.sluice.aggregator.replay.FailedBatchReplay;
import io.sluice.core.Durations;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sluice aggregator}: operations on the aggregator's DynamoDB windows. Subcommand: {@code replay}. */
@Command(name = "aggregator", mixinStandardHelpOptions = true,
        description = "Operations on the aggregator (Lambda handler and standalone runner).",
        subcommands = {AggregatorCommand.Replay.class})
public final class AggregatorCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** Prints the usage: a subcommand is required. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    /**
     * {@code sluice aggregator replay}: applies the batches a Lambda event source mapping gave up on, from their
     * on-failure destination records, through the exactly-once merge (see {@link FailedBatchReplay}).
     */
    @Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
            description = {
                "Re-read from Kafka the offsets of batches that exhausted the Lambda mapping's retries, and apply them "
                        + "to the DynamoDB windows. Readings already applied are recognised and skipped, so a replay "
                        + "is harmless to repeat.",
                "Input: on-failure destination records (SQS, SNS or S3: KafkaBatchInfo.recordsInfo; Kafka destination: "
                        + "recordInfo), one or more per file, or the output of "
                        + "'aws sqs receive-message --queue-url URL --max-number-of-messages 10'."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every range applied", "1:a range is not in Kafka or writes failed (safe to rerun)",
                "2:invalid options or input"})
    static final class Replay implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(names = "--from-file", required = true, paramLabel = "FILE|-",
                description = "File with the on-failure records; - reads standard input.")
        private String fromFile;

        @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]",
                description = "The Kafka cluster of the event source mapping.")
        private String bootstrapServers;

        @Option(names = "--table", required = true, description = "The aggregator's DynamoDB table.")
        private String table;

        @Option(names = "--dynamodb-endpoint", paramLabel = "URL",
                description = "DynamoDB endpoint override (DynamoDB Local); default: AWS.")
        private String dynamoEndpoint;

        @Option(names = "--region", defaultValue = "us-east-1", description = "AWS region (default: ${DEFAULT-VALUE}).")
        private String region;

        @Option(names = "--window", defaultValue = "1m", description = "Window length, as the function's (default: ${DEFAULT-VALUE}).")
        private String window;

        @Option(names = "--allowed-lateness", defaultValue = "5m",
                description = "Allowed lateness, as the function's (default: ${DEFAULT-VALUE}).")
        private String lateness;

        @Option(names = "--max-clock-skew", defaultValue = "1m",
                description = "Allowed clock skew, as the function's (default: ${DEFAULT-VALUE}).")
        private String skew;

        @Option(names = "--ttl", description = "Item TTL, as the function's SLUICE_TTL (default: none).")
        private String ttl;

        @Option(names = "--consumer-property", paramLabel = "KEY=VALUE",
                description = "Kafka consumer setting, e.g. security.protocol=SSL (repeatable).")
        private Map<String, String> consumerProperties = new HashMap<>();

        /** Reads the records, replays them and prints what was applied. */
        @Override
        public Integer call() throws Exception {
            FailedBatchReplay.Config config = config();
            List<FailedBatch> batches;
            try (Reader in = fromFile.equals("-")
                    ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                    : Files.newBufferedReader(Path.of(fromFile), StandardCharsets.UTF_8)) {
                batches = FailedBatch.parse(in);
            } catch (IOException | IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "cannot read " + fromFile + ": " + e.getMessage());
            }
            try (FailedBatchReplay replay = new FailedBatchReplay(config)) {
                FailedBatchReplay.Result r = replay.replay(batches);
                spec.commandLine().getOut().printf("replayed %d ranges, %d records: %d readings applied, %d already "
                                + "applied, %d invalid, %d late%n", r.ranges(), r.records(), r.metrics().applied(),
                        r.metrics().duplicates(), r.metrics().invalid(), r.metrics().late());
            }
            return 0;
        }

        /** Returns the replay configuration from the options. */
        FailedBatchReplay.Config config() {
            AggregatorSettings settings;
            try {
                settings = new AggregatorSettings(Durations.parse(window), Durations.parse(lateness),
                        ttl == null ? Optional.empty() : Optional.of(Durations.parse(ttl)), Durations.parse(skew));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            return new FailedBatchReplay.Config(bootstrapServers, consumerProperties,
                    dynamoEndpoint == null ? null : URI.create(dynamoEndpoint), region, table, settings);
        }
    }
}
