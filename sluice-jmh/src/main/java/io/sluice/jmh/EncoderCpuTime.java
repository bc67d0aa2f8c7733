package io.sluice.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The encoder's CPU time per row: {@link EncoderBenchmark}'s batch, timed by the thread's CPU clock
 * ({@link ThreadMXBean#getCurrentThreadCpuTime}) rather than by the wall clock, so that other processes on a shared
 * machine change the result little (they still share caches and memory bandwidth). Warms up for {@code warmup}
 * seconds of CPU, then prints the median and min-max of {@code blocks} blocks of about one CPU second each, in ns
 * per row (the sink's CPU s per million rows, times 1,000).
 *
 * <p>Usage: {@code java -cp ... io.sluice.jmh.EncoderCpuTime SHAPE INPUT [blocks] [warmup]} with SHAPE
 * {@code sensor} or {@code wide} and INPUT {@code bytes} or {@code map}, as in {@link EncoderBenchmark}.
 */
public final class EncoderCpuTime {

    private EncoderCpuTime() {
    }

    /**
     * @param args shape, input, number of measured blocks (default 10), warm-up CPU seconds (default 8)
     * @throws Exception if a record cannot be encoded
     */
    public static void main(String[] args) throws Exception {
        EncoderBenchmark b = new EncoderBenchmark();
        b.shape = args[0];
        b.input = args[1];
        int blocks = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        double warmup = args.length > 3 ? Double.parseDouble(args[3]) : 8;
        b.setUp();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long sink = 0;
        long start = cpu.getCurrentThreadCpuTime();
        while (cpu.getCurrentThreadCpuTime() - start < warmup * 1e9) {
            sink += b.encode();
        }
        double[] nsPerRow = new double[blocks];
        for (int k = 0; k < blocks; k++) {
            long rows = 0;
            long t0 = cpu.getCurrentThreadCpuTime();
            long t;
            while ((t = cpu.getCurrentThreadCpuTime()) - t0 < 1e9) {
                sink += b.encode();
                rows += EncoderBenchmark.BATCH;
            }
            nsPerRow[k] = (double) (t - t0) / rows;
        }
        Arrays.sort(nsPerRow);
        System.out.printf(Locale.ROOT, "%s/%s: %.1f ns CPU per row (median of %d blocks, %.1f-%.1f) [%d]%n", b.shape,
                b.input, nsPerRow[blocks / 2], blocks, nsPerRow[0], nsPerRow[blocks - 1], sink % 10);
    }
}
