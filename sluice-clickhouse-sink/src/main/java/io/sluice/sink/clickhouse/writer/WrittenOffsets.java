package io.sluice.sink.clickhouse.writer;

import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.KafkaCoordinates;
import io.sluice.sink.clickhouse.schema.Sql;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.util.Arrays;

/**
 * The Kafka offsets of a partition that are already rows of a table, read from the table's {@code _kafka_topic},
 * {@code _kafka_partition} and {@code _kafka_offset} columns. This is the ground truth of exactly-once delivery:
 * the coordinates are written in the same insert as the row they describe, so a row and its coordinates land
 * together or not at all, on every ClickHouse version.
 *
 * <p>The static methods check a table and query it ({@link #requireCoordinates}, {@link #query}). An instance is a
 * cursor over one partition after (re)assignment: the offsets at or after the resume position, written by an
 * earlier task whose offsets were not committed. Records are delivered in increasing offset order, so lookups walk
 * the cursor forward. Offsets are read in windows of at most {@code window}, the next one only when the cursor
 * passes the last, so memory stays bounded however many rows a reset partition already has in the table.
 */
public final class WrittenOffsets {

    /** Reads the written offsets at or after {@code from}, ascending and distinct, at most {@code limit}. */
    public interface Reader {
        /**
         * @throws ClickHouseException  if the table cannot be read
         * @throws InterruptedException if interrupted while retrying
         */
        long[] read(long from, int limit) throws ClickHouseException, InterruptedException;
    }

    private final Reader reader;
    private final int window;
    private long[] written;
    private int cursor;
    /** True while the last window was full, so offsets after it may be written too. */
    private boolean more;
    private long total;

    private WrittenOffsets(Reader reader, int window, long[] first) {
        this.reader = reader;
        this.window = window;
        this.written = first;
        this.more = first.length == window;
        this.total = first.length;
    }

    /**
     * Reads the first window.
     *
     * @param from   the resume position (the first offset delivered)
     * @param window the most offsets held at once, at least 1
     * @return the cursor, or {@code null} when no offset at or after {@code from} is written
     * @throws ClickHouseException  if the table cannot be read
     * @throws InterruptedException if interrupted while retrying
     */
    public static WrittenOffsets open(Reader reader, long from, int window)
            throws ClickHouseException, InterruptedException {
        long[] first = reader.read(from, window);
        return first.length == 0 ? null : new WrittenOffsets(reader, window, first);
    }

    /**
     * Returns true if the offset is already a row. Calls must come with non-decreasing offsets; a call past the
     * window reads the next one, from that offset on.
     *
     * @throws ClickHouseException  if the next window cannot be read
     * @throws InterruptedException if interrupted while retrying
     */
    public boolean contains(long offset) throws ClickHouseException, InterruptedException {
        while (true) {
            while (cursor < written.length && written[cursor] < offset) {
                cursor++;
            }
            if (cursor < written.length) {
                return written[cursor] == offset;
            }
            if (!more) {
                return false;
            }
            written = reader.read(Math.max(offset, written[written.length - 1] + 1), window);
            cursor = 0;
            more = written.length == window;
            total += written.length;
        }
    }

    /** Returns true when every written offset is behind the cursor, so the cursor can be dropped. */
    public boolean exhausted() {
        return cursor >= written.length && !more;
    }

    @Override
    public String toString() {
        return written.length == 0 ? "[]" : "[" + (more ? "at least " : "") + total + " offsets from " + written[0]
                + (more ? "" : " to " + written[written.length - 1]) + "]";
    }

