package io.sluice.sink.clickhouse.writer;

import io.sluice.sink.clickhouse.encode.Encoders;
import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inserts batches with bounded retries ({@link BoundedRetry}). Non-retriable failures and exhausted retries surface
 * as exceptions; the caller fails the task and leaves offsets uncommitted.
 *
 * <p>With exactly-once delivery, an insert whose outcome is unknown (the connection broke after the body was
 * sent, or the request timed out) may have landed in whole or in part (one part per table partition). Before the
 * next attempt the inserter asks the table which of the batch's Kafka offsets it already holds and drops those
 * rows, so the retry writes exactly the missing ones.
 */
public final class BatchInserter {

    private static final Logger log = LoggerFactory.getLogger(BatchInserter.class);

    private final ClickHouseClient client;
    private final BoundedRetry retry;
    private final boolean exactlyOnce;

    /**
     * @param client      the ClickHouse client
     * @param retry       the retry policy
     * @param exactlyOnce whether to remove already-landed rows before retrying an insert with an unknown outcome
     */
    public BatchInserter(ClickHouseClient client, BoundedRetry retry, boolean exactlyOnce) {
        this.client = client;
        this.retry = retry;
        this.exactlyOnce = exactlyOnce;
    }

    /**
     * Inserts one shape of a batch.
     *
     * @param schema the target table
     * @param shape  the rows and their INSERT statement; may shrink when rows turn out to be written already
     * @return the number of rows inserted by this call
     * @throws ClickHouseException  if the insert fails with a non-retriable error, or retries run out; the last
     *                              error is thrown
     * @throws InterruptedException if interrupted while backing off
     */
    public int insert(TableSchema schema, TableBatch.Shape shape) throws ClickHouseException, InterruptedException {
        boolean[] mayHaveLanded = {false};
        return retry.call("Insert of " + shape.rowCount() + " rows into " + schema, () -> {
            if (mayHaveLanded[0] && exactlyOnce) {
                int removed = removeLanded(schema, shape);
                if (removed > 0) {
                    log.info("{} of {} rows for {} had landed before the failure; inserting the rest",
                            removed, removed + shape.rowCount(), schema);
                }
                if (shape.rowCount() == 0) {
                    return 0;
                }
            }
            try {
                client.insert(shape.insertSql(), shape.rows().array(), shape.rows().size(),
                        Encoders.insertSettings(schema.columnTypes()));
                return shape.rowCount();
            } catch (ClickHouseException e) {
                mayHaveLanded[0] |= e.ambiguous();
                throw e;
            }
        });
    }

    private int removeLanded(TableSchema schema, TableBatch.Shape shape) throws ClickHouseException {
        Map<TopicPartition, long[]> ranges = new HashMap<>();
        for (int i = 0; i < shape.rowCount(); i++) {
            long o = shape.offset(i);
            long[] r = ranges.computeIfAbsent(shape.partition(i), k -> new long[] {o, o});
            r[0] = Math.min(r[0], o);
            r[1] = Math.max(r[1], o);
        }
        Map<TopicPartition, long[]> landed = new HashMap<>();
        for (Map.Entry<TopicPartition, long[]> e : ranges.entrySet()) {
            landed.put(e.getKey(), WrittenOffsets.query(client, schema, e.getKey().topic(), e.getKey().partition(),
                    e.getValue()[0], e.getValue()[1]));
        }
        BitSet keep = new BitSet(shape.rowCount());
        for (int i = 0; i < shape.rowCount(); i++) {
            if (Arrays.binarySearch(landed.get(shape.partition(i)), shape.offset(i)) < 0) {
                keep.set(i);
            }
        }
        return shape.retainRows(keep);
    }
}
