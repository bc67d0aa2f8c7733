package io.sluice.sink.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.sink.clickhouse.http.ServerVersion;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

public class TableCreatorTest {

    private static TableCreator creator(String version) {
        return new TableCreator(new TypeMapping(ServerVersion.parse(version), t -> true));
    }

    /** A Connect schema using every mapping TableCreator has; also used by RowBinaryChdbIT. */
    public static SinkRecord wideRecord() {
        Schema item = SchemaBuilder.struct().field("sku", Schema.STRING_SCHEMA)
                .field("qty", Schema.OPTIONAL_INT32_SCHEMA).build();
        Schema price = Decimal.builder(2).parameter("connect.decimal.precision", "12").build();
        Schema schema = SchemaBuilder.struct()
                .field("id", Schema.INT64_SCHEMA)
                .field("price", price)
                .field("born", Date.SCHEMA)
                .field("at", Timestamp.builder().optional().build())
                .field("ok", Schema.BOOLEAN_SCHEMA)
                .field("tags", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_FLOAT64_SCHEMA).build())
                .field("items", SchemaBuilder.array(item).build())
                .field("note", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        Struct v = new Struct(schema).put("id", 1L).put("price", new BigDecimal("12.34"))
                .put("born", new java.util.Date(0)).put("ok", true).put("tags", Map.of("t", 1.5))
                .put("items", List.of(new Struct(item).put("sku", "a")));
        return new SinkRecord("t", 0, null, null, schema, v, 0L);
    }

    @Test
    void mapsConnectSchemasToModernTypes() {
        String ddl = creator("25.8.1").createTableSql("db", "t", wideRecord().value(), "", "");
        assertThat(ddl).contains("`price` Decimal(12, 2)", "`born` Date32", "`at` Nullable(DateTime64(3, 'UTC'))",
                "`ok` Bool", "`tags` Map(String, Nullable(Float64))",
                "`items` Array(Tuple(`sku` String, `qty` Nullable(Int32)))", "`note` Nullable(String)");
    }

    @Test
    void withAClusterTheTableIsReplicatedAndCreatedOnEveryReplica() {
        TableCreator c = new TableCreator(new TypeMapping(ServerVersion.parse("18.16.1"), t -> true), "sluice");
        String ddl = c.createTableSql("db", "t", Map.of("id", 1L), "", "");
        assertThat(ddl).startsWith("CREATE TABLE IF NOT EXISTS `db`.`t` ON CLUSTER `sluice` (")
                .contains("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/db/t', '{replica}') ORDER BY");
        assertThat(creator("18.16.1").createTableSql("db", "t", Map.of("id", 1L), "", ""))
                .doesNotContain("ON CLUSTER").contains("ENGINE = MergeTree()");
    }

    @Test
    void fieldsNamedLikeCoordinatesGetNoColumnOfTheirOwn() {
        Map<String, Object> value = Map.of("id", 1L, "_kafka_topic", "x", "_kafka_partition", 2L, "_kafka_offset", 3L);
        String ddl = creator("18.16.1").createTableSql("db", "t", value, "", "");
        assertThat(ddl).contains("(`id` Int64, `_kafka_topic` String, `_kafka_partition` UInt32, "
                + "`_kafka_offset` UInt64)");
    }

    @Test
    void oldServersGetOldTypesOrAClearError() {
        TableCreator old = creator("18.16.1");
        Schema plain = SchemaBuilder.struct().field("born", Date.SCHEMA).field("d", Decimal.schema(40)).build();
        String ddl = old.createTableSql("db", "t",
                new Struct(plain).put("born", new java.util.Date(0)).put("d", BigDecimal.ZERO.setScale(40)), "", "");
        assertThat(ddl).contains("`born` Date,", "`d` String"); // no Decimal256 before 22.1: the exact text
        assertThatThrownBy(() -> old.createTableSql("db", "t", wideRecord().value(), "", ""))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("column 'tags' has type MAP, which maps to a ClickHouse column only on 21.8");
        assertThatThrownBy(() -> old.createTableSql("db", "t", null, "", ""))
                .isInstanceOf(DataException.class).hasMessageContaining("not JSON object text");
    }
}