    /**
     * Checks that {@code topic} can write {@code schema} exactly once, and says why not. The resume check finds a
     * record's row by {@code (topic, partition, offset)}, so the table needs all three. Without the topic, the rows
     * of any other topic that reaches the same table ({@code topic.to.table}, {@code topics.regex}, topic names that
     * sanitise alike, another connector) look like this topic's, and its records would be skipped unwritten: the
     * sink cannot see every writer, so it requires the topic always. A single-topic table can state its topic at no
     * cost per row with {@code _kafka_topic String ALIAS '<topic>'}; any other topic is then refused.
     *
     * @param schema the target table
     * @param topic  a topic about to write it
     * @throws IllegalStateException naming the table, the missing column or binding, and the fix
     */
    public static void requireCoordinates(TableSchema schema, String topic) {
        String table = schema.qualifiedName();
        String fallback = "; or set delivery.guarantee=at_least_once";
        if (schema.indexOf(KafkaCoordinates.PARTITION) < 0 || schema.indexOf(KafkaCoordinates.OFFSET) < 0) {
            throw new IllegalStateException("table " + schema + " has no _kafka_partition and _kafka_offset columns, "
                    + "which delivery.guarantee=exactly_once needs. Add them with ALTER TABLE " + table
                    + " ADD COLUMN _kafka_partition UInt32, ADD COLUMN _kafka_offset UInt64" + fallback);
        }
        String bound = schema.boundTopic();
        if (bound != null && !bound.equals(topic)) {
            throw new IllegalStateException("table " + schema + " is bound to topic " + Sql.quoteString(bound)
                    + " by its column _kafka_topic ALIAS " + Sql.quoteString(bound) + ", so topic "
                    + Sql.quoteString(topic) + " cannot write it exactly once: route that topic to another table, or "
                    + "store the topic per row (ALTER TABLE " + table + " DROP COLUMN _kafka_topic, ADD COLUMN "
                    + "_kafka_topic String DEFAULT " + Sql.quoteString(bound) + ")" + fallback);
        }
        if (bound == null && schema.indexOf(KafkaCoordinates.TOPIC) < 0) {
            String q = Sql.quoteString(topic);
            throw new IllegalStateException("table " + schema + " has no _kafka_topic column. Exactly-once delivery "
                    + "finds a record's row by topic, partition and offset; without the topic, rows of another topic "
                    + "writing the same table (topic.to.table, topics.regex, another connector) would look written, "
                    + "and records would be skipped. Add the column: ALTER TABLE " + table + " ADD COLUMN _kafka_topic "
                    + "String DEFAULT " + q + " (the sink writes each row's topic; rows already there read as " + q
                    + "), or, if no other topic will ever write this table, ALTER TABLE " + table + " ADD COLUMN "
                    + "_kafka_topic String ALIAS " + q + " (no bytes per row)" + fallback);
        }
    }

    /**
     * Returns the lowest {@code limit} offsets in {@code [from, to]} of a partition that are rows of the table,
     * sorted ascending and distinct.
     *
     * @param client      the client
     * @param consistency how to read the table so that every insert the sink was told succeeded is seen
     *                    (replicated tables: after any pending quorum, sequentially consistent)
     * @param schema      the table; must pass {@link #requireCoordinates} for {@code topic}
     * @param topic     the topic
     * @param partition the partition
     * @param from      lowest offset, inclusive
     * @param to        highest offset, inclusive ({@code Long.MAX_VALUE} for no bound)
     * @param limit     the most offsets returned (the lowest ones), which bounds the answer's memory
     * @throws ClickHouseException if the query fails, or (retriably) while a quorum insert into the table is pending
     */
    public static long[] query(ClickHouseClient client, ReplicaConsistency consistency, TableSchema schema,
                               String topic, int partition, long from, long to, int limit) throws ClickHouseException {
        StringBuilder sql = new StringBuilder("SELECT DISTINCT ").append(KafkaCoordinates.OFFSET).append(" FROM ")
                .append(schema.qualifiedName()).append(" WHERE ").append(KafkaCoordinates.PARTITION).append(" = ")
                .append(partition).append(" AND ").append(KafkaCoordinates.OFFSET).append(" >= ").append(from);
        if (to != Long.MAX_VALUE) {
            sql.append(" AND ").append(KafkaCoordinates.OFFSET).append(" <= ").append(to);
        }
        if (schema.boundTopic() == null) {
            sql.append(" AND ").append(KafkaCoordinates.TOPIC).append(" = ").append(Sql.quoteString(topic));
        }
        sql.append(consistency.visibleParts(client));
        sql.append(" ORDER BY ").append(KafkaCoordinates.OFFSET).append(" LIMIT ").append(limit)
                .append(" FORMAT TabSeparated");
        String body = consistency.read(client, schema, sql.toString());
        if (body.isEmpty()) {
            return new long[0];
        }
        long[] out = new long[16];
        int n = 0;
        int start = 0;
        for (int i = 0; i <= body.length(); i++) {
            if (i == body.length() || body.charAt(i) == '\n') {
                if (i > start) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, n * 2);
                    }
                    out[n++] = Long.parseLong(body, start, i, 10);
                }
                start = i + 1;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
