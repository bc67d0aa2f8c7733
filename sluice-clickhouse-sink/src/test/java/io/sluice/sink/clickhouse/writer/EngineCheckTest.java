package io.sluice.sink.clickhouse.writer;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineCheckTest {

    private static final TableSchema T = new TableSchema("default", "t",
            List.of(new Column("v", ClickHouseTypeParser.parse("UInt32"), false)));
    private static final TableSchema BOUND = new TableSchema("default", "t",
            List.of(new Column("v", ClickHouseTypeParser.parse("UInt32"), false)), Map.of("_kafka_topic", "readings"));

    @Test
    void rowMergingEnginesAreRefusedWithTheirNameAndReplicatedVariantsToo() {
        for (String engine : new String[] {"SummingMergeTree", "ReplicatedAggregatingMergeTree",
                "CollapsingMergeTree", "VersionedCollapsingMergeTree", "SharedSummingMergeTree", "GraphiteMergeTree"}) {
            assertThatThrownBy(() -> EngineCheck.check(T, engine, "_kafka_topic, _kafka_partition, _kafka_offset"))
                    .hasMessageContaining("uses " + engine).hasMessageContaining("materialized view")
                    .hasMessageContaining("delivery.guarantee=at_least_once");
        }
    }

    @Test
    void replacingIsSafeOnlyWhenItsSortKeyHoldsTheCoordinates() {
        assertThatThrownBy(() -> EngineCheck.check(T, "ReplacingMergeTree", "device_id, timestamp"))
                .hasMessageContaining("with sort key (device_id, timestamp)");
        assertThatThrownBy(() -> EngineCheck.check(T, "ReplicatedReplacingMergeTree",
                "_kafka_partition, _kafka_offset")).hasMessageContaining("ReplicatedReplacingMergeTree");
        assertThatThrownBy(() -> EngineCheck.check(T, "ReplacingMergeTree",
                "_kafka_topic, intHash32(_kafka_partition, _kafka_offset)")).hasMessageContaining("sort key");
        assertThatCode(() -> EngineCheck.check(T, "ReplacingMergeTree",
                "device_id, `_kafka_topic`, _kafka_partition, _kafka_offset")).doesNotThrowAnyException();
        assertThatCode(() -> EngineCheck.check(BOUND, "ReplacingMergeTree", "_kafka_partition, _kafka_offset"))
                .doesNotThrowAnyException();
    }

    @Test
    void enginesThatKeepEveryRowPass() {
        for (String engine : new String[] {"MergeTree", "ReplicatedMergeTree", "SharedMergeTree", "Log", "Memory"}) {
            assertThatCode(() -> EngineCheck.check(T, engine, "device_id")).doesNotThrowAnyException();
        }
    }
}
