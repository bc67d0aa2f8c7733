package io.sluice.sink.clickhouse.writer;

import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.KafkaCoordinates;
import io.sluice.sink.clickhouse.schema.TableEngine;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Refuses, for exactly-once delivery, table engines whose background merges collapse rows, and with them the
 * coordinates the resume check reads (ClickHouse docs, "MergeTree Engine Family"): a record whose row was merged
 * away looks unwritten and is written again. SummingMergeTree, AggregatingMergeTree, CollapsingMergeTree,
 * VersionedCollapsingMergeTree and GraphiteMergeTree always merge rows of equal sort key; ReplacingMergeTree is
 * safe only when its sort key holds the coordinates, so that no two records share one. Replicated and Shared
 * variants follow their base engine. Other engines (MergeTree, Log, Memory, Null, ...) keep every row.
 */
public final class EngineCheck {

    private static final Set<String> MERGING = Set.of("SummingMergeTree", "AggregatingMergeTree",
            "CollapsingMergeTree", "VersionedCollapsingMergeTree", "GraphiteMergeTree");

    private EngineCheck() {
    }

    /**
     * Reads the table's engine and sort key from {@code system.tables} and checks them.
     *
     * @return the engine, or {@code null} if the table was dropped since it was described (the insert reports that)
     * @throws ClickHouseException   if the server cannot be asked
     * @throws IllegalStateException naming the engine and the fix, if the engine can merge rows away
     */
    public static TableEngine require(ClickHouseClient client, TableSchema schema) throws ClickHouseException {
        TableEngine e = TableEngine.read(client, schema.database(), schema.table());
        if (e != null) {
            check(schema, e.engine(), e.sortingKey());
        }
        return e;
    }

    /**
     * Checks an engine name and sort key expression as {@code system.tables} gives them.
     *
     * @param engine     for example {@code ReplicatedReplacingMergeTree}
     * @param sortingKey for example {@code _kafka_topic, _kafka_partition, _kafka_offset}
     * @throws IllegalStateException naming the engine and the fix, if the engine can merge rows away
     */
    static void check(TableSchema schema, String engine, String sortingKey) {
        String base = engine.replaceFirst("^(Replicated|Shared)", "");
        String fix = "; or set delivery.guarantee=at_least_once";
        if (MERGING.contains(base)) {
            throw new IllegalStateException("table " + schema + " uses " + engine + ", whose merges combine rows of "
                    + "equal sort key and drop their Kafka coordinates, so exactly-once delivery cannot tell which "
                    + "records are already rows and would write merged ones again. Write into a MergeTree table and "
                    + "feed " + schema + " from it with a materialized view (ClickHouse docs, \"" + base + "\")" + fix);
        }
        if (base.equals("ReplacingMergeTree")) {
            List<String> key = topLevelTerms(sortingKey);
            boolean topic = schema.boundTopic() != null || key.contains(KafkaCoordinates.TOPIC);
            if (!topic || !key.contains(KafkaCoordinates.PARTITION) || !key.contains(KafkaCoordinates.OFFSET)) {
                throw new IllegalStateException("table " + schema + " uses " + engine + " with sort key ("
                        + sortingKey + "), so merges replace rows of equal key and drop the replaced rows' Kafka "
                        + "coordinates; exactly-once delivery would write those records again. Put _kafka_topic, "
                        + "_kafka_partition and _kafka_offset in the sort key, or, for latest-state tables, set "
                        + "delivery.guarantee=at_least_once: ReplacingMergeTree(version) keeps the highest version, "
                        + "so a redelivered record does no harm");
            }
        }
    }

    /** Splits a comma-separated expression list at top level, without backquotes around plain identifiers. */
    private static List<String> topLevelTerms(String expr) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= expr.length(); i++) {
            char c = i < expr.length() ? expr.charAt(i) : ',';
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                String t = expr.substring(start, i).trim();
                if (t.length() > 1 && t.startsWith("`") && t.endsWith("`")) {
                    t = t.substring(1, t.length() - 1);
                }
                out.add(t);
                start = i + 1;
            }
        }
        return out;
    }
}
