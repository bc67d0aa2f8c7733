package io.sluice.it;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * Writes change events in the shape Debezium's MariaDB connector produces with {@code JsonConverter}
 * ({@code schemas.enable=true}) and {@code column.propagate.source.type=.*}: key and value JSON, each with its
 * schema, the value an envelope of before, after, source (file, pos, row, snapshot) and op (Debezium docs, "MySQL
 * connector", "Data change events"). The table is {@code shop.orders}:
 * {@code id INT UNSIGNED PRIMARY KEY, customer VARCHAR(64) NOT NULL, amount DECIMAL(10,2), status
 * ENUM('new','paid','shipped') NOT NULL, created DATETIME(6) NOT NULL, ship_date DATE, big BIGINT UNSIGNED,
 * meta JSON, flags BIT(12)}, and after {@link #withNote()} also {@code note VARCHAR(32)}.
 */
final class DebeziumEvents {

    /** One source row. */
    static final class Order {
        final long id;
        final String customer;
        final String amount;
        final String status;
        final long createdMicros;
        final Integer shipDay;
        final Long big;
        final String meta;
        final int flags;
        final String note;

        Order(long id, String customer, String amount, String status, long createdMicros, Integer shipDay, Long big,
              String meta, int flags, String note) {
            this.id = id;
            this.customer = customer;
            this.amount = amount;
            this.status = status;
            this.createdMicros = createdMicros;
            this.shipDay = shipDay;
            this.big = big;
            this.meta = meta;
            this.flags = flags;
            this.note = note;
        }

        Order with(String amount, String status, String note) {
            return new Order(id, customer, amount, status, createdMicros, shipDay, big, meta, flags, note);
        }

        Order withId(long newId) {
            return new Order(newId, customer, amount, status, createdMicros, shipDay, big, meta, flags, note);
        }

        Order withBig(Long b) {
            return new Order(id, customer, amount, status, createdMicros, shipDay, b, meta, flags, note);
        }
    }

    private static final JsonConverter KEYS = converter(true);
    private static final JsonConverter VALUES = converter(false);

    private final boolean note;
    private final String db;
    private final String table;
    private final Schema row;
    private final Schema key;
    private final Schema envelope;
    private final Schema source;

    private DebeziumEvents(boolean note, String db, String table) {
        this.note = note;
        this.db = db;
        this.table = table;
        SchemaBuilder r = SchemaBuilder.struct().name("dbserver.shop.orders.Value").optional()
                .field("id", src(SchemaBuilder.int64(), "INT UNSIGNED", "10", null).build())
                .field("customer", src(SchemaBuilder.string(), "VARCHAR", "64", null).build())
                .field("amount", src(Decimal.builder(2).optional().parameter("connect.decimal.precision", "10"),
                        "DECIMAL", "10", "2").build())
                .field("status", src(SchemaBuilder.string().name("io.debezium.data.Enum")
                        .parameter("allowed", "new,paid,shipped"), "ENUM", "1", null).build())
                .field("created", src(SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp"), "DATETIME", "6",
                        null).build())
                .field("ship_date", src(SchemaBuilder.int32().name("io.debezium.time.Date").optional(), "DATE", null,
                        null).build())
                .field("big", src(SchemaBuilder.int64().optional(), "BIGINT UNSIGNED", "20", null).build())
                .field("meta", src(SchemaBuilder.string().name("io.debezium.data.Json").optional(), "JSON", null,
                        null).build())
                .field("flags", src(SchemaBuilder.bytes().name("io.debezium.data.Bits").parameter("length", "12")
                        .optional(), "BIT", "12", null).build());
        if (note) {
            r.field("note", src(SchemaBuilder.string().optional(), "VARCHAR", "32", null).build());
        }
        this.row = r.build();
        this.key = SchemaBuilder.struct().name("dbserver.shop.orders.Key").field("id", row.field("id").schema()).build();
        this.source = SchemaBuilder.struct().name("io.debezium.connector.mariadb.Source")
                .field("version", Schema.STRING_SCHEMA).field("connector", Schema.STRING_SCHEMA)
                .field("name", Schema.STRING_SCHEMA).field("ts_ms", Schema.INT64_SCHEMA)
                .field("snapshot", SchemaBuilder.string().optional().defaultValue("false").build())
                .field("db", Schema.STRING_SCHEMA).field("table", Schema.OPTIONAL_STRING_SCHEMA)
                .field("server_id", Schema.INT64_SCHEMA).field("gtid", Schema.OPTIONAL_STRING_SCHEMA)
                .field("file", Schema.STRING_SCHEMA).field("pos", Schema.INT64_SCHEMA)
                .field("row", Schema.INT32_SCHEMA).build();
        this.envelope = SchemaBuilder.struct().name("dbserver.shop.orders.Envelope")
                .field("before", row).field("after", row).field("source", source)
                .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
    }

    /** Events of the table before the column {@code note} is added. */
    static DebeziumEvents orders() {
        return new DebeziumEvents(false, "shop", "orders");
    }

    /** Events of a table shaped like {@code orders}, in another source database or under another name. */
    static DebeziumEvents ordersShaped(String db, String table) {
        return new DebeziumEvents(false, db, table);
    }

    /** Events of the table after {@code ALTER TABLE orders ADD COLUMN note VARCHAR(32)}. */
    static DebeziumEvents withNote() {
        return new DebeziumEvents(true, "shop", "orders");
    }

    private static SchemaBuilder src(SchemaBuilder b, String type, String length, String scale) {
        b.parameter("__debezium.source.column.type", type);
        if (length != null) {
            b.parameter("__debezium.source.column.length", length);
        }
        if (scale != null) {
            b.parameter("__debezium.source.column.scale", scale);
        }
        return b;
    }

    private static JsonConverter converter(boolean isKey) {
        JsonConverter c = new JsonConverter();
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("schemas.enable", "true");
        c.configure(cfg, isKey);
        return c;
    }

    /** Returns the key JSON of an order id. */
    byte[] key(String topic, long id) {
        return KEYS.fromConnectData(topic, key, new Struct(key).put("id", id));
    }

    /**
     * Returns the value JSON of a change event.
     *
     * @param op     c, u, d or r
     * @param before the row before the change (u, d), or null
     * @param after  the row after the change (c, u, r), or null
     */
    byte[] value(String topic, String op, Order before, Order after, String file, long pos, int rowInEvent) {
        Struct src = new Struct(source).put("version", "3.3.0.Final").put("connector", "mariadb")
                .put("name", "dbserver").put("ts_ms", 1_763_708_400_000L).put("snapshot", op.equals("r") ? "true" : "false")
                .put("db", db).put("table", table).put("server_id", 1L).put("file", file).put("pos", pos)
                .put("row", rowInEvent);
        Struct v = new Struct(envelope).put("op", op).put("source", src).put("ts_ms", 1_763_708_400_001L);
        if (before != null) {
            v.put("before", struct(before));
        }
        if (after != null) {
            v.put("after", struct(after));
        }
        return VALUES.fromConnectData(topic, envelope, v);
    }

    private Struct struct(Order o) {
        Struct s = new Struct(row).put("id", o.id).put("customer", o.customer)
                .put("amount", o.amount == null ? null : new BigDecimal(o.amount)).put("status", o.status)
                .put("created", o.createdMicros).put("ship_date", o.shipDay).put("big", o.big).put("meta", o.meta)
                .put("flags", new byte[] {(byte) (o.flags & 0xFF), (byte) ((o.flags >>> 8) & 0x0F)});
        if (note) {
            s.put("note", o.note);
        }
        return s;
    }

    /** Returns the row as ClickHouse 18.16 prints it from the {@code orders_current} view (TabSeparated). */
    static String expectedLine(Order o, boolean withNote) {
        String created = java.time.Instant.ofEpochSecond(Math.floorDiv(o.createdMicros, 1_000_000L)).toString()
                .replace('T', ' ').replace("Z", "");
        String line = o.id + "\t" + o.customer + "\t" + (o.amount == null ? "\\N" : o.amount) + "\t" + o.status + "\t"
                + created + "\t" + (o.shipDay == null ? "\\N" : java.time.LocalDate.ofEpochDay(o.shipDay).toString())
                + "\t" + (o.big == null ? "\\N" : Long.toUnsignedString(o.big)) + "\t"
                + (o.meta == null ? "\\N" : o.meta) + "\t" + o.flags;
        return withNote ? line + "\t" + (o.note == null ? "\\N" : o.note) : line;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
