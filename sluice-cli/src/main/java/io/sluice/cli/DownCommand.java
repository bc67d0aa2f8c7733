package io.sluice.cli;

import io.sluice.local.LocalFiles;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice down}: stops the sandbox's JVM with SIGTERM (it stops the Connect worker, ClickHouse, MariaDB,
 * DynamoDB Local and Kafka in turn) and waits for it; SIGKILL after {@value #STOP_SECONDS} s, after which the child
 * servers stop on their own ({@code ParentDeathWatch}). {@code --purge} then deletes the work directory, only if it
 * is a sandbox's (it holds {@code ports.properties}).
 */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop the sandbox started by ./sluice up; --purge also deletes its data.")
final class DownCommand implements Callable<Integer> {

    static final int STOP_SECONDS = 90;

    @Spec
    private CommandSpec spec;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "The sandbox's directory (default: .work/sandbox).")
    private Path workDir;

    @Option(names = "--purge", description = "Also delete the sandbox's data, logs and state.")
    private boolean purge;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path work = (workDir == null ? SandboxState.defaultDir() : workDir).toAbsolutePath().normalize();
        Optional<SandboxState> state = SandboxState.read(work).filter(SandboxState::alive);
        if (state.isPresent()) {
            ProcessHandle h = ProcessHandle.of(state.get().pid()).orElseThrow();
            out.printf("Stopping the sandbox (pid %d)...%n", h.pid());
            out.flush();
            long t0 = System.nanoTime();
            h.destroy();
            try {
                h.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                out.printf("It did not stop within %d s; killing it%n", STOP_SECONDS);
                h.destroyForcibly();
                h.onExit().get(30, TimeUnit.SECONDS);
            }
            out.printf("Stopped in %.1f s.%n", Duration.ofNanos(System.nanoTime() - t0).toMillis() / 1000.0);
        } else {
            out.println("No sandbox is running in " + work + ".");
        }
        if (purge) {
            if (Files.exists(work) && !Files.exists(work.resolve(SandboxPorts.FILE))) {
                throw new IllegalStateException(work + " is not a sandbox directory (no " + SandboxPorts.FILE
                        + "); not deleting it");
            }
            LocalFiles.deleteTree(work);
            out.println("Deleted " + work + ".");
        }
        return 0;
    }
}
