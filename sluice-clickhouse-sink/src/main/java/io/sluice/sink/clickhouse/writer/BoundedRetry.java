package io.sluice.sink.clickhouse.writer;

import io.sluice.sink.clickhouse.ClickHouseSinkConfig.RetryPolicy;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a request to ClickHouse under the sink's retry policy ({@code retry.timeout.ms},
 * {@code retry.backoff.initial.ms}, {@code retry.backoff.max.ms}): a retriable failure (server unreachable,
 * TOO_MANY_PARTS, memory limit, timeout; see {@link ClickHouseException#retriable()}) is retried after an
 * exponential backoff with full jitter until the retry timeout would pass; then, and for any other failure, the
 * last error is thrown. Every request of the sink goes through it: inserts, and the reads that decide what to
 * insert (server version, table structure, written offsets), so a task started or reassigned while ClickHouse is
 * down waits for it instead of failing.
 */
public final class BoundedRetry {

    private static final Logger log = LoggerFactory.getLogger(BoundedRetry.class);

    /** A request that may fail with a {@link ClickHouseException}. */
    public interface Call<T> {
        /**
         * Makes one attempt.
         *
         * @throws ClickHouseException if it fails
         */
        T attempt() throws ClickHouseException;
    }

    private final RetryPolicy policy;
    private final Random random = new Random();

    /** @param policy retry timeout and backoff bounds */
    public BoundedRetry(RetryPolicy policy) {
        this.policy = policy;
    }

    /**
     * Makes attempts until one succeeds, a failure is not retriable, or the retry timeout would pass.
     *
     * @param what what is being done, for logs ("insert of 10000 rows into db.t")
     * @param call the attempt
     * @return the successful attempt's result
     * @throws ClickHouseException  the last failure, when not retriable or when retries ran out
     * @throws InterruptedException if interrupted while backing off
     */
    public <T> T call(String what, Call<T> call) throws ClickHouseException, InterruptedException {
        long deadline = System.currentTimeMillis() + policy.timeoutMs();
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                T result = call.attempt();
                if (attempt > 1) {
                    log.info("{} succeeded on attempt {}", what, attempt);
                }
                return result;
            } catch (ClickHouseException e) {
                long delay = policy.delayMs(attempt, random);
                if (!e.retriable() || System.currentTimeMillis() + delay > deadline) {
                    if (e.retriable()) {
                        log.error("{} failed {} times within retry.timeout.ms={}; giving up: {}", what, attempt,
                                policy.timeoutMs(), e.getMessage());
                    }
                    throw e;
                }
                log.warn("{} failed (attempt {}), retrying in {} ms: {}", what, attempt, delay, e.getMessage());
                Thread.sleep(delay);
            }
        }
    }
}
