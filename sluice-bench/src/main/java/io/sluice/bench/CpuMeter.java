package io.sluice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time of this JVM (broker, Connect worker, sink, the bench's own consumers), of the ClickHouse server and of
 * each JVM thread, between two {@link Snapshot}s.
 *
 * <p>Threads are matched by id, not name: Kafka Connect renames a pooled executor thread to {@code task-thread-...}
 * while it runs a task and back afterwards, so matching by name charged a reused thread its whole lifetime.
 * Threads that end between the snapshots are not counted in the breakdown (they are in the process total).
 */
final class CpuMeter {

    private static final long CLK_TCK = 100; // USER_HZ on Linux; /proc/<pid>/stat counts in these ticks

    private final long clickHousePid;
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /** @param clickHousePid the ClickHouse server's process id */
    CpuMeter(long clickHousePid) {
        this.clickHousePid = clickHousePid;
    }

    /** CPU counters at one instant: nanoseconds for the JVM and its threads, clock ticks for ClickHouse. */
    record Snapshot(long jvmNanos, long clickHouseTicks, Map<Long, Long> threadNanos, Map<Long, String> names) {
    }

    /** Takes a snapshot of the counters. */
    Snapshot snapshot() {
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long t = threads.getThreadCpuTime(info.getThreadId());
                if (t > 0) {
                    cpu.put(info.getThreadId(), t);
                    names.put(info.getThreadId(), info.getThreadName());
                }
            }
        }
        return new Snapshot(os.getProcessCpuTime(), processTicks(clickHousePid), cpu, names);
    }

    /** Returns the JVM's CPU seconds between two snapshots. */
    static double jvmSeconds(Snapshot a, Snapshot b) {
        return (b.jvmNanos() - a.jvmNanos()) / 1e9;
    }

    /** Returns ClickHouse's CPU seconds between two snapshots. */
    static double clickHouseSeconds(Snapshot a, Snapshot b) {
        return (b.clickHouseTicks() - a.clickHouseTicks()) / (double) CLK_TCK;
    }

    /**
     * Returns the JVM threads that used the most CPU between two snapshots, grouped by name with digits replaced
     * by N (the name at the second snapshot), as "name s/1M rows" pairs.
     *
     * @param limit how many groups to list
     */
    static String topThreads(Snapshot a, Snapshot b, long rows, int limit) {
        Map<String, Long> byGroup = new HashMap<>();
        for (Map.Entry<Long, Long> e : b.threadNanos().entrySet()) {
            long d = e.getValue() - a.threadNanos().getOrDefault(e.getKey(), 0L);
            if (d > 0) {
                byGroup.merge(b.names().get(e.getKey()).replaceAll("\\d+", "N"), d, Long::sum);
            }
        }
        StringBuilder s = new StringBuilder();
        byGroup.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(limit)
                .forEach(e -> s.append(s.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                        .append(String.format(Locale.ROOT, "%.2f", e.getValue() / 1e9 / (rows / 1e6))));
        return s.toString();
    }

    /** Returns utime + stime of a process, in clock ticks, from /proc/<pid>/stat (proc(5)). */
    private static long processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15, counted after "(comm) "
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + pid + "/stat", e);
        }
    }
}
