package io.sluice.aggregator.lambda;

import io.sluice.aggregator.core.Metrics;

/**
 * Prints per-invocation counters as one line of CloudWatch Embedded Metric Format (CloudWatch User Guide,
 * "Specification: Embedded metric format"), which Lambda's log pipeline turns into metrics in namespace
 * {@code Sluice/Aggregator} with dimension {@code FunctionName}: Records, InvalidReadings, LateReadings,
 * AppliedReadings, DuplicateReadings, ItemWrites, WriteConflicts, ItemReads, WriteRetries and FailedItems (all Count).
 */
final class EmfMetrics {

    private static final String[] NAMES = {"Records", "InvalidReadings", "LateReadings", "AppliedReadings",
        "DuplicateReadings", "ItemWrites", "WriteConflicts", "ItemReads", "WriteRetries", "FailedItems"};

    private EmfMetrics() {
    }

    /** Formats the difference {@code after - before} as an EMF JSON line. */
    static String format(String function, Metrics.Snapshot before, Metrics.Snapshot after, long nowMs) {
        long[] v = {
            after.records() - before.records(), after.invalid() - before.invalid(), after.late() - before.late(),
            after.applied() - before.applied(), after.duplicates() - before.duplicates(),
            after.writes() - before.writes(), after.conflicts() - before.conflicts(),
            after.reads() - before.reads(), after.throttled() - before.throttled(),
            after.failedItems() - before.failedItems()};
        StringBuilder b = new StringBuilder(512);
        b.append("{\"_aws\":{\"Timestamp\":").append(nowMs)
                .append(",\"CloudWatchMetrics\":[{\"Namespace\":\"Sluice/Aggregator\",\"Dimensions\":[[\"FunctionName\"]],\"Metrics\":[");
        for (int i = 0; i < NAMES.length; i++) {
            b.append(i == 0 ? "" : ",").append("{\"Name\":\"").append(NAMES[i]).append("\",\"Unit\":\"Count\"}");
        }
        b.append("]}]},\"FunctionName\":\"").append(function.replace("\"", "")).append('"');
        for (int i = 0; i < NAMES.length; i++) {
            b.append(",\"").append(NAMES[i]).append("\":").append(v[i]);
        }
        return b.append('}').toString();
    }

    static void print(String function, Metrics.Snapshot before, Metrics.Snapshot after) {
        System.out.println(format(function, before, after, System.currentTimeMillis()));
    }
}
