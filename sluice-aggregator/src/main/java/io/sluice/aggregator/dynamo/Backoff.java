package io.sluice.aggregator.dynamo;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded exponential backoff with full jitter: before retry {@code n} (1-based) wait a uniformly random time in
 * {@code [0, min(cap, base * 2^(n-1))]} milliseconds; give up after {@code maxAttempts} attempts in total.
 * See "Exponential Backoff And Jitter" (AWS Architecture Blog) and the DynamoDB developer guide's "Error retries
 * and exponential backoff".
 *
 * @param baseMillis  first backoff ceiling in ms, at least 1
 * @param capMillis   largest backoff ceiling in ms, at least {@code baseMillis}
 * @param maxAttempts attempts in total including the first, at least 1
 */
public record Backoff(long baseMillis, long capMillis, int maxAttempts) {

    /** Default for DynamoDB writes: 25 ms base, 2 s cap, 8 attempts (at most about 6 s of waiting). */
    public static final Backoff DEFAULT = new Backoff(25, 2_000, 8);

    /** Validates the parameters. */
    public Backoff {
        if (baseMillis < 1 || capMillis < baseMillis || maxAttempts < 1) {
            throw new IllegalArgumentException("invalid backoff " + baseMillis + "/" + capMillis + "/" + maxAttempts);
        }
    }

    /**
     * Returns the wait before retry {@code retry} (1 for the first retry), in ms.
     *
     * @param retry 1-based retry number
     */
    public long delayMillis(int retry) {
        long ceiling = baseMillis << Math.min(Math.max(retry - 1, 0), 30);
        ceiling = Math.min(capMillis, ceiling);
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    /**
     * Sleeps before retry {@code retry}.
     *
     * @throws InterruptedException if interrupted while sleeping
     */
    public void sleep(int retry) throws InterruptedException {
        Thread.sleep(delayMillis(retry));
    }
}
