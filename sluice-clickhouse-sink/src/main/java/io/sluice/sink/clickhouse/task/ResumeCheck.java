package io.sluice.sink.clickhouse.task;

import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.TableSchema;
import io.sluice.sink.clickhouse.writer.WrittenOffsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exactly-once resume check. When a partition is assigned, the first record delivered sits at the committed
 * offset; the rows of a task that failed before its offsets were committed may already hold that record and later
 * ones. At the partition's first record this check reads which offsets from there on are already rows of the
 * table ({@link WrittenOffsets}, through the coordinate columns) and reports those records as written, so the
 * task skips them. See ARCHITECTURE.md, "Delivery guarantees".
 *
 * <p>Skipping is right only while an offset names one record. At the first record a partition skips after each
 * assignment, the check compares that record with the row stored under its coordinates; if they differ, the
 * partition's offsets repeat (a re-created topic, a replaced cluster, a MirrorMaker failover) and the task stops
 * instead of skipping records that were never written (issue 13, case 4).
 */
public final class ResumeCheck {

    private static final Logger log = LoggerFactory.getLogger(ResumeCheck.class);

    /** Opens a partition's cursor of written offsets. */
    public interface Source {
        /**
         * Returns the offsets at or after {@code from} that are rows of {@code table}, or {@code null} if none is.
         *
         * @throws ClickHouseException  if the table cannot be read (after retries)
         * @throws InterruptedException if interrupted while retrying
         */
        WrittenOffsets open(TopicPartition tp, TableSchema table, long from)
                throws ClickHouseException, InterruptedException;
    }

    /** Compares a record with the row stored under its coordinates ({@link io.sluice.sink.clickhouse.writer.StoredRow}). */
    public interface SameRecord {
        /**
         * Returns true if the table's row under the record's coordinates is this record.
         *
         * @throws ClickHouseException  if the row cannot be read (after retries)
         * @throws InterruptedException if interrupted while retrying
         */
        boolean test(SinkRecord record, TableSchema table) throws ClickHouseException, InterruptedException;
    }

    private final Source source;
    private final SameRecord sameRecord;
    /** Partitions whose first skipped record since assignment was compared with its stored row. */
    private final Set<TopicPartition> compared = new HashSet<>();
    private final boolean enabled;
    private final Runnable onSkip;
    /** Partitions assigned but not yet checked against the table. */
    private final Set<TopicPartition> unchecked = new HashSet<>();
    /** Offsets already in the table after the resume position, per partition. */
    private final Map<TopicPartition, WrittenOffsets> written = new HashMap<>();

    /**
     * @param source     reads written offsets
     * @param sameRecord compares a skipped record with its stored row
     * @param enabled false for at-least-once delivery, where nothing is ever checked
     * @param onSkip  called once per record reported as written (a metric)
     */
    public ResumeCheck(Source source, SameRecord sameRecord, boolean enabled, Runnable onSkip) {
        this.source = source;
        this.sameRecord = sameRecord;
        this.enabled = enabled;
        this.onSkip = onSkip;
    }

    /** Returns true when no partition awaits a check or holds written offsets ahead: the per-record fast path. */
    public boolean idle() {
        return unchecked.isEmpty() && written.isEmpty();
    }

    /** Returns true if the partition awaits its check: its next record is its first since assignment. */
    public boolean unchecked(TopicPartition tp) {
        return unchecked.contains(tp);
    }

    /** Marks newly assigned partitions to be checked before their first record is written. */
    public void assigned(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            recheck(tp);
        }
    }

    /** Checks a partition again at its next record, as after a rewind. */
    public void recheck(TopicPartition tp) {
        written.remove(tp);
        compared.remove(tp);
        if (enabled) {
            unchecked.add(tp);
        }
    }

    private static String repeated(TopicPartition tp, long offset, TableSchema table) {
        String t = table.qualifiedName();
        return "record " + tp + "@" + offset + " is not the row that " + table + " holds at " + tp.topic()
                + ", partition " + tp.partition() + ", offset " + offset + ". Either the offsets of " + tp
                + " started again (the topic was re-created, the Kafka cluster replaced, or a MirrorMaker failover "
                + "moved the connector), or records are read differently than when that row was written (converter, "
                + "SMT or sink options changed). Exactly-once would skip this record although it was never written, "
                + "so the task stops. If the offsets started again, keep the old rows apart: write the topic to a "
                + "new table (topic.to.table), or delete them (ALTER TABLE " + t + " DELETE WHERE _kafka_topic = "
                + io.sluice.sink.clickhouse.schema.Sql.quoteString(tp.topic()) + "), then restart the task. If only "
                + "the reading changed, restore it, or set delivery.guarantee=at_least_once to write such records "
                + "again";
    }

    /** Forgets revoked partitions. */
    public void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            unchecked.remove(tp);
            written.remove(tp);
            compared.remove(tp);
        }
    }

    /**
     * Returns true if the record is already a row of {@code table}. Calls for one partition must come with
     * increasing offsets, as Kafka delivers them.
     *
     * @param record the record as it would be encoded (its coordinates are the original's)
     * @throws ConnectException if the table cannot be read (the partition is checked again at its next record), or
     *                          if the row under the record's coordinates is another record (offsets repeat)
     */
    public boolean written(TopicPartition tp, SinkRecord record, TableSchema table) {
        long offset = record.kafkaOffset();
        try {
            if (unchecked.remove(tp)) {
                WrittenOffsets cursor = source.open(tp, table, offset);
                if (cursor != null) {
                    written.put(tp, cursor);
                    log.info("{} resumes at offset {}; {} already has {} of its later records, which are skipped",
                            tp, offset, table, cursor);
                }
            }
            WrittenOffsets cursor = written.get(tp);
            if (cursor == null) {
                return false;
            }
            boolean found = cursor.contains(offset);
            if (found) {
                if (compared.add(tp) && !sameRecord.test(record, table)) {
                    recheck(tp);
                    throw new ConnectException(repeated(tp, offset, table));
                }
                onSkip.run();
            }
            if (cursor.exhausted()) {
                written.remove(tp);
            }
            return found;
        } catch (ClickHouseException e) {
            recheck(tp);
            throw new ConnectException("cannot read written offsets of " + tp + " from " + table + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            recheck(tp);
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while reading written offsets of " + tp, e);
        }
    }
}
