package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ProduceCommandTest {

    /** Exit code, stdout and stderr of one run of the command. */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = ProduceCommand.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertUsageError(String message, String... args) {
        Run r = run(args);
        assertThat(r.code()).as("exit code for %s", String.join(" ", args)).isEqualTo(ProduceCommand.EXIT_USAGE);
        assertThat(r.err()).contains(message).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void invalidOptionsFailWithAClearMessageAndNoStackTrace(@TempDir Path dir) throws IOException {
        String bs = "--bootstrap-servers=127.0.0.1:1";
        assertUsageError("Missing required option: '--bootstrap-servers", "--devices", "3");
        assertThat(run("--devices", "3").err()).startsWith("error: ").contains("Try 'produce --help'");
        assertUsageError("either --rate (total) or --rate-per-device", bs, "--rate", "10", "--rate-per-device", "1");
        assertUsageError("either --duration or --count", bs, "--duration", "10s", "--count", "5");
        assertUsageError("--devices must be at least 1", bs, "--devices", "0");
        assertUsageError("--rate must be a positive number", bs, "--rate", "-5");
        assertUsageError("--count must be at least 1", bs, "--count", "0");
        assertUsageError("--duration: invalid duration '10 parsecs'", bs, "--duration", "10 parsecs");
        assertUsageError("--pace: invalid pace 'quick'", bs, "--replay", "demo", "--pace", "quick");
        assertUsageError("apply to the simulator", bs, "--replay", "demo", "--count", "10");
        assertUsageError("--replay: no such file: " + dir.resolve("nope.csv"), bs, "--replay", dir.resolve("nope.csv").toString());
        assertUsageError("--start-time must be an ISO-8601 instant", bs, "--start-time", "yesterday");
        assertUsageError("--time-zone: unknown zone", bs, "--replay", "x.csv", "--time-zone", "Mars/Olympus");
        assertUsageError("--producer-config-file: no such file", bs, "--producer-config-file", dir.resolve("p.properties").toString());
        assertUsageError("--producer-config expects KEY=VALUE", bs, "--producer-config", "linger.ms");
        assertUsageError("invalid producer config", bs, "--count", "1", "--producer-config", "acks=sometimes");

        Path bad = Files.writeString(dir.resolve("bad.csv"), "timestamp,temperature\n2024-01-01T00:00:00Z,1\n2024-01-01T00:00:01Z,hot\n");
        assertUsageError("bad.csv line 3: column 'temperature': not a finite number: 'hot'", bs, "--replay", bad.toString());
    }

    @Test
    void helpListsTheOptions() {
        Run r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--bootstrap-servers", "--rate-per-device", "--replay", "--pace", "--producer-config",
                "--create-topic", "--seed");
    }

    @Test
    void unreachableClusterIsADeliveryFailureWithExitCodeOne() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Run r = run("--bootstrap-servers", "127.0.0.1:" + closedPort, "--count", "5", "--seed", "1",
                "--producer-config", "max.block.ms=1000", "--close-timeout", "1s");
        assertThat(r.code()).isEqualTo(ProduceCommand.EXIT_DELIVERY_FAILED);
        assertThat(r.err()).contains("error: delivery to topic 'sensor-readings' failed").doesNotContain("\tat ");
    }
}
