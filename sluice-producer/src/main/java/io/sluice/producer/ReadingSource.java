package io.sluice.producer;

import io.sluice.core.Reading;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/**
 * A finite or unbounded stream of readings, each with the time at which it is due to be sent.
 *
 * <p>Pacing is expressed as an offset from the start of the run: {@link #nextDueNanos()} tells the producer how many
 * nanoseconds after it started the next reading should be sent. A source that wants "as fast as possible" returns 0
 * for every reading. Offsets never decrease. The source itself never sleeps; {@link ReadingProducer} waits.
 *
 * <p>Usage: while {@code hasNext()}, read {@code nextDueNanos()}, wait until that offset, then send {@code next()}.
 * A source is used by one thread at a time and is not reusable once exhausted.
 */
public interface ReadingSource {

    /**
     * Returns whether another reading is available.
     *
     * @return {@code true} if {@link #next()} will return a reading; always {@code true} for unbounded sources
     */
    boolean hasNext();

    /**
     * Returns the offset from the start of the run at which the next reading is due.
     *
     * @return nanoseconds since the start of the run, 0 or more, never less than for the previous reading
     * @throws NoSuchElementException if {@link #hasNext()} is {@code false}
     */
    long nextDueNanos();

    /**
     * Returns the next reading and advances.
     *
     * @return the reading
     * @throws NoSuchElementException if {@link #hasNext()} is {@code false}
     */
    Reading next();

    /**
     * Returns a short human name for progress lines and errors, for example {@code simulator(10 devices)}.
     *
     * @return the name
     */
    String name();

    /**
     * Returns how many readings this source emits in total, when that is known in advance.
     *
     * @return the total count, or empty for unbounded sources and sources that cannot tell
     */
    default OptionalLong size() {
        return OptionalLong.empty();
    }

    /**
     * Wraps a source so that it ends before the first reading due at or after {@code duration} from the start.
     * The number of readings is therefore decided by the source's pacing, not by wall-clock time, so the count is
     * reproducible. A source paced "as fast as possible" (all offsets 0) is not shortened.
     *
     * @param source   the source to limit
     * @param duration run length, positive
     * @return the limited source
     * @throws IllegalArgumentException if the duration is zero or negative
     */
    static ReadingSource limit(ReadingSource source, Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("duration must be positive, got " + duration);
        }
        long limit = duration.toNanos();
        return new ReadingSource() {
            @Override
            public boolean hasNext() {
                return source.hasNext() && source.nextDueNanos() < limit;
            }

            @Override
            public long nextDueNanos() {
                if (!hasNext()) {
                    throw new NoSuchElementException(name() + " is exhausted");
                }
                return source.nextDueNanos();
            }

            @Override
            public Reading next() {
                if (!hasNext()) {
                    throw new NoSuchElementException(name() + " is exhausted");
                }
                return source.next();
            }

            @Override
            public String name() {
                return source.name();
            }
        };
    }
}
