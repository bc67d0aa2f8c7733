package io.sluice.sink.clickhouse.cdc;

import io.sluice.sink.clickhouse.schema.TypeMapping;

import static io.sluice.sink.clickhouse.cdc.Envelopes.ITEM;
import static io.sluice.sink.clickhouse.cdc.Envelopes.envelope;
import static io.sluice.sink.clickhouse.cdc.Envelopes.item;
import static io.sluice.sink.clickhouse.cdc.Envelopes.key;
import static io.sluice.sink.clickhouse.cdc.Envelopes.record;
import static io.sluice.sink.clickhouse.cdc.Envelopes.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.sink.clickhouse.encode.RecordEncoder;
import io.sluice.sink.clickhouse.encode.rowbinary.RowBinaryBuffer;
import io.sluice.sink.clickhouse.http.ServerVersion;
import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.Sql;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class CdcTablesTest {

    private final Schema env = envelope(ITEM);
    private final CdcTables tables = new CdcTables(null, new TypeMapping(ServerVersion.parse("18.16.1"), t -> true));
    private final EnvelopeReader reader = new EnvelopeReader();

    @Test
    void createsAReplacingMergeTreeOrderedByTheKeyWithVersionAndDeletedColumns() throws Exception {
        ChangeEvent e = reader.read(record(0, key(1), "r", null, item(env, 1, "a", "1.50"),
                source("mariadb-bin.000001", 342, 0, true)));
        assertThat(tables.createTableSql("default", "items", e, "")).isEqualTo("CREATE TABLE IF NOT EXISTS "
                + "`default`.`items` (`id` UInt32, `name` Nullable(String), `price` Nullable(Decimal(10, 2)), "
                + "`_version` UInt64, `_deleted` UInt8, `_source_table` String ALIAS 'shop.items') "
                + "ENGINE = ReplacingMergeTree(_version) ORDER BY (`id`)");
        assertThat(tables.createTableSql("default", "items", e, "intDiv(id, 1000000)"))
                .contains("PARTITION BY intDiv(id, 1000000) ORDER BY (`id`)");
        ChangeEvent streamed = reader.read(record(1, key(1), "c", null, item(env, 1, "a", "1.50"),
                source("mariadb-bin.000001", 342, 0, false).put("gtid", "0-1-7")));
        assertThat(tables.createTableSql("default", "items", streamed, "")).as("the origin of the versions")
                .contains("`_source_table` String ALIAS 'shop.items', `_binlog_origin` String ALIAS "
                        + "'server_id=1, gtid domain=0')");
    }

    @Test
    void aTableHoldsTheRowsOfOneSourceTable() throws Exception {
        ChangeEvent shop = reader.read(record(0, key(1), "r", null, item(env, 1, "a", "1.50"),
                source("mariadb-bin.000001", 342, 0, true)));
        TableSchema items = schemaOf(tables.createTableSql("default", "items", shop, ""));
        assertThat(items.constant(CdcTables.SOURCE_TABLE)).isEqualTo("shop.items");
        CdcTables.requireSameSource(items, shop, "db.shop.items");
        ChangeEvent billing = new ChangeEvent('c', shop.row(), shop.keyColumns(), "billing", "items", 1, null,
                "mariadb-bin.000001");
        assertThatThrownBy(() -> CdcTables.requireSameSource(items, billing, "db.billing.items"))
                .hasMessageContaining("holds the rows of source table shop.items, but topic db.billing.items carries "
                        + "source table billing.items")
                .hasMessageContaining("topic.to.table (for example db.billing.items=billing_items)");
    }

    @Test
    void theViewSelectsDataColumnsOfTheFinalStateWithoutDeletedRows() {
        TableSchema s = schemaOf("CREATE TABLE x (`id` UInt32, `name` Nullable(String), `_version` UInt64, "
                + "`_deleted` UInt8, `added` Nullable(Int32))");
        assertThat(CdcTables.dataColumns(s)).containsExactly("id", "name", "added");
        assertThat(CdcTables.viewSelect(s)).isEqualTo(
                "SELECT `id`, `name`, `added` FROM `default`.`items` FINAL WHERE _deleted = 0");
    }

    @Test
    void changeRowsEncodeIntoTheCreatedTableIncludingDeletesAndKeyChanges() throws Exception {
        CdcIngest cdc = new CdcIngest(null, new TypeMapping(ServerVersion.parse("18.16.1"), t -> true), null,
                topic -> null, "", false);
        SinkRecord create = record(0, key(7), "c", null, item(env, 7, "x", "2.50"), source("mariadb-bin.000002", 900, 0, false));
        TableSchema schema = schemaOf(cdc.createTableSql("default", "items", cdc.read(create)));
        RecordEncoder encoder = new RecordEncoder(schema, true);
        RowBinaryBuffer out = new RowBinaryBuffer(64);
        BitSet omitted = new BitSet();
        List<SinkRecord> events = List.of(create,
                record(1, key(7), "d", item(env, 7, "x", "2.50"), null, source("mariadb-bin.000002", 1000, 0, false)),
                record(3, key(8), "c", null, item(env, 8, "x", null), source("mariadb-bin.000002", 1000, 0, false)));
        int size = 0;
        for (SinkRecord r : events) {
            SinkRecord row = cdc.row(cdc.read(r));
            assertThat(row.kafkaOffset()).isEqualTo(r.kafkaOffset());
            encoder.encode(row, out, omitted);
            assertThat(omitted.isEmpty()).isTrue();
            assertThat(out.size()).isGreaterThan(size);
            size = out.size();
        }
        // Last row: id 8 (4) + name 'x' (1 + 1 + 1) + NULL price (1) + version (8) + deleted 0 (1).
        byte[] b = java.util.Arrays.copyOf(out.array(), out.size());
        assertThat(b[b.length - 1]).isEqualTo((byte) 0);
        long version = 0;
        for (int i = 0; i < 8; i++) {
            version |= (b[b.length - 9 + i] & 0xFFL) << (8 * i);
        }
        assertThat(version).isEqualTo(BinlogVersion.of("mariadb-bin.000002", 1000, 0, false));
    }

    /** Parses the column list of a CREATE TABLE (as the server would report it in DESCRIBE) into a schema. */
    static TableSchema schemaOf(String ddl) {
        String body = ddl.substring(ddl.indexOf('(') + 1, ddl.lastIndexOf(") ENGINE") > 0 ? ddl.lastIndexOf(") ENGINE")
                : ddl.lastIndexOf(')'));
        List<Column> cols = new ArrayList<>();
        Matcher m = Pattern.compile("`([^`]+)` ((?:[^,()]|\\((?:[^()]|\\([^()]*\\))*\\))+)(?:, |$)").matcher(body);
        Map<String, String> constants = new HashMap<>();
        while (m.find()) {
            String type = m.group(2).trim();
            int alias = type.indexOf(" ALIAS ");
            if (alias >= 0) {
                constants.put(m.group(1), Sql.unquoteString(type.substring(alias + " ALIAS ".length())));
            } else {
                cols.add(new Column(m.group(1), ClickHouseTypeParser.parse(type), false));
            }
        }
        return new TableSchema("default", "items", cols, constants);
    }
}
