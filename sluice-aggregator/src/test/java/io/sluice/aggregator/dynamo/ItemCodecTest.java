package io.sluice.aggregator.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.aggregator.core.ItemState;
import io.sluice.aggregator.core.OffsetRanges;
import io.sluice.aggregator.core.Stats;
import io.sluice.aggregator.core.WindowKey;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link ItemCodec#toItem} against the item layout stated directly (each attribute from the state, numbers as
 * {@code Long.toString} and {@code BigDecimal.toPlainString}, the mean through the 38-digit {@code BigDecimal}
 * division), and {@link ItemCodec#fromItem} as its inverse, on random states.
 */
class ItemCodecTest {

    @Test
    void toItemIsTheLayoutAndFromItemItsInverse() {
        Random rnd = new Random(29);
        for (int i = 0; i < 5_000; i++) {
            ItemState s = randomState(rnd);
            Map<String, AttributeValue> item = ItemCodec.toItem(s);
            assertThat(item).isEqualTo(layout(s));
            assertThat(ItemCodec.fromItem(item)).isEqualTo(s);
        }
    }

    private static Map<String, AttributeValue> layout(ItemState s) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("device_id", AttributeValue.fromN(Integer.toString(s.key().deviceId())));
        m.put("window_start", AttributeValue.fromN(Long.toString(s.key().windowStartMs())));
        m.put("window_end", AttributeValue.fromN(Long.toString(s.windowEndMs())));
        Stats st = s.stats();
        m.put("reading_count", AttributeValue.fromN(Long.toString(st.count())));
        m.put("temp_sum", AttributeValue.fromN(st.sum().toPlainString()));
        m.put("temp_min", AttributeValue.fromN(st.min().toPlainString()));
        m.put("temp_max", AttributeValue.fromN(st.max().toPlainString()));
        m.put("temp_mean", AttributeValue.fromN(st.mean().toPlainString()));
        m.put("first_event_at", AttributeValue.fromN(Long.toString(st.firstEventMs())));
        m.put("last_event_at", AttributeValue.fromN(Long.toString(st.lastEventMs())));
        m.put("updated_at", AttributeValue.fromN(Long.toString(s.updatedAtMs())));
        if (s.expiresAtSec() != null) {
            m.put("expires_at", AttributeValue.fromN(Long.toString(s.expiresAtSec())));
        }
        Map<String, AttributeValue> applied = new HashMap<>();
        s.applied().forEach((src, r) -> applied.put(src, AttributeValue.fromS(r.format())));
        m.put("applied", AttributeValue.fromM(applied));
        m.put("version", AttributeValue.fromN(Long.toString(s.version())));
        return m;
    }

    private static ItemState randomState(Random rnd) {
        long start = 1_790_000_000_000L / 60_000 * 60_000 + 60_000L * rnd.nextInt(1000);
        long count = 1 + rnd.nextInt(rnd.nextBoolean() ? 700 : 1_000_000);
        BigDecimal sum = BigDecimal.valueOf(rnd.nextLong() % 100_000_000_000L, rnd.nextInt(4));
        Stats stats = new Stats(count, sum, BigDecimal.valueOf(rnd.nextInt(5000) - 2000, 2),
                BigDecimal.valueOf(rnd.nextInt(5000), 1), start + rnd.nextInt(1000), start + 1000 + rnd.nextInt(59_000));
        Map<String, OffsetRanges> applied = new HashMap<>();
        for (int p = rnd.nextInt(3); p >= 0; p--) {
            long lo = rnd.nextInt(1_000_000);
            applied.put("readings-" + rnd.nextInt(12), OffsetRanges.of(lo, lo + rnd.nextInt(10_000)));
        }
        return new ItemState(new WindowKey(rnd.nextInt(100_000), start), start + 60_000, stats, applied,
                1 + rnd.nextInt(1000), 1_790_000_000_000L + rnd.nextInt(), rnd.nextBoolean() ? null : start / 1000 + 86_400);
    }
}
