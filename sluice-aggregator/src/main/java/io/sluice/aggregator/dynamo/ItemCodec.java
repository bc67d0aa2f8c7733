package io.sluice.aggregator.dynamo;

import io.sluice.aggregator.core.ItemState;
import io.sluice.aggregator.core.OffsetRanges;
import io.sluice.aggregator.core.Stats;
import io.sluice.aggregator.core.WindowKey;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Maps {@link ItemState} to and from DynamoDB items. The table layout:
 *
 * <table>
 *   <caption>Item attributes</caption>
 *   <tr><th>attribute</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>{@code device_id}</td><td>N</td><td>partition key: device id</td></tr>
 *   <tr><td>{@code window_start}</td><td>N</td><td>sort key: window start, epoch milliseconds UTC</td></tr>
 *   <tr><td>{@code window_end}</td><td>N</td><td>window end (exclusive), epoch milliseconds UTC</td></tr>
 *   <tr><td>{@code reading_count}</td><td>N</td><td>number of readings</td></tr>
 *   <tr><td>{@code temp_sum}</td><td>N</td><td>exact sum of temperatures (decimal, up to 38 digits)</td></tr>
 *   <tr><td>{@code temp_min}, {@code temp_max}</td><td>N</td><td>smallest and largest temperature</td></tr>
 *   <tr><td>{@code temp_mean}</td><td>N</td><td>{@code temp_sum / reading_count}, 38 significant digits</td></tr>
 *   <tr><td>{@code first_event_at}, {@code last_event_at}</td><td>N</td><td>earliest and latest event time,
 *       epoch milliseconds UTC</td></tr>
 *   <tr><td>{@code updated_at}</td><td>N</td><td>wall-clock time of the last write, epoch milliseconds UTC</td></tr>
 *   <tr><td>{@code expires_at}</td><td>N</td><td>optional TTL attribute, epoch <em>seconds</em></td></tr>
 *   <tr><td>{@code applied}</td><td>M of S</td><td>exactly-once bookkeeping: {@code topic-partition} to decided
 *       offsets, e.g. {@code {"readings-0": "0-4999"}}</td></tr>
 *   <tr><td>{@code version}</td><td>N</td><td>optimistic-lock version, incremented by every write</td></tr>
 * </table>
 */
public final class ItemCodec {

    /** Partition key. */
    public static final String DEVICE_ID = "device_id";
    /** Sort key. */
    public static final String WINDOW_START = "window_start";
    /** Window end attribute. */
    public static final String WINDOW_END = "window_end";
    /** Count attribute. */
    public static final String COUNT = "reading_count";
    /** Sum attribute. */
    public static final String SUM = "temp_sum";
    /** Minimum attribute. */
    public static final String MIN = "temp_min";
    /** Maximum attribute. */
    public static final String MAX = "temp_max";
    /** Mean attribute. */
    public static final String MEAN = "temp_mean";
    /** Earliest event time attribute. */
    public static final String FIRST_EVENT = "first_event_at";
    /** Latest event time attribute. */
    public static final String LAST_EVENT = "last_event_at";
    /** Last update attribute. */
    public static final String UPDATED_AT = "updated_at";
    /** TTL attribute (epoch seconds). */
    public static final String EXPIRES_AT = "expires_at";
    /** Exactly-once bookkeeping attribute. */
    public static final String APPLIED = "applied";
    /** Optimistic-lock version attribute. */
    public static final String VERSION = "version";

    private ItemCodec() {
    }

    /** Returns the primary key attributes of an item. */
    public static Map<String, AttributeValue> key(WindowKey key) {
        return Map.of(DEVICE_ID, n(key.deviceId()), WINDOW_START, n(key.windowStartMs()));
    }

    /**
     * Encodes a state as a full item. The mean is {@code Stats.mean()} as plain text, computed by
     * {@link Stats#meanPlainString()}.
     */
    public static Map<String, AttributeValue> toItem(ItemState s) {
        Map<String, AttributeValue> m = new HashMap<>(24);
        m.put(DEVICE_ID, n(s.key().deviceId()));
        m.put(WINDOW_START, n(s.key().windowStartMs()));
        m.put(WINDOW_END, n(s.windowEndMs()));
        Stats st = s.stats();
        m.put(COUNT, n(st.count()));
        m.put(SUM, n(st.sum()));
        m.put(MIN, n(st.min()));
        m.put(MAX, n(st.max()));
        m.put(MEAN, AttributeValue.fromN(st.meanPlainString()));
        m.put(FIRST_EVENT, n(st.firstEventMs()));
        m.put(LAST_EVENT, n(st.lastEventMs()));
        m.put(UPDATED_AT, n(s.updatedAtMs()));
        if (s.expiresAtSec() != null) {
            m.put(EXPIRES_AT, n(s.expiresAtSec()));
        }
        Map<String, AttributeValue> applied = new HashMap<>();
        s.applied().forEach((src, r) -> applied.put(src, AttributeValue.fromS(r.format())));
        m.put(APPLIED, AttributeValue.fromM(applied));
        m.put(VERSION, n(s.version()));
        return m;
    }

    /**
     * Decodes a full item.
     *
     * @throws IllegalArgumentException if an attribute is missing or malformed
     */
    public static ItemState fromItem(Map<String, AttributeValue> m) {
        try {
            WindowKey key = new WindowKey(Integer.parseInt(m.get(DEVICE_ID).n()), Long.parseLong(m.get(WINDOW_START).n()));
            Stats stats = new Stats(Long.parseLong(m.get(COUNT).n()), dec(m, SUM), dec(m, MIN), dec(m, MAX),
                    Long.parseLong(m.get(FIRST_EVENT).n()), Long.parseLong(m.get(LAST_EVENT).n()));
            Map<String, OffsetRanges> applied = new HashMap<>();
            m.get(APPLIED).m().forEach((src, v) -> applied.put(src, OffsetRanges.parse(v.s())));
            Long expires = m.containsKey(EXPIRES_AT) ? Long.valueOf(m.get(EXPIRES_AT).n()) : null;
            return new ItemState(key, Long.parseLong(m.get(WINDOW_END).n()), stats, applied,
                    Long.parseLong(m.get(VERSION).n()), Long.parseLong(m.get(UPDATED_AT).n()), expires);
        } catch (NullPointerException | NumberFormatException e) {
            throw new IllegalArgumentException("not a Sluice aggregate item: " + m.keySet(), e);
        }
    }

    static BigDecimal dec(Map<String, AttributeValue> m, String name) {
        return new BigDecimal(m.get(name).n());
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    static AttributeValue n(BigDecimal v) {
        return AttributeValue.fromN(v.toPlainString());
    }
}
