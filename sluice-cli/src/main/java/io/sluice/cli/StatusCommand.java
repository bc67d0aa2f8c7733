package io.sluice.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice status}: prints each component of the running sandbox, every connector and task state, the sink
 * lag per partition, rows per ClickHouse table and the records in each dead-letter topic ({@link SandboxStatus}).
 * Exit code 0 when every component answers and nothing FAILED, 1 otherwise or when no sandbox runs.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the running sandbox: components, connectors and tasks, lag, rows, dead letters.")
final class StatusCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "The sandbox's directory (default: .work/sandbox).")
    private Path workDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path work = (workDir == null ? SandboxState.defaultDir() : workDir).toAbsolutePath().normalize();
        Optional<SandboxState> state = SandboxState.read(work).filter(SandboxState::alive);
        if (state.isEmpty()) {
            spec.commandLine().getErr().println("No sandbox is running in " + work + "; start one with ./sluice up");
            return 1;
        }
        SandboxState s = state.get();
        if (!SandboxState.READY.equals(s.phase())) {
            out.printf("Sandbox in %s (pid %d) is %s%n", work, s.pid(), s.phase());
            return 1;
        }
        SandboxStatus st = SandboxStatus.read(s);
        boolean ok = true;
        out.printf("Sandbox in %s (pid %d)%n", work, s.pid());
        out.println("Components:");
        for (Map.Entry<String, String> c : st.components().entrySet()) {
            out.printf("  %-16s %s%n", c.getKey(), c.getValue());
            ok &= c.getValue().startsWith("up");
        }
        out.println("Connectors:");
        if (st.connectors().isEmpty()) {
            out.println("  (none)");
        }
        for (SandboxStatus.Connector c : st.connectors()) {
            StringBuilder tasks = new StringBuilder();
            c.tasks().forEach((id, state1) -> tasks.append(tasks.length() == 0 ? "" : ", ").append(id).append(' ')
                    .append(state1));
            out.printf("  %-22s %-6s %-9s tasks: %s%n", c.name(), c.type(), c.state(),
                    tasks.length() == 0 ? "none" : tasks);
            if (!c.trace().isEmpty()) {
                out.printf("    %s%n", c.trace());
            }
            ok &= !c.state().equals("FAILED") && !c.tasks().containsValue("FAILED");
        }
        out.println("Sink lag (records in Kafka not yet committed by the connector):");
        if (st.lag().isEmpty()) {
            out.println("  (no sink topics)");
        }
        for (SandboxStatus.PartitionLag l : st.lag()) {
            out.println(String.format(Locale.ROOT, "  %-22s %-32s %,10d  (end %,d, committed %,d)", l.connector(),
                    l.topic() + "-" + l.partition(), l.lag(), l.end(), l.committed()));
        }
        out.println("Rows per ClickHouse table (database default, active parts):");
        if (st.tableRows().isEmpty()) {
            out.println("  (no tables with rows)");
        }
        st.tableRows().forEach((t, n) -> out.println(String.format(Locale.ROOT, "  %-28s %,12d", t, n)));
        out.println("Dead-letter topics:");
        if (st.deadLetters().isEmpty()) {
            out.println("  (none)");
        }
        st.deadLetters().forEach((t, n) -> out.println(String.format(Locale.ROOT, "  %-28s %,12d records", t, n)));
        out.flush();
        return ok ? 0 : 1;
    }
}
