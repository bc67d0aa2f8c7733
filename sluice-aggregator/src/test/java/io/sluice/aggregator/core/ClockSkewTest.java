package io.sluice.aggregator.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.Reading;
import io.sluice.core.ReadingJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The clock-skew rule of {@link BatchPreparer} at its boundary, with a fixed clock. */
class ClockSkewTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final AggregatorSettings SETTINGS =
            new AggregatorSettings(Duration.ofMinutes(1), Duration.ofMinutes(5), Optional.empty(), Duration.ofMinutes(2));
    private final BatchPreparer preparer = new BatchPreparer(SETTINGS, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void readingsUpToTheSkewAreAcceptedAndBeyondRejectedWithoutMovingTheWatermark() {
        Instant limit = NOW.plus(Duration.ofMinutes(2));
        PreparedBatch b = preparer.prepare(List.of(slice(PartitionSlice.NO_WATERMARK,
                new Reading(1, NOW.minusSeconds(30), 20.0),
                new Reading(1, limit.plusMillis(1), 21.0),
                new Reading(1, limit, 22.0))));
        assertThat(b.accepted()).isEqualTo(2);
        assertThat(b.rejected()).singleElement().satisfies(r -> {
            assertThat(r.offset()).isEqualTo(1);
            assertThat(r.field()).isEqualTo("timestamp");
            assertThat(r.reason()).contains("ahead of the clock");
        });
        assertThat(b.watermarkAfter()).containsEntry("t-0", limit.toEpochMilli());
    }

    @Test
    void aStoredWatermarkBeyondTheSkewIsDiscardedAsUnknown() {
        long poisoned = Instant.parse("2099-01-01T00:00:00Z").toEpochMilli();
        Reading old = new Reading(1, Instant.parse("2026-11-21T10:00:00Z"), 20.0);
        PreparedBatch b = preparer.prepare(List.of(slice(poisoned, old)));
        assertThat(b.late()).isZero();
        assertThat(b.accepted()).isEqualTo(1);
        assertThat(b.watermarkAfter()).containsEntry("t-0", old.timestamp().toEpochMilli());

        long ahead = NOW.plusSeconds(60).toEpochMilli(); // within the skew: kept, and the old reading is late
        assertThat(preparer.prepare(List.of(slice(ahead, old))).late()).isEqualTo(1);
    }

    private static PartitionSlice slice(long watermark, Reading... readings) {
        List<ConsumedRecord> records = new java.util.ArrayList<>();
        for (Reading r : readings) {
            records.add(new ConsumedRecord("t", 0, records.size(), ReadingJson.toBytes(r)));
        }
        return new PartitionSlice("t", 0, OffsetRanges.of(0, readings.length - 1), watermark, records);
    }
}
