package io.sluice.bench;

import java.util.StringJoiner;

/**
 * ClickHouse 18.16's own Kafka table engine, as many ClickHouse users set it up first: a {@code Kafka} table over
 * the topic (JSONEachRow, one consumer per partition, a fresh consumer group per run) and a materialized view that
 * copies every row into the target MergeTree table. Date-times arrive as ISO texts, so the Kafka table reads them
 * as {@code String} and the view converts them with {@code parseDateTimeBestEffort}. The view outputs every column
 * of the target (18.16 fails inserts with {@code Code: 10} otherwise); the Kafka coordinates come from the engine's
 * virtual columns {@code _partition} and {@code _offset} when the server has them, else they are written as 0.
 *
 * <p>Delivery is at most once: the engine commits the consumed offsets before the view's insert, so a failed
 * insert loses its rows. The server config must say {@code <kafka><auto_offset_reset>smallest</auto_offset_reset>
 * </kafka>} (the local stack's does), or a new group starts at the end of the topic and reads nothing.
 */
final class KafkaEngineContender implements Contender {

    private final BenchContext ctx;
    private String queue;
    private String view;
    private Boolean virtualCoordinates;

    KafkaEngineContender(BenchContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return "ClickHouse Kafka table engine + materialized view";
    }

    @Override
    public String delivery() {
        return "at-most-once (commits offsets before the insert)";
    }

    @Override
    public boolean writesCoordinates() {
        return Boolean.TRUE.equals(virtualCoordinates);
    }

    @Override
    public void start(String table, int run) {
        queue = table + "_queue";
        view = table + "_mv";
        StringJoiner cols = new StringJoiner(", ");
        StringJoiner select = new StringJoiner(", ");
        for (BenchRows.Col c : ctx.data().columns) {
            boolean time = c.type.equals("DateTime");
            cols.add(c.name + " " + (time ? "String" : c.type));
            select.add(time ? "parseDateTimeBestEffort(" + c.name + ") AS " + c.name : c.name);
        }
        ctx.ch().execute("CREATE TABLE " + queue + " (" + cols + ") ENGINE = Kafka SETTINGS kafka_broker_list = '"
                + ctx.stack().bootstrapServers() + "', kafka_topic_list = '" + ctx.topic() + "', kafka_group_name = "
                + "'bench-engine-" + run + "', kafka_format = 'JSONEachRow', kafka_num_consumers = "
                + ctx.partitions());
        String head = "CREATE MATERIALIZED VIEW " + view + " TO " + table + " AS SELECT " + select;
        if (virtualCoordinates == null || virtualCoordinates) {
            try {
                ctx.ch().execute(head + ", toUInt32(_partition) AS _kafka_partition, _offset AS _kafka_offset FROM "
                        + queue);
                virtualCoordinates = true;
                return;
            } catch (IllegalStateException e) {
                if (virtualCoordinates != null) {
                    throw e;
                }
                virtualCoordinates = false; // 18.16 has no _partition virtual column
            }
        }
        ctx.ch().execute(head + ", toUInt32(0) AS _kafka_partition, toUInt64(0) AS _kafka_offset FROM " + queue);
    }

    @Override
    public void stop() {
        ctx.ch().execute("DROP TABLE IF EXISTS " + view);
        ctx.ch().execute("DROP TABLE IF EXISTS " + queue);
    }
}
