package io.sluice.sink.clickhouse.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.TableSchema;
import io.sluice.sink.clickhouse.writer.WrittenOffsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class ResumeCheckTest {

    private static final TopicPartition A = new TopicPartition("a", 0);
    private static final TableSchema TABLE = new TableSchema("default", "t",
            List.of(new Column("v", ClickHouseTypeParser.parse("UInt8"), false)));

    private static final ResumeCheck.SameRecord SAME = (record, table) -> true;
    private final List<String> opened = new ArrayList<>();
    private final List<Long> compared = new ArrayList<>();

    private static SinkRecord rec(long offset) {
        return new SinkRecord(A.topic(), A.partition(), null, null, null, "{}", offset);
    }
    private final AtomicInteger skipped = new AtomicInteger();

    /** A table that holds offsets {@code written} of partition A. */
    private ResumeCheck.Source table(long... written) {
        return (tp, table, from) -> {
            opened.add(tp + "@" + from);
            return WrittenOffsets.open((start, limit) -> Arrays.stream(written).filter(o -> o >= start).limit(limit)
                    .toArray(), from, 2);
        };
    }

    @Test
    void skipsExactlyTheOffsetsAlreadyInTheTableFromTheResumePositionOn() {
        ResumeCheck check = new ResumeCheck(table(3, 5, 6, 9), SAME, true, skipped::incrementAndGet);
        assertThat(check.idle()).isTrue();
        check.assigned(List.of(A));
        assertThat(check.idle()).isFalse();
        List<Long> kept = new ArrayList<>();
        for (long o = 4; o < 12; o++) {
            if (!check.written(A, rec(o), TABLE)) {
                kept.add(o);
            }
        }
        assertThat(kept).containsExactly(4L, 7L, 8L, 10L, 11L);
        assertThat(skipped).hasValue(3);
        assertThat(opened).containsExactly("a-0@4");
        assertThat(check.idle()).isTrue(); // the cursor is dropped once exhausted: the fast path again
    }

    @Test
    void atLeastOnceNeverChecks() {
        ResumeCheck check = new ResumeCheck(table(1), SAME, false, skipped::incrementAndGet);
        check.assigned(List.of(A));
        assertThat(check.idle()).isTrue();
        check.recheck(A);
        assertThat(check.idle()).isTrue();
        assertThat(opened).isEmpty();
    }

    @Test
    void aRewoundPartitionIsCheckedAgainFromItsNewPosition() {
        ResumeCheck check = new ResumeCheck(table(5), SAME, true, skipped::incrementAndGet);
        check.assigned(List.of(A));
        assertThat(check.written(A, rec(5), TABLE)).isTrue();
        check.recheck(A);
        assertThat(check.written(A, rec(5), TABLE)).isTrue();
        assertThat(opened).containsExactly("a-0@5", "a-0@5");
        check.forget(List.of(A));
        assertThat(check.idle()).isTrue();
    }

    @Test
    void aFailedReadFailsWithThePartitionAndChecksAgainAtTheNextRecord() {
        AtomicInteger calls = new AtomicInteger();
        ResumeCheck check = new ResumeCheck((tp, table, from) -> {
            if (calls.incrementAndGet() == 1) {
                throw ClickHouseException.fromServer(503, 0, "server busy");
            }
            return null;
        }, SAME, true, skipped::incrementAndGet);
        check.assigned(List.of(A));
        assertThatThrownBy(() -> check.written(A, rec(0), TABLE)).isInstanceOf(ConnectException.class)
                .hasMessageContaining("a-0").hasMessageContaining("default.t").hasMessageContaining("server busy");
        assertThat(check.written(A, rec(0), TABLE)).isFalse();
        assertThat(calls).hasValue(2);
    }

    @Test
    void theFirstSkippedRecordPerAssignmentIsComparedWithItsRowAndAnotherRecordStopsTheTask() {
        ResumeCheck.SameRecord differs = (record, table) -> {
            compared.add(record.kafkaOffset());
            return record.kafkaOffset() != 0; // the row at offset 0 is another record: the offsets started again
        };
        ResumeCheck check = new ResumeCheck(table(2, 3), differs, true, skipped::incrementAndGet);
        check.assigned(List.of(A));
        assertThat(check.written(A, rec(1), TABLE)).isFalse();
        assertThat(check.written(A, rec(2), TABLE)).isTrue();
        assertThat(check.written(A, rec(3), TABLE)).isTrue();
        assertThat(compared).containsExactly(2L); // once per assignment, not per record

        ResumeCheck repeated = new ResumeCheck(table(0, 1), differs, true, skipped::incrementAndGet);
        repeated.assigned(List.of(A));
        assertThatThrownBy(() -> repeated.written(A, rec(0), TABLE)).isInstanceOf(ConnectException.class)
                .hasMessageContaining("record a-0@0 is not the row that default.t holds")
                .hasMessageContaining("re-created").hasMessageContaining("topic.to.table")
                .hasMessageContaining("ALTER TABLE `default`.`t` DELETE WHERE _kafka_topic = 'a'");
        assertThat(skipped).hasValue(2);
    }
}
