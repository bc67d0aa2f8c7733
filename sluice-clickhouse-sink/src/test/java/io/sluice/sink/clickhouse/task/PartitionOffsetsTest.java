package io.sluice.sink.clickhouse.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionOffsetsTest {

    private static final TopicPartition A = new TopicPartition("a", 0);
    private static final TopicPartition B = new TopicPartition("a", 1);

    @Test
    void commitsUpToTheFirstUnwrittenOffsetOrAfterTheLastHandledRecord() {
        PartitionOffsets offsets = new PartitionOffsets();
        PartitionOffsets.Position a = offsets.of(A);
        for (long o = 10; o < 15; o++) {
            assertThat(a.handled(o)).isFalse();
            a.advance(o);
        }
        offsets.of(B).advance(7);
        // A's rows from 12 on are buffered; B has nothing buffered.
        Map<TopicPartition, OffsetAndMetadata> safe = offsets.committable(List.of(A, B), tp -> tp.equals(A) ? 12L : null);
        assertThat(safe).isEqualTo(Map.of(A, new OffsetAndMetadata(12), B, new OffsetAndMetadata(8)));
        assertThat(offsets.committable(List.of(A, B), tp -> null))
                .isEqualTo(Map.of(A, new OffsetAndMetadata(15), B, new OffsetAndMetadata(8)));
    }

    @Test
    void aPartitionWithoutAHandledRecordIsLeftOutAndRedeliveriesAreRecognised() {
        PartitionOffsets offsets = new PartitionOffsets();
        offsets.of(A);
        assertThat(offsets.committable(List.of(A, B), tp -> 3L)).isEmpty();
        PartitionOffsets.Position a = offsets.of(A);
        a.advance(5);
        assertThat(a.handled(5)).isTrue();
        assertThat(a.handled(4)).isTrue();
        assertThat(a.handled(6)).isFalse();
    }

    @Test
    void aRewindHandlesRecordsAgainAndForgettingClearsThePosition() {
        PartitionOffsets offsets = new PartitionOffsets();
        offsets.of(A).advance(20);
        offsets.rewind(A, 15);
        assertThat(offsets.of(A).handled(15)).isFalse();
        assertThat(offsets.committable(List.of(A), tp -> null)).isEqualTo(Map.of(A, new OffsetAndMetadata(15)));
        offsets.forget(List.of(A));
        assertThat(offsets.committable(List.of(A), tp -> null)).isEmpty();
    }
}
