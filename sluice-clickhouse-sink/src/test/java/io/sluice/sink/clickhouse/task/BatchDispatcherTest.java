package io.sluice.sink.clickhouse.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.sink.clickhouse.encode.RecordEncoder;
import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.TableSchema;
import io.sluice.sink.clickhouse.writer.InsertQueue;
import io.sluice.sink.clickhouse.writer.TableBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class BatchDispatcherTest {

    private static final TopicPartition A0 = new TopicPartition("a", 0);
    private static final TopicPartition A1 = new TopicPartition("a", 1);
    private static final TopicPartition B0 = new TopicPartition("b", 0);

    /** Inserts that stay running until {@link #finishAll}; records what was submitted (rows per insert). */
    private static final class Inserts implements InsertQueue {
        final Map<TableBuffer, Integer> running = new IdentityHashMap<>();
        final List<Integer> submitted = new ArrayList<>();

        @Override
        public boolean canSubmit(TableBuffer table) {
            return !running.containsKey(table);
        }

        @Override
        public void submit(TableBuffer table) {
            submitted.add(table.rowCount());
            running.put(table, table.rowCount());
            table.clear();
        }

        void finishAll() {
            running.clear();
        }
    }

    private final Inserts inserts = new Inserts();
    private final RecordingContext context = new RecordingContext(Set.of(A0, A1, B0));
    private final TableBuffer a = batch("ta");
    private final TableBuffer b = batch("tb");
    private final BatchDispatcher dispatcher = new BatchDispatcher(inserts, context,
            topic -> topic.equals("a") ? a : topic.equals("b") ? b : null, 2, 1_000_000, 1_000, 500);

    private static TableBuffer batch(String table) {
        return new TableBuffer(new RecordEncoder(new TableSchema("default", table,
                List.of(new Column("v", ClickHouseTypeParser.parse("Int64"), false))), false), false);
    }

    private static SinkRecord rec(TopicPartition tp, long offset) {
        return new SinkRecord(tp.topic(), tp.partition(), null, null, null, Map.of("v", offset), offset);
    }

    private void add(TableBuffer batch, TopicPartition tp, long offset, long nowMs) throws Exception {
        batch.add(rec(tp, offset), tp, nowMs);
        dispatcher.offer(batch, nowMs);
    }

    @Test
    void aFullBatchGoesAtOnceAndADueOneAfterTheFlushInterval() throws Exception {
        add(a, A0, 0, 0);
        assertThat(inserts.submitted).isEmpty();
        add(a, A0, 1, 0);
        assertThat(inserts.submitted).containsExactly(2);
        add(b, B0, 0, 100);
        dispatcher.flushDue(List.of(a, b), 1_099, false);
        assertThat(inserts.submitted).containsExactly(2);
        dispatcher.flushDue(List.of(a, b), 1_100, false);
        assertThat(inserts.submitted).containsExactly(2, 1);
        assertThat(context.paused).isEmpty();
    }

    @Test
    void aCaughtUpTaskSendsPartialBatchesAtOnceAndAsksForShortPollsWhileRowsWait() throws Exception {
        add(a, A0, 0, 0);
        dispatcher.flushDue(List.of(a, b), 10, false);
        assertThat(inserts.submitted).isEmpty();
        assertThat(context.timeoutMs).isEqualTo(BatchDispatcher.CAUGHT_UP_POLL_MS); // rows wait: poll again soon
        dispatcher.flushDue(List.of(a, b), 20, true); // an empty put(): the poll found nothing new
        assertThat(inserts.submitted).containsExactly(1);
        context.timeoutMs = -1;
        dispatcher.flushDue(List.of(a, b), 30, true);
        assertThat(context.timeoutMs).as("nothing buffered: the worker's own poll timeout").isEqualTo(-1);
    }

    @Test
    void caughtUpInsertsOfATableAreSpacedByTheMinimumInterval() throws Exception {
        add(a, A0, 0, 0);
        dispatcher.flushDue(List.of(a, b), 20, true); // first insert of ta: nothing before it, so at once
        inserts.finishAll();
        add(a, A0, 1, 100);
        add(b, B0, 0, 100);
        dispatcher.flushDue(List.of(a, b), 130, true);
        assertThat(inserts.submitted).as("tb's first insert goes; ta's last started 110 ms ago").containsExactly(1, 1);
        assertThat(context.timeoutMs).as("ta's rows wait: poll again soon").isEqualTo(BatchDispatcher.CAUGHT_UP_POLL_MS);
        dispatcher.flushDue(List.of(a, b), 519, true);
        assertThat(inserts.submitted).containsExactly(1, 1);
        dispatcher.flushDue(List.of(a, b), 520, true);
        assertThat(inserts.submitted).as("500 ms after ta's previous insert started").containsExactly(1, 1, 1);
    }

    @Test
    void fullBatchesAndDueBatchesIgnoreTheSpacing() throws Exception {
        add(a, A0, 0, 0);
        add(a, A0, 1, 0); // full: goes at once
        inserts.finishAll();
        add(a, A0, 2, 10);
        add(a, A0, 3, 10);
        assertThat(inserts.submitted).as("a second full batch 10 ms later").containsExactly(2, 2);
        inserts.finishAll();
        add(a, A0, 4, 15);
        dispatcher.flushDue(List.of(a), 20, true);
        assertThat(inserts.submitted).as("the rest of a drained backlog: full inserts do not count")
                .containsExactly(2, 2, 1);
        inserts.finishAll();
        inserts.submitted.clear();
        BatchDispatcher longSpacing = new BatchDispatcher(inserts, context, topic -> a, 2, 1_000_000, 1_000, 60_000);
        a.add(rec(A0, 5), A0, 20);
        longSpacing.flushDue(List.of(a), 30, true);
        inserts.finishAll();
        a.add(rec(A0, 6), A0, 50);
        longSpacing.flushDue(List.of(a), 60, true);
        assertThat(inserts.submitted).as("caught up, but its insert at 30 ms was too recent").containsExactly(1);
        longSpacing.flushDue(List.of(a), 1_029, true);
        assertThat(inserts.submitted).containsExactly(1);
        longSpacing.flushDue(List.of(a), 1_030, true);
        assertThat(inserts.submitted).as("a spacing above flush.interval.ms acts as it: 1 s after the last start")
                .containsExactly(1, 1);
    }

    @Test
    void aFullBatchWhoseInsertRunsPausesItsTablesPartitionsUntilItCanGo() throws Exception {
        add(a, A0, 0, 0);
        add(a, A1, 0, 0); // first insert of ta runs
        add(a, A0, 1, 0);
        add(a, A1, 1, 0); // full again while it runs
        assertThat(context.paused).containsExactlyInAnyOrder(A0, A1);
        assertThat(dispatcher.pausedPartitions()).isEqualTo(2);
        dispatcher.relieve(0);
        assertThat(context.paused).containsExactlyInAnyOrder(A0, A1);
        inserts.finishAll();
        dispatcher.relieve(0);
        assertThat(context.paused).isEmpty();
        assertThat(inserts.submitted).containsExactly(2, 2);
    }

    @Test
    void relieveNeverWaitsForTheRunningInsertButAsksForTheNextPutSoon() throws Exception {
        add(a, A0, 0, 0);
        add(a, A0, 1, 0);
        add(a, A0, 2, 0);
        add(a, A0, 3, 0);
        context.timeoutMs = -1;
        dispatcher.relieve(0); // only paused partitions delivered: before, this waited for the insert
        assertThat(inserts.running).hasSize(1);
        assertThat(context.paused).containsExactlyInAnyOrder(A0, A1);
        assertThat(context.timeoutMs).isEqualTo(BatchDispatcher.CAUGHT_UP_POLL_MS);
        inserts.finishAll();
        dispatcher.relieve(0);
        assertThat(context.paused).isEmpty();
        assertThat(inserts.submitted).containsExactly(2, 2);
    }

    @Test
    void releaseResumesARewoundTable() throws Exception {
        add(a, A0, 0, 0);
        add(a, A0, 1, 0);
        add(a, A0, 2, 0);
        add(a, A0, 3, 0);
        assertThat(context.paused).containsExactlyInAnyOrder(A0, A1);
        dispatcher.release(a);
        assertThat(context.paused).isEmpty();
        assertThat(dispatcher.pausedPartitions()).isZero();
    }

    @Test
    void revokedPartitionsAreNoLongerCountedAsPaused() throws Exception {
        add(a, A0, 0, 0);
        add(a, A0, 1, 0);
        add(a, A0, 2, 0);
        add(a, A0, 3, 0);
        dispatcher.forget(List.of(A1));
        assertThat(dispatcher.pausedPartitions()).isEqualTo(1);
        dispatcher.forget(List.of(A0)); // every partition closed, as in an eager rebalance
        assertThat(dispatcher.pausedPartitions()).isZero();
        // Kafka Connect pauses a reassigned partition again if the task left it paused: nothing would resume it.
        assertThat(context.paused).as("closed partitions are resumed").isEmpty();
        add(a, A0, 4, 0); // reassigned; the table's insert still runs and its batch is full: paused again
        assertThat(context.paused).containsExactlyInAnyOrder(A0, A1);
    }

    @Test
    void closedPartitionsNoLongerAssignedAreNotResumed() throws Exception {
        Set<TopicPartition> assignment = new java.util.LinkedHashSet<>(List.of(A0, A1));
        RecordingContext ctx = new RecordingContext(assignment);
        BatchDispatcher d = new BatchDispatcher(inserts, ctx, topic -> a, 2, 1_000_000, 1_000, 1_000);
        for (int offset = 0; offset < 4; offset++) {
            a.add(rec(A0, offset), A0, 0);
            d.offer(a, 0);
        }
        assertThat(ctx.paused).containsExactly(A0, A1);
        assignment.remove(A1); // already gone from the consumer (partitions lost): resuming it would fail the task
        d.forget(List.of(A0, A1));
        assertThat(ctx.calls).containsExactly("pause [a-0, a-1]", "resume [a-0]");
    }
}
