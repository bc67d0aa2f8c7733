package io.sluice.jmh;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The encoder's CPU time per row, and optionally another build's in the same JVM: {@link EncoderBenchmark}'s batch,
 * timed by the thread's CPU clock ({@link ThreadMXBean#getCurrentThreadCpuTime}) rather than the wall clock, so that
 * other processes on a shared machine change the result less (they still share caches and memory bandwidth).
 *
 * <p>Each build is loaded from its class path in a class loader of its own (this JVM's class path is "head"; a
 * second class path, for example the same modules built at an older commit, is "base"). After a warm-up of both,
 * blocks of about one CPU second alternate between the builds (base first in even pairs, head first in odd ones),
 * so both see the same machine. Prints per build the median and min-max of the blocks in ns per row (the sink's CPU
 * s per million rows times 1,000), and the median and min-max of the per-pair ratios head / base.
 *
 * <p>Usage: {@code java -cp HEAD_CP io.sluice.jmh.EncoderCpuTime SHAPE INPUT [pairs [warmup-seconds [BASE_CP]]]}
 * with SHAPE {@code sensor} or {@code wide} and INPUT {@code bytes} or {@code map}, as in {@link EncoderBenchmark};
 * {@code bench/run-encoder-cpu.sh} builds both class paths.
 */
public final class EncoderCpuTime {

    private EncoderCpuTime() {
    }

    /** One build's benchmark instance, loaded in its own class loader. */
    private static final class Build {
        final String name;
        final Object bench;
        final Method encode;
        final List<Double> nsPerRow = new ArrayList<>();

        Build(String name, String classPath, String shape, String input) throws Exception {
            this.name = name;
            List<URL> urls = new ArrayList<>();
            for (String p : classPath.split(File.pathSeparator)) {
                if (!p.isEmpty()) {
                    urls.add(new File(p).toURI().toURL());
                }
            }
            ClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
            Class<?> c = loader.loadClass(EncoderBenchmark.class.getName());
            bench = c.getDeclaredConstructor().newInstance();
            c.getField("shape").set(bench, shape);
            c.getField("input").set(bench, input);
            c.getMethod("setUp").invoke(bench);
            encode = c.getMethod("encode");
        }

        /** Encodes batches for {@code cpuNanos} of this thread's CPU time; returns ns per row. */
        double run(ThreadMXBean cpu, double cpuNanos) throws Exception {
            long rows = 0;
            long t0 = cpu.getCurrentThreadCpuTime();
            long t;
            while ((t = cpu.getCurrentThreadCpuTime()) - t0 < cpuNanos) {
                encode.invoke(bench);
                rows += EncoderBenchmark.BATCH;
            }
            return (double) (t - t0) / rows;
        }
    }

    /**
     * @param args shape, input, measured blocks per build (default 10), warm-up CPU seconds per build (default 8),
     *             and the class path of a base build to compare with (optional)
     * @throws Exception if a build cannot be loaded or a record cannot be encoded
     */
    public static void main(String[] args) throws Exception {
        String shape = args[0];
        String input = args[1];
        int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        double warmup = args.length > 3 ? Double.parseDouble(args[3]) : 8;
        List<Build> builds = new ArrayList<>();
        if (args.length > 4) {
            builds.add(new Build("base", args[4], shape, input));
        }
        builds.add(new Build("head", System.getProperty("java.class.path"), shape, input));
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int w = 0; w < warmup; w++) {
            for (Build b : builds) {
                b.run(cpu, 1e9);
            }
        }
        List<Double> ratios = new ArrayList<>();
        for (int k = 0; k < pairs; k++) {
            for (int j = 0; j < builds.size(); j++) {
                Build b = builds.get(k % 2 == 0 ? j : builds.size() - 1 - j);
                b.nsPerRow.add(b.run(cpu, 1e9));
            }
            if (builds.size() == 2) {
                ratios.add(builds.get(1).nsPerRow.get(k) / builds.get(0).nsPerRow.get(k));
            }
        }
        for (Build b : builds) {
            System.out.printf(Locale.ROOT, "%s/%s %s: %s ns CPU per row%n", shape, input, b.name, summary(b.nsPerRow, "%.1f"));
        }
        if (!ratios.isEmpty()) {
            System.out.printf(Locale.ROOT, "%s/%s head / base CPU per row: %s%n", shape, input, summary(ratios, "%.3f"));
        }
    }

    /** Median (min-max). */
    private static String summary(List<Double> values, String format) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return String.format(Locale.ROOT, format + " (" + format + "-" + format + ")", median, v[0], v[v.length - 1]);
    }
}
