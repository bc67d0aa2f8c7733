package io.sluice.sink.clickhouse.cdc;

import static io.sluice.sink.clickhouse.cdc.Envelopes.ITEM;
import static io.sluice.sink.clickhouse.cdc.Envelopes.envelope;
import static io.sluice.sink.clickhouse.cdc.Envelopes.item;
import static io.sluice.sink.clickhouse.cdc.Envelopes.key;
import static io.sluice.sink.clickhouse.cdc.Envelopes.record;
import static io.sluice.sink.clickhouse.cdc.Envelopes.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class EnvelopeReaderTest {

    private final EnvelopeReader reader = new EnvelopeReader();
    private final Schema env = envelope(ITEM);

    @Test
    void createUpdateAndSnapshotWriteTheAfterImage() throws Exception {
        for (String op : List.of("c", "u", "r")) {
            ChangeEvent e = reader.read(record(1, key(7), op, item(env, 7, "old", "1.00"), item(env, 7, "new", "2.50"),
                    source("mariadb-bin.000002", 900, 1, op.equals("r"))));
            assertThat(e.op()).isEqualTo(op.charAt(0));
            assertThat(e.deleted()).isFalse();
            assertThat(e.row().getString("name")).isEqualTo("new");
            assertThat(e.keyColumns()).containsExactly("id");
            assertThat(e.sourceTable()).isEqualTo("items");
            assertThat(e.sourceDatabase()).isEqualTo("shop");
            assertThat(e.version()).isEqualTo(BinlogVersion.of("mariadb-bin.000002", 900, 1, op.equals("r")));
        }
    }

    @Test
    void deleteWritesTheBeforeImageMarkedDeleted() throws Exception {
        ChangeEvent e = reader.read(record(1, key(7), "d", item(env, 7, "gone", "1.00"), null,
                source("mariadb-bin.000002", 1000, 0, false)));
        assertThat(e.deleted()).isTrue();
        assertThat(e.row().getString("name")).isEqualTo("gone");
    }

    @Test
    void primaryKeyChangeArrivesAsDeleteOfOldKeyAndCreateOfNewKeyAtTheSamePosition() throws Exception {
        // UPDATE items SET id = 8 WHERE id = 7: Debezium emits d(7), a tombstone, then c(8), all from one row.
        Struct src = source("mariadb-bin.000002", 1100, 0, false);
        ChangeEvent del = reader.read(record(1, key(7), "d", item(env, 7, "x", "1.00"), null, src));
        ChangeEvent cre = reader.read(record(3, key(8), "c", null, item(env, 8, "x", "1.00"), src));
        assertThat(del.row().getInt64("id")).isEqualTo(7L);
        assertThat(cre.row().getInt64("id")).isEqualTo(8L);
        assertThat(del.deleted()).isTrue();
        assertThat(cre.deleted()).isFalse();
        // Same version, different sorting keys: ReplacingMergeTree keeps both rows, and the view hides key 7.
        assertThat(del.version()).isEqualTo(cre.version());
    }

    @Test
    void aMissingKeyNamesTheTableAndTheDebeziumSetting() {
        SinkRecord r = record(5, null, "c", null, item(env, 7, "x", "1.00"), source("mariadb-bin.000002", 900, 0, false));
        assertThatThrownBy(() -> reader.read(r)).isInstanceOf(RecordEncodingException.class)
                .hasMessageContaining("source table shop.items has no primary key")
                .hasMessageContaining("message.key.columns");
    }

    @Test
    void aSchemalessKeyGivesItsColumnsInRowOrder() throws Exception {
        ChangeEvent e = reader.read(record(1, Map.of("id", 7L), "c", null, item(env, 7, "x", null),
                source("mariadb-bin.000002", 900, 0, false)));
        assertThat(e.keyColumns()).containsExactly("id");
    }

    @Test
    void refusesSchemalessValuesTruncatesAndOtherShapesWithAClearReason() {
        SinkRecord schemaless = new SinkRecord("t", 0, null, null, null, Map.of("op", "c"), 1);
        assertThatThrownBy(() -> reader.read(schemaless)).hasMessageContaining("value.converter.schemas.enable=true");
        assertThatThrownBy(() -> reader.read(record(1, key(7), "t", null, null, source("b.000001", 4, 0, false))))
                .hasMessageContaining("truncate event for source table shop.items is not applied");
        Schema other = SchemaBuilder.struct().field("device_id", Schema.INT32_SCHEMA).build();
        SinkRecord plain = new SinkRecord("t", 0, null, null, other, new Struct(other).put("device_id", 1), 1);
        assertThatThrownBy(() -> reader.read(plain)).hasMessageContaining("not a Debezium change event");
        SinkRecord stringKey = record(1, "7", "c", null, item(env, 7, "x", null), source("b.000001", 4, 0, false));
        assertThatThrownBy(() -> reader.read(stringKey)).hasMessageContaining("key.converter");
        SinkRecord badFile = record(1, key(7), "c", null, item(env, 7, "x", null), source("binlog", 4, 0, false));
        assertThatThrownBy(() -> reader.read(badFile)).hasMessageContaining("cannot derive _version");
    }
}
