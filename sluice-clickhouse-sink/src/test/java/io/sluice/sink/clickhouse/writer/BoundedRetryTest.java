package io.sluice.sink.clickhouse.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.sink.clickhouse.ClickHouseSinkConfig.RetryPolicy;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedRetryTest {

    private static final ClickHouseException TOO_MANY_PARTS =
            ClickHouseException.fromServer(500, 252, "Too many parts (300)");
    private static final ClickHouseException UNKNOWN_TABLE =
            ClickHouseException.fromServer(404, 60, "Table default.t doesn't exist");

    @Test
    void retriesRetriableFailuresUntilAnAttemptSucceeds() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        String r = new BoundedRetry(new RetryPolicy(60_000, 1, 2)).call("test", () -> {
            if (attempts.incrementAndGet() < 4) {
                throw TOO_MANY_PARTS;
            }
            return "ok";
        });
        assertThat(r).isEqualTo("ok");
        assertThat(attempts).hasValue(4);
    }

    @Test
    void throwsANonRetriableFailureAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> new BoundedRetry(new RetryPolicy(60_000, 1, 2)).call("test", () -> {
            attempts.incrementAndGet();
            throw UNKNOWN_TABLE;
        })).isSameAs(UNKNOWN_TABLE);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void givesUpWithTheLastFailureWhenTheRetryTimeoutRunsOut() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> new BoundedRetry(new RetryPolicy(200, 10, 20)).call("test", () -> {
            attempts.incrementAndGet();
            throw TOO_MANY_PARTS;
        })).isSameAs(TOO_MANY_PARTS);
        assertThat(attempts.get()).isGreaterThan(1);
    }

    @Test
    void aZeroRetryTimeoutMakesOneAttempt() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> new BoundedRetry(new RetryPolicy(0, 10, 20)).call("test", () -> {
            attempts.incrementAndGet();
            throw TOO_MANY_PARTS;
        })).isSameAs(TOO_MANY_PARTS);
        assertThat(attempts).hasValue(1);
    }
}
