package io.sluice.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice up}: starts the sandbox ({@link Sandbox}) in a background JVM with its state under the work
 * directory, waits until it is ready, and prints every endpoint. Idempotent: with a sandbox already running it only
 * prints the endpoints. The background JVM is this same command with {@code --foreground}, started through
 * {@code setsid} when present so that the terminal's signals do not reach it; it stops on SIGTERM
 * ({@code sluice down}).
 */
@Command(name = "up", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Start the local stack in the background and keep it running (./sluice down stops it).")
final class UpCommand implements Callable<Integer> {

    /** How long {@code up} waits for the sandbox to be ready. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    @Spec
    private CommandSpec spec;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the sandbox keeps its data, state and logs (default: .work/sandbox under the repository).")
    private Path workDir;

    @Option(names = "--cdc", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also run MariaDB with change data capture into ClickHouse (default: ${DEFAULT-VALUE}).")
    private boolean cdc;

    @Option(names = "--foreground", hidden = true,
            description = "Run the sandbox in this process until SIGTERM (what the background JVM runs).")
    private boolean foreground;

    @Override
    public Integer call() throws Exception {
        Path work = (workDir == null ? SandboxState.defaultDir() : workDir).toAbsolutePath().normalize();
        return foreground ? runForeground(work) : startInBackground(work);
    }

    private int startInBackground(Path work) throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Optional<SandboxState> existing = SandboxState.read(work).filter(SandboxState::alive);
        if (existing.isPresent() && SandboxState.READY.equals(existing.get().phase())) {
            out.println("A sandbox is already running in " + work + ".");
            printEndpoints(out, existing.get());
            return 0;
        }
        if (existing.isPresent()) {
            throw new IllegalStateException("a sandbox (pid " + existing.get().pid() + ") is starting in " + work
                    + "; wait for it, or ./sluice down");
        }
        Files.createDirectories(work.resolve("logs"));
        Files.deleteIfExists(work.resolve(SandboxState.FILE));
        Path log = work.resolve("logs/sandbox.out");
        out.printf("Starting the sandbox in %s (log %s)...%n", work, log);
        out.flush();
        long t0 = System.nanoTime();
        SandboxPorts ports = SandboxPorts.loadOrAllocate(work);
        Path exporterConfig = work.resolve("connect-jmx-exporter.yml");
        try (var in = UpCommand.class.getResourceAsStream("prometheus/connect-jmx-exporter.yml")) {
            Files.copy(in, exporterConfig, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Process child = new ProcessBuilder(childCommand(work, ports, exporterConfig)).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<SandboxState> s = SandboxState.read(work);
            if (s.isPresent() && SandboxState.READY.equals(s.get().phase())) {
                out.printf("Sandbox ready in %.1f s (pid %d).%n", (System.nanoTime() - t0) / 1e9, s.get().pid());
                printEndpoints(out, s.get());
                return 0;
            }
            if (s.isPresent() && SandboxState.FAILED.equals(s.get().phase())) {
                throw new IllegalStateException("the sandbox failed to start: " + s.get().error() + "\n  see " + log);
            }
            if (!child.isAlive()) {
                throw new IllegalStateException("the sandbox exited with code " + child.exitValue()
                        + " during start-up; last lines of " + log + ":\n" + tail(log));
            }
            Thread.sleep(200);
        }
        child.destroy();
        throw new IllegalStateException("the sandbox was not ready within " + START_TIMEOUT.toSeconds()
                + " s and was stopped; see " + log);
    }

    private List<String> childCommand(Path work, SandboxPorts ports, Path exporterConfig) {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx2g");
        String agent = System.getProperty("sluice.jmx.agent");
        if (agent != null && Files.isRegularFile(Path.of(agent))) {
            // the Connect worker runs in this JVM: the exporter serves its MBeans, the sink tasks' metrics included
            cmd.add("-javaagent:" + agent + "=127.0.0.1:" + ports.connectMetrics() + ":" + exporterConfig);
        }
        for (String prop : List.of("log4j2.configurationFile", "java.util.logging.manager", "log4j2.julLoggerAdapter",
                "sluice.home", "sluice.plugin.zips")) {
            String v = System.getProperty(prop);
            if (v != null) {
                cmd.add("-D" + prop + "=" + v);
            }
        }
        cmd.add("-Dsluice.logdir=" + work.resolve("logs"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(SluiceCli.class.getName());
        cmd.add("up");
        cmd.add("--foreground");
        cmd.add("--work-dir=" + work);
        if (!cdc) {
            cmd.add("--no-cdc");
        }
        return cmd;
    }

    private int runForeground(Path work) throws Exception {
        Sandbox sandbox = new Sandbox(work, cdc);
        SandboxState starting = new SandboxState(work, ProcessHandle.current().pid(), SandboxState.STARTING, "", "", "",
                "", Path.of(""), 0, "", "", "", "");
        starting.write();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            SandboxState.read(work).filter(s -> SandboxState.READY.equals(s.phase()))
                    .ifPresent(s -> s.withPhase("stopped", "").write());
            stopped.countDown();
        }, "sluice-sandbox-stop"));
        SandboxState ready;
        try {
            ready = sandbox.start();
        } catch (Exception e) {
            String message = String.valueOf(e.getMessage());
            starting.withPhase(SandboxState.FAILED, message.lines().findFirst().orElse(message)).write();
            throw e;
        }
        ready.write();
        stopped.await(); // until SIGTERM: the shutdown hook stops the sandbox
        return 0;
    }

    /** Prints every endpoint of a ready sandbox, and how to reach what needs a password. */
    static void printEndpoints(PrintWriter out, SandboxState s) {
        out.printf("  Kafka bootstrap servers  %s%n", s.kafka());
        out.printf("  Kafka Connect REST       %s%n", s.connectUrl());
        out.printf("  ClickHouse HTTP          %s  (user default; password: grep clickhouse.password %s)%n",
                s.clickHouseUrl(), s.passwordFile());
        if (s.mariaDbPort() > 0) {
            out.printf("  MariaDB                  127.0.0.1:%d  (database %s; users in %s)%n", s.mariaDbPort(),
                    DemoCdc.DATABASE, s.workDir().resolve("mariadb/secrets.properties"));
        }
        out.printf("  DynamoDB Local           %s  (any credentials, region us-east-1; table %s)%n",
                s.dynamoDbEndpoint(), DemoAggregator.TABLE);
        if (!s.consoleUrl().isEmpty()) {
            out.printf("  Web console              %s%n", s.consoleUrl());
        }
        if (!s.connectMetricsUrl().isEmpty()) {
            out.printf("  Prometheus (Connect)     %s%n", s.connectMetricsUrl());
        }
        if (!s.aggregatorMetricsUrl().isEmpty()) {
            out.printf("  Prometheus (aggregator)  %s%n", s.aggregatorMetricsUrl());
        }
        out.printf("Next: ./sluice demo, ./sluice sink deploy --topic T --table T --auto-create, ./sluice status, "
                + "./sluice down%n");
        out.flush();
    }

    private static String tail(Path f) {
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + f + ")";
        }
    }
}
