package io.sluice.cli;

import io.sluice.local.Ports;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The ports of a sandbox, chosen on its first start and kept in {@code <work>/ports.properties}, so that a sandbox
 * started again on the same directory has the same addresses: connector configs stored in Kafka name the
 * ClickHouse URL and the MariaDB port, and users keep their bootstrap servers.
 *
 * @param kafka      Kafka client port
 * @param clickHouse ClickHouse HTTP port
 * @param connect    Connect REST port
 * @param mariaDb    MariaDB port
 * @param dynamoDb   DynamoDB Local port
 * @param console    web console port
 * @param connectMetrics    Prometheus port of the Connect worker's JMX exporter
 * @param aggregatorMetrics Prometheus port of the aggregator runner
 */
record SandboxPorts(int kafka, int clickHouse, int connect, int mariaDb, int dynamoDb, int console,
                    int connectMetrics, int aggregatorMetrics) {

    static final String FILE = "ports.properties";

    /**
     * Returns the ports kept in {@code workDir}, or picks free ones (below the ephemeral range, see {@link Ports})
     * and keeps them.
     *
     * @throws UncheckedIOException if the file cannot be read or written
     */
    static SandboxPorts loadOrAllocate(Path workDir) {
        Path f = workDir.resolve(FILE);
        try {
            if (Files.exists(f)) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
                return new SandboxPorts(port(p, "kafka"), port(p, "clickhouse"), port(p, "connect"),
                        port(p, "mariadb"), port(p, "dynamodb"), port(p, "console"), port(p, "connect.metrics"),
                        port(p, "aggregator.metrics"));
            }
            SandboxPorts ports = new SandboxPorts(Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(),
                    Ports.free(), Ports.free(), Ports.free());
            Properties p = new Properties();
            p.setProperty("kafka", String.valueOf(ports.kafka));
            p.setProperty("clickhouse", String.valueOf(ports.clickHouse));
            p.setProperty("connect", String.valueOf(ports.connect));
            p.setProperty("mariadb", String.valueOf(ports.mariaDb));
            p.setProperty("dynamodb", String.valueOf(ports.dynamoDb));
            p.setProperty("console", String.valueOf(ports.console));
            p.setProperty("connect.metrics", String.valueOf(ports.connectMetrics));
            p.setProperty("aggregator.metrics", String.valueOf(ports.aggregatorMetrics));
            Files.createDirectories(workDir);
            try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
                p.store(w, "ports of this sandbox, kept across restarts; ./sluice down --purge forgets them");
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the sandbox ports in " + f, e);
        }
    }

    private static int port(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalStateException("no '" + key + "' in " + FILE + "; ./sluice down --purge starts afresh");
        }
        return Integer.parseInt(v.trim());
    }
}
