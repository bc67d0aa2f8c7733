package io.sluice.producer;

/**
 * Entry point of the standalone producer jar ({@code java -jar sluice-producer-<version>-all.jar --help}); runs
 * {@link ProduceCommand} and exits with its exit code.
 */
public final class ProducerMain {

    /** Classpath resource with the standalone jar's logging config (warnings to stderr). */
    static final String LOG_CONFIG = "sluice-producer-log4j2.xml";

    private ProducerMain() {
    }

    /**
     * Runs the {@code produce} command.
     *
     * @param args command-line arguments, see {@code --help}
     */
    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:" + LOG_CONFIG);
        }
        System.exit(ProduceCommand.newCommandLine().execute(args));
    }
}
