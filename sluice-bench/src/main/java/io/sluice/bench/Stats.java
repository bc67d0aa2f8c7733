package io.sluice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/** Medians and ranges over measured runs, as the benchmarks print them: "median (min-max)". */
final class Stats {

    private Stats() {
    }

    /**
     * Returns "median (min-max)" of a metric over runs, each number in {@code fmt}, or "-" for no runs. NaN values
     * are left out; their count is added as "n/a in k".
     *
     * @param fmt a {@link String#format} pattern for one number, such as {@code "%,.0f"}
     */
    static String spread(List<LoadRun.Result> rs, ToDoubleFunction<LoadRun.Result> f, String fmt) {
        double[] v = rs.stream().mapToDouble(f).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return "-";
        }
        String missing = v.length < rs.size() ? ", n/a in " + (rs.size() - v.length) : "";
        return String.format(Locale.ROOT, fmt + " (" + fmt + "-" + fmt + "%s)", median(v), v[0], v[v.length - 1],
                missing);
    }

    /**
     * Returns "median (min-max)" of the per-round ratio {@code f(a) / f(b)} between the runs of two contenders in
     * the same round (rounds where either is NaN left out), or "-" if no round has both.
     */
    static String ratio(List<LoadRun.Result> results, Predicate<LoadRun.Result> a, Predicate<LoadRun.Result> b,
                        ToDoubleFunction<LoadRun.Result> f) {
        List<Double> v = new ArrayList<>();
        for (LoadRun.Result ra : results) {
            if (a.test(ra)) {
                results.stream().filter(rb -> b.test(rb) && rb.round() == ra.round()).findFirst()
                        .ifPresent(rb -> v.add(f.applyAsDouble(ra) / f.applyAsDouble(rb)));
            }
        }
        double[] s = v.stream().mapToDouble(Double::doubleValue).filter(x -> !Double.isNaN(x)).sorted().toArray();
        return s.length == 0 ? "-" : String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", median(s), s[0], s[s.length - 1]);
    }

    /** Returns the median of sorted values (the mean of the middle two for an even count). */
    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
