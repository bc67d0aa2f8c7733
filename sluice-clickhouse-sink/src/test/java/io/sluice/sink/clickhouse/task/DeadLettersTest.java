package io.sluice.sink.clickhouse.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.sink.clickhouse.encode.RecordEncodingException;
import io.sluice.sink.clickhouse.metrics.SinkTaskMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    private final SinkTaskMetrics metrics = new SinkTaskMetrics(() -> 0L, () -> 0L);
    private static final SinkRecord RECORD = new SinkRecord("readings", 2, null, null, null, "{", 41);

    @Test
    void withoutToleranceTheTaskFailsNamingTheRecordAndHowToDeadLetter() {
        DeadLetters letters = new DeadLetters(null, false, metrics);
        assertThatThrownBy(() -> letters.reject(RECORD, "default.t", new RecordEncodingException("temp", "not a number")))
                .isInstanceOf(ConnectException.class).hasMessageContaining("readings-2@41")
                .hasMessageContaining("default.t").hasMessageContaining("not a number")
                .hasMessageContaining("errors.tolerance=all");
    }

    @Test
    void withToleranceTheRecordIsReportedWithTheReasonAndItsWriteAwaited() {
        List<String> reasons = new ArrayList<>();
        CompletableFuture<Void> write = new CompletableFuture<>();
        ErrantRecordReporter reporter = (r, e) -> {
            reasons.add(r.kafkaOffset() + ": " + e.getMessage());
            return write;
        };
        DeadLetters letters = new DeadLetters(reporter, true, metrics);
        letters.reject(RECORD, "default.t", new RecordEncodingException("temp", "not a number"));
        assertThat(reasons).hasSize(1);
        assertThat(reasons.get(0)).startsWith("41: cannot write record readings-2@41 to default.t")
                .contains("not a number");
        assertThat(metrics.value("records-dead-lettered").longValue()).isEqualTo(1L);
        write.completeExceptionally(new IllegalStateException("DLQ topic is gone"));
        assertThatThrownBy(letters::awaitWritten).isInstanceOf(ConnectException.class)
                .hasMessageContaining("DLQ topic is gone");
    }

    @Test
    void awaitingCompletedWritesReturns() {
        Future<Void> done = CompletableFuture.completedFuture(null);
        DeadLetters letters = new DeadLetters((r, e) -> done, true, metrics);
        letters.reject(RECORD, "default.t", new RecordEncodingException("temp", "bad"));
        letters.awaitWritten();
        letters.awaitWritten();
    }
}
