package io.sluice.sink.clickhouse.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.ClickHouseTypeParser;
import io.sluice.sink.clickhouse.schema.Column;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class StaleInsertsTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final TableSchema TABLE = new TableSchema("default", "rows",
            List.of(new Column("v", ClickHouseTypeParser.parse("Int64"), false)));

    /** A stand-in server: the inserts running now, or a failure to answer. */
    private static final class Server implements StaleInserts.Server {
        final Set<String> running = new HashSet<>();
        boolean down;

        @Override
        public Set<String> insertsInto(TableSchema table) throws ClickHouseException {
            answer();
            return new HashSet<>(running);
        }

        @Override
        public Set<String> stillRunning(TableSchema table, Set<String> queryIds) throws ClickHouseException {
            answer();
            Set<String> s = new HashSet<>(queryIds);
            s.retainAll(running);
            return s;
        }

        private void answer() throws ClickHouseException {
            if (down) {
                throw ClickHouseException.fromTransport("asking", false, new java.io.IOException("refused"));
            }
        }
    }

    private final Server server = new Server();
    private final RecordingContext context = new RecordingContext(Set.of(P0, P1));
    private final StaleInserts stale = new StaleInserts(server, context);

    @Test
    void aPartitionWhoseTableHasNoRunningInsertIsCheckedAtOnce() {
        assertThat(stale.mustWait(P0, TABLE, 10)).isFalse();
        assertThat(stale.holds(P0)).isFalse();
        assertThat(context.paused).isEmpty();
        assertThat(context.offsets).isEmpty();
    }

    @Test
    void aPartitionWaitsPausedAndRewoundUntilTheInsertsRunningAtItsFirstRecordHaveEnded() {
        server.running.add("sluice-old");
        assertThat(stale.mustWait(P0, TABLE, 10)).isTrue();
        assertThat(stale.holds(P0)).isTrue();
        assertThat(context.paused).containsExactly(P0);
        assertThat(context.offsets).containsEntry(P0, 10L);
        assertThat(context.timeoutMs).isEqualTo(BatchDispatcher.CAUGHT_UP_POLL_MS);

        server.running.add("sluice-new"); // started later, by a task that owns its partitions now: not waited for
        context.timeoutMs = -1;
        stale.release();
        assertThat(stale.holds(P0)).isTrue();
        assertThat(context.timeoutMs).as("asks again soon").isEqualTo(BatchDispatcher.CAUGHT_UP_POLL_MS);

        server.running.remove("sluice-old");
        stale.release();
        assertThat(stale.holds(P0)).isFalse();
        assertThat(context.paused).isEmpty();
    }

    @Test
    void recordsOfAHeldPartitionThatArriveAnywayAreRewoundAndPausedAgain() {
        server.running.add("sluice-old");
        stale.mustWait(P0, TABLE, 10);
        context.resume(P0); // the dispatcher resumed its table
        context.offsets.clear();
        stale.release(); // the next put()
        stale.redeliver(P0);
        assertThat(context.paused).containsExactly(P0);
        assertThat(context.offsets).containsEntry(P0, 10L);
    }

    @Test
    void aServerThatCannotBeAskedKeepsThePartitionHeldAndItIsAskedAgainAtItsNextFirstRecord() {
        server.down = true;
        assertThat(stale.mustWait(P0, TABLE, 10)).isTrue();
        assertThat(stale.holds(P0)).isTrue();
        stale.release(); // nothing known to wait for: resumed, and its first record asks again
        assertThat(stale.holds(P0)).isFalse();
        server.down = false;
        assertThat(stale.mustWait(P0, TABLE, 10)).isFalse();

        server.running.add("sluice-old");
        stale.mustWait(P1, TABLE, 5);
        server.down = true;
        server.running.clear();
        stale.release();
        assertThat(stale.holds(P1)).as("an unanswered question keeps it held").isTrue();
    }

    @Test
    void closedPartitionsAreForgotten() {
        server.running.add("sluice-old");
        stale.mustWait(P0, TABLE, 10);
        stale.forget(List.of(P0));
        assertThat(stale.holds(P0)).isFalse();
        // Kafka Connect pauses a reassigned partition again if the task left it paused: nothing would resume it.
        assertThat(context.paused).as("a closed held partition is resumed").isEmpty();
    }
}
