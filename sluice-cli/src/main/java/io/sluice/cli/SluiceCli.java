package io.sluice.cli;

import io.sluice.producer.ProduceCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sluice} command. Subcommands: {@code demo} runs the whole pipeline on this machine; {@code up},
 * {@code status} and {@code down} start, show and stop the sandbox (the local stack kept running in the background);
 * {@code sink deploy} puts a sink connector on it;
 * {@code produce} sends sensor readings to any Kafka or MSK cluster; {@code aggregator replay} applies the batches
 * a Lambda event source mapping gave up on. User mistakes print a message and the usage,
 * never a stack trace; the exit code is 0 on success, 1 on failure and 2 on bad usage.
 */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = SluiceCli.Version.class,
        description = "Kafka analytics pipeline for AWS: sensors -> Kafka -> Kafka Connect -> ClickHouse.",
        subcommands = {DemoCommand.class, UpCommand.class, StatusCommand.class, DownCommand.class, SinkCommand.class,
            ProduceCommand.class, AggregatorCommand.class,
            CommandLine.HelpCommand.class})
public final class SluiceCli {

    private SluiceCli() {
    }

    /**
     * Runs the CLI and exits with its code.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Returns the configured command line, for tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SluiceCli());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("error: " + e.getMessage()));
            if (e.getCause() != null && System.getenv("SLUICE_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cl;
    }

    /** Reports the project version from the jar manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SluiceCli.class.getPackage().getImplementationVersion();
            return new String[] {"sluice " + (v == null ? "dev" : v)};
        }
    }
}
