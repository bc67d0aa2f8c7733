package io.sluice.sink.clickhouse.task;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Per partition, the offset after the last record the task handled (buffered, written, dead-lettered or skipped),
 * and the arithmetic of {@code preCommit}: Kafka Connect may commit a partition only up to its first record that
 * is not yet in ClickHouse or in the dead-letter queue.
 */
public final class PartitionOffsets {

    /** One partition's position. Mutable, so {@code put()} looks it up once per run of records, not per record. */
    public static final class Position {
        private long next = -1;

        /** Returns true if the record at {@code offset} was handled already (redelivered after a retry). */
        public boolean handled(long offset) {
            return offset < next;
        }

        /** Marks the record at {@code offset} handled. */
        public void advance(long offset) {
            next = offset + 1;
        }
    }

    /** The first offset of a partition that is buffered or being inserted. */
    public interface Unwritten {
        /** Returns the lowest offset of the partition not yet in ClickHouse, or {@code null} if every row is. */
        Long first(TopicPartition tp);
    }

    private final Map<TopicPartition, Position> positions = new HashMap<>();

    /** Returns the partition's position, creating it (nothing handled yet) on first use. */
    public Position of(TopicPartition tp) {
        return positions.computeIfAbsent(tp, k -> new Position());
    }

    /** Sets the partition's position back, so the record at {@code offset} and later ones are handled again. */
    public void rewind(TopicPartition tp, long offset) {
        of(tp).next = offset;
    }

    /** Forgets partitions that were assigned anew or revoked. */
    public void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            positions.remove(tp);
        }
    }

    /**
     * Returns, for each given partition that handled a record, the offset Kafka Connect may commit: the first
     * unwritten offset if rows of the partition are buffered or being inserted, otherwise the offset after the
     * last record handled. Partitions without a handled record are left out (nothing new to commit).
     */
    public Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> partitions,
            Unwritten unwritten) {
        Map<TopicPartition, OffsetAndMetadata> safe = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Position p = positions.get(tp);
            if (p == null || p.next < 0) {
                continue;
            }
            Long first = unwritten.first(tp);
            safe.put(tp, new OffsetAndMetadata(first != null ? first : p.next));
        }
        return safe;
    }
}
