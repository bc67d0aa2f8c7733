package io.sluice.sink.clickhouse.writer;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WrittenOffsetsTest {

    private static TableSchema table(String boundTopic, String... columns) {
        List<Column> cols = new ArrayList<>();
        cols.add(new Column("v", ClickHouseTypeParser.parse("UInt32"), false));
        for (String c : columns) {
            cols.add(new Column(c, ClickHouseTypeParser.parse(c.equals("_kafka_topic") ? "String"
                    : c.equals("_kafka_partition") ? "UInt32" : "UInt64"), false));
        }
        return new TableSchema("default", "t", cols, boundTopic == null ? Map.of() : Map.of("_kafka_topic", boundTopic));
    }

    @Test
    void aStoredTopicColumnTakesAnyTopic() {
        TableSchema s = table(null, "_kafka_topic", "_kafka_partition", "_kafka_offset");
        assertThatCode(() -> WrittenOffsets.requireCoordinates(s, "a")).doesNotThrowAnyException();
        assertThatCode(() -> WrittenOffsets.requireCoordinates(s, "b")).doesNotThrowAnyException();
    }

    @Test
    void withoutTheTopicColumnEveryTopicIsRefusedWithBothFixes() {
        TableSchema s = table(null, "_kafka_partition", "_kafka_offset");
        assertThatThrownBy(() -> WrittenOffsets.requireCoordinates(s, "it's"))
                .hasMessageContaining("default.t has no _kafka_topic column")
                .hasMessageContaining("ADD COLUMN _kafka_topic String DEFAULT 'it\\'s'")
                .hasMessageContaining("ADD COLUMN _kafka_topic String ALIAS 'it\\'s'")
                .hasMessageContaining("delivery.guarantee=at_least_once");
    }

    @Test
    void aBoundTableTakesOnlyItsTopic() {
        TableSchema s = table("a", "_kafka_partition", "_kafka_offset");
        assertThatCode(() -> WrittenOffsets.requireCoordinates(s, "a")).doesNotThrowAnyException();
        assertThatThrownBy(() -> WrittenOffsets.requireCoordinates(s, "a.b"))
                .hasMessageContaining("default.t is bound to topic 'a'")
                .hasMessageContaining("topic 'a.b' cannot write it exactly once");
    }

    @Test
    void partitionAndOffsetAreRequired() {
        assertThatThrownBy(() -> WrittenOffsets.requireCoordinates(table(null, "_kafka_topic", "_kafka_offset"), "a"))
                .hasMessageContaining("no _kafka_partition and _kafka_offset columns");
    }
}
