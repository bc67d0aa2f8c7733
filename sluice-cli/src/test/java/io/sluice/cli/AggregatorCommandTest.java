package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code sluice aggregator replay}: options and usage errors (the replay itself: FailedBatchReplayTest). */
class AggregatorCommandTest {

    @Test
    void replayOptionsBecomeTheReplayConfiguration() {
        CommandLine cl = SluiceCli.commandLine();
        CommandLine.ParseResult parsed = cl.parseArgs("aggregator", "replay", "--from-file", "failed.json",
                "--bootstrap-servers", "b-1:9094", "--table", "windows", "--dynamodb-endpoint", "http://127.0.0.1:8000",
                "--window", "30s", "--max-clock-skew", "10s", "--consumer-property", "security.protocol=SSL");
        AggregatorCommand.Replay replay = (AggregatorCommand.Replay) parsed.subcommand().subcommand()
                .commandSpec().userObject();
        var config = replay.config();
        assertThat(config.table()).isEqualTo("windows");
        assertThat(config.dynamoEndpoint()).isEqualTo(URI.create("http://127.0.0.1:8000"));
        assertThat(config.aggregation().windowLength()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.aggregation().maxClockSkew()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.consumerOverrides()).isEqualTo(Map.of("security.protocol", "SSL"));
    }

    @Test
    void missingOrUnreadableInputIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cl = SluiceCli.commandLine();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("aggregator", "replay", "--bootstrap-servers", "b:9092", "--table", "t")).isEqualTo(2);
        assertThat(err.toString()).contains("--from-file");
        assertThat(cl.execute("aggregator", "replay", "--from-file", "/nonexistent/failed.json",
                "--bootstrap-servers", "b:9092", "--table", "t", "--dynamodb-endpoint", "http://127.0.0.1:9")).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read /nonexistent/failed.json");
    }
}
