package io.sluice.sink.clickhouse.writer;

import io.sluice.sink.clickhouse.ClickHouseSinkConfig.RetryPolicy;
import io.sluice.sink.clickhouse.http.ClickHouseClient;
import io.sluice.sink.clickhouse.http.ClickHouseException;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inserts batches with bounded retries: exponential backoff with full jitter while the failure is retriable and
 * the retry timeout has not passed. Non-retriable failures and exhausted retries surface as exceptions; the
 * caller fails the task and leaves offsets uncommitted.
 */
public final class BatchInserter {

    private static final Logger log = LoggerFactory.getLogger(BatchInserter.class);

    private final ClickHouseClient client;
    private final RetryPolicy policy;
    private final Random random = new Random();

    /**
     * @param client the ClickHouse client
     * @param policy retry timeout and backoff bounds
     */
    public BatchInserter(ClickHouseClient client, RetryPolicy policy) {
        this.client = client;
        this.policy = policy;
    }

    /**
     * Inserts one shape of a batch.
     *
     * @param shape    the rows and their INSERT statement
     * @param settings URL settings for the insert
     * @throws ClickHouseException  if the insert fails with a non-retriable error, or retries run out; the last
     *                              error is thrown
     * @throws InterruptedException if interrupted while backing off
     */
    public void insert(TableBatch.Shape shape, List<String> settings) throws ClickHouseException, InterruptedException {
        long deadline = System.currentTimeMillis() + policy.timeoutMs();
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                client.insert(shape.insertSql(), shape.rows().array(), shape.rows().size(), settings);
                if (attempt > 1) {
                    log.info("Insert of {} rows succeeded on attempt {}", shape.rowCount(), attempt);
                }
                return;
            } catch (ClickHouseException e) {
                long delay = policy.delayMs(attempt, random);
                if (!e.retriable() || System.currentTimeMillis() + delay > deadline) {
                    throw e;
                }
                log.warn("Insert of {} rows failed (attempt {}), retrying in {} ms: {}", shape.rowCount(), attempt,
                        delay, e.getMessage());
                Thread.sleep(delay);
            }
        }
    }
}
