package io.sluice.sink.clickhouse.cdc;

import io.sluice.sink.clickhouse.schema.DebeziumTypes;

import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Builds Debezium MySQL/MariaDB change events as the sink receives them from JsonConverter with schemas: an
 * envelope Struct (before, after, source, op, ts_ms) and a key Struct (Debezium docs, "MySQL connector", "Data
 * change events").
 */
final class Envelopes {

    static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.mariadb.Source")
            .field("version", Schema.STRING_SCHEMA).field("connector", Schema.STRING_SCHEMA)
            .field("name", Schema.STRING_SCHEMA).field("ts_ms", Schema.INT64_SCHEMA)
            .field("snapshot", SchemaBuilder.string().optional().defaultValue("false").build())
            .field("db", Schema.STRING_SCHEMA).field("table", Schema.OPTIONAL_STRING_SCHEMA)
            .field("server_id", Schema.INT64_SCHEMA).field("gtid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("file", Schema.STRING_SCHEMA).field("pos", Schema.INT64_SCHEMA).field("row", Schema.INT32_SCHEMA)
            .build();

    /** A row schema for shop.items: id INT UNSIGNED key, name VARCHAR NULL, price DECIMAL(10,2). */
    static final Schema ITEM = SchemaBuilder.struct().name("dbserver.shop.items.Value")
            .field("id", SchemaBuilder.int64().parameters(Map.of(DebeziumTypes.SOURCE_TYPE, "INT UNSIGNED",
                    DebeziumTypes.SOURCE_LENGTH, "10")).build())
            .field("name", SchemaBuilder.string().optional().parameters(Map.of(DebeziumTypes.SOURCE_TYPE, "VARCHAR",
                    DebeziumTypes.SOURCE_LENGTH, "64")).build())
            .field("price", org.apache.kafka.connect.data.Decimal.builder(2).optional()
                    .parameter("connect.decimal.precision", "10")
                    .parameter(DebeziumTypes.SOURCE_TYPE, "DECIMAL").parameter(DebeziumTypes.SOURCE_LENGTH, "10")
                    .parameter(DebeziumTypes.SOURCE_SCALE, "2").build())
            .build();

    static final Schema ITEM_KEY = SchemaBuilder.struct().name("dbserver.shop.items.Key")
            .field("id", ITEM.field("id").schema()).build();

    private Envelopes() {
    }

    static Schema envelope(Schema row) {
        return SchemaBuilder.struct().name("dbserver.shop.items.Envelope")
                .field("before", optional(row)).field("after", optional(row)).field("source", SOURCE)
                .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
    }

    static Schema optional(Schema row) {
        SchemaBuilder b = SchemaBuilder.struct().name(row.name()).optional();
        row.fields().forEach(f -> b.field(f.name(), f.schema()));
        return b.build();
    }

    /** A source block; as Debezium 3.3 writes them, snapshot reads have {@code server_id} 0, streamed changes the server's. */
    static Struct source(String file, long pos, int row, boolean snapshot) {
        return new Struct(SOURCE).put("version", "3.3.0.Final").put("connector", "mariadb").put("name", "dbserver")
                .put("ts_ms", 1_700_000_000_000L).put("snapshot", snapshot ? "true" : "false").put("db", "shop")
                .put("table", "items").put("server_id", snapshot ? 0L : 1L).put("file", file).put("pos", pos).put("row", row);
    }

    /** Returns an item row of the envelope's optional row schema. */
    static Struct item(Schema envelope, long id, String name, String price) {
        Struct s = new Struct(envelope.field("after").schema()).put("id", id).put("name", name);
        return s.put("price", price == null ? null : new java.math.BigDecimal(price));
    }

    /** Returns a change event record on topic dbserver.shop.items. */
    static SinkRecord record(long offset, Object key, String op, Struct before, Struct after, Struct source) {
        Schema env = envelope(ITEM);
        Struct v = new Struct(env).put("op", op).put("source", source).put("ts_ms", 1_700_000_000_001L);
        if (before != null) {
            v.put("before", before);
        }
        if (after != null) {
            v.put("after", after);
        }
        return new SinkRecord("dbserver.shop.items", 0, key instanceof Struct ? ITEM_KEY : null, key, env, v, offset);
    }

    static Struct key(long id) {
        return new Struct(ITEM_KEY).put("id", id);
    }
}
