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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exactly-once resume check. When a partition is assigned, the first record delivered sits at the committed
 * offset; the rows of a task that failed before its offsets were committed may already hold that record and later
 * ones. At the partition's first record this check reads which offsets from there on are already rows of the
 * table ({@link WrittenOffsets}, through the coordinate columns) and reports those records as written, so the
 * task skips them. See ARCHITECTURE.md, "Delivery guarantees".
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

    private final Source source;
    private final boolean enabled;
    private final Runnable onSkip;
    /** Partitions assigned but not yet checked against the table. */
    private final Set<TopicPartition> unchecked = new HashSet<>();
    /** Offsets already in the table after the resume position, per partition. */
    private final Map<TopicPartition, WrittenOffsets> written = new HashMap<>();

    /**
     * @param source  reads written offsets
     * @param enabled false for at-least-once delivery, where nothing is ever checked
     * @param onSkip  called once per record reported as written (a metric)
     */
    public ResumeCheck(Source source, boolean enabled, Runnable onSkip) {
        this.source = source;
        this.enabled = enabled;
        this.onSkip = onSkip;
    }

    /** Returns true when no partition awaits a check or holds written offsets ahead: the per-record fast path. */
    public boolean idle() {
        return unchecked.isEmpty() && written.isEmpty();
    }

    /** Marks newly assigned partitions to be checked before their first record is written. */
    public void assigned(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            written.remove(tp);
            if (enabled) {
                unchecked.add(tp);
            }
        }
    }

    /** Checks a partition again at its next record, as after a rewind. */
    public void recheck(TopicPartition tp) {
        written.remove(tp);
        if (enabled) {
            unchecked.add(tp);
        }
    }

    /** Forgets revoked partitions. */
    public void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            unchecked.remove(tp);
            written.remove(tp);
        }
    }

    /**
     * Returns true if the record at {@code offset} is already a row of {@code table}. Calls for one partition
     * must come with increasing offsets, as Kafka delivers them.
     *
     * @throws ConnectException if the table cannot be read; the partition is checked again at its next record
     */
    public boolean written(TopicPartition tp, long offset, TableSchema table) {
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
