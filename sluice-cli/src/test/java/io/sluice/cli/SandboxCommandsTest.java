package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox commands without a running sandbox, and the files a sandbox keeps: mistakes give a message, never a
 * stack trace; {@code down --purge} never deletes a directory that is not a sandbox's. The running sandbox is
 * tested by {@code SandboxIT}.
 */
class SandboxCommandsTest {

    @TempDir
    Path dir;

    private record Result(int code, String out) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        var cl = SluiceCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        return new Result(cl.execute(args), out.toString());
    }

    @Test
    void statusAndSinkDeployWithoutASandboxSayHowToStartOne() {
        Result status = run("status", "--work-dir", dir.toString());
        assertThat(status.code()).isEqualTo(1);
        assertThat(status.out()).contains("No sandbox is running in " + dir, "./sluice up").doesNotContain("Exception");
        Result deploy = run("sink", "deploy", "--work-dir", dir.toString(), "--topic", "t");
        assertThat(deploy.code()).isEqualTo(2);
        assertThat(deploy.out()).contains("no sandbox is running", "./sluice up").doesNotContain("Exception");
    }

    @Test
    void downPurgeRefusesADirectoryThatIsNotASandbox() throws Exception {
        Files.writeString(dir.resolve("precious.txt"), "keep me");
        Result down = run("down", "--purge", "--work-dir", dir.toString());
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.out()).contains("is not a sandbox directory");
        assertThat(dir.resolve("precious.txt")).exists();
    }

    @Test
    void downPurgeDeletesAStoppedSandbox() {
        SandboxPorts.loadOrAllocate(dir);
        Result down = run("down", "--purge", "--work-dir", dir.toString());
        assertThat(down.code()).as(down.out()).isZero();
        assertThat(dir).doesNotExist();
    }

    @Test
    void portsAreChosenOnceAndKept() {
        SandboxPorts first = SandboxPorts.loadOrAllocate(dir);
        assertThat(SandboxPorts.loadOrAllocate(dir)).isEqualTo(first);
        assertThat(java.util.Set.of(first.kafka(), first.clickHouse(), first.connect(), first.mariaDb(),
                first.dynamoDb(), first.console(), first.connectMetrics(), first.aggregatorMetrics())).hasSize(8);
    }

    @Test
    void stateRoundTripsAndADeadPidIsNotRunning() {
        SandboxState s = new SandboxState(dir, Long.MAX_VALUE - 1, SandboxState.READY, "", "127.0.0.1:1",
                "http://127.0.0.1:2", "http://127.0.0.1:3", dir.resolve("clickhouse/secrets.properties"), 4,
                "http://127.0.0.1:5", "http://127.0.0.1:6/", "http://127.0.0.1:7/metrics", "http://127.0.0.1:8/metrics");
        s.write();
        assertThat(SandboxState.read(dir)).contains(s);
        assertThat(SandboxState.running(dir)).isEmpty();
    }

    @Test
    void aSandboxIsRunningOnlyIfItsPidRunsSluiceUpForeground() throws Exception {
        // a command line as long as the sandbox JVM's (its class path is tens of kilobytes)
        String classPath = "/x/lib.jar:".repeat(8000);
        Process sandboxLike = new ProcessBuilder("bash", "-c", "sleep 60; true", "-cp", classPath, SluiceCli.class.getName(),
                "up", "--foreground", "--work-dir=" + dir).start();
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            state(sandboxLike.pid()).write();
            assertThat(SandboxState.running(dir)).isPresent();
            state(other.pid()).write();
            assertThat(SandboxState.running(dir)).isEmpty();
        } finally {
            sandboxLike.destroyForcibly();
            other.destroyForcibly();
        }
    }

    private SandboxState state(long pid) {
        return new SandboxState(dir, pid, SandboxState.READY, "", "", "", "", dir.resolve("s"), 0, "", "", "", "");
    }

    @Test
    void theDemoRefusesToEmptyAStoppedSandbox() {
        SandboxPorts.loadOrAllocate(dir);
        Result demo = run("demo", "--work-dir", dir.toString());
        assertThat(demo.code()).isEqualTo(2);
        assertThat(demo.out()).contains("holds a sandbox that is not running");
        assertThat(dir.resolve(SandboxPorts.FILE)).exists();
    }
}
