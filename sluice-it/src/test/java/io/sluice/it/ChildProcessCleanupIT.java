package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, item 11: a JVM running the local stack's ClickHouse and MariaDB servers and a sysbench workload is
 * killed with SIGKILL (no shutdown hook runs); every process it started (those and their watchdogs) must end on its
 * own.
 */
class ChildProcessCleanupIT {

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void noChildOutlivesAJvmKilledWithSigkill() throws Exception {
        Path dir = Path.of(System.getProperty("sluice.it.workdir"), "orphans-" + System.nanoTime());
        Files.createDirectories(dir);
        String java = ProcessHandle.current().info().command().orElse(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        Process jvm = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC",
                "-Dlog4j2.configurationFile=" + System.getProperty("log4j2.configurationFile"),
                "-cp", System.getProperty("java.class.path"), StackChildMain.class.getName(), dir.toString())
                .redirectError(dir.resolve("child.err").toFile()).start();
        List<ProcessHandle> children;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("ready")) {
                // log lines before the servers are up
            }
            assertThat(line).as("the child JVM's ready line; its stderr is in %s", dir.resolve("child.err"))
                    .isNotNull();
            children = new ArrayList<>(jvm.toHandle().descendants().toList());
            assertThat(children.stream().map(p -> p.info().command().orElse("")))
                    .anyMatch(c -> c.endsWith("clickhouse-server") || c.endsWith("clickhouse"))
                    .anyMatch(c -> c.endsWith("mariadbd"))
                    .anyMatch(c -> c.endsWith("sysbench"));
        } catch (Throwable t) {
            jvm.destroyForcibly();
            throw t;
        }
        jvm.destroyForcibly(); // SIGKILL
        jvm.waitFor();
        for (ProcessHandle p : children) {
            // Waits on the process's exit itself; the class timeout only guards against a hang.
            p.onExit().get();
            assertThat(p.isAlive()).as("pid %d (%s)", p.pid(), p.info().command().orElse("?")).isFalse();
        }
    }
}
