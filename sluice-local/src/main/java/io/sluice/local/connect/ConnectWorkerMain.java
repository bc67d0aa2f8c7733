package io.sluice.local.connect;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;

/**
 * Entry point of the child JVM that {@link ConnectWorkerProcess} starts: a Kafka Connect worker in distributed
 * mode from a properties file. SIGTERM stops it gracefully (Connect's shutdown hook stops tasks and commits their
 * offsets); SIGKILL does not. The worker halts on its own when the parent process exits, so a crashed test never
 * leaves an orphan worker behind.
 *
 * <p>Arguments: {@code <worker.properties> <parent pid>}.
 */
public final class ConnectWorkerMain {

    private ConnectWorkerMain() {
    }

    /**
     * Starts the worker and blocks until it stops.
     *
     * @param args the worker properties file and the pid of the parent process
     * @throws IOException if the properties file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ConnectWorkerMain <worker.properties> <parent pid>");
            System.exit(2);
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> props = new HashMap<>();
        p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k)));
        ProcessHandle.of(Long.parseLong(args[1])).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3)),
                () -> Runtime.getRuntime().halt(3));
        Connect<?> connect = new ConnectDistributed().startConnect(props);
        connect.awaitStop();
    }
}
