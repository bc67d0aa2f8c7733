package io.sluice.sink.clickhouse.cdc;

import java.util.Objects;
import org.apache.kafka.connect.data.Struct;

/**
 * The server whose binary log a change event's coordinates belong to, as far as the event tells: the
 * {@code server_id} of the server that wrote the event and, when GTIDs are on, the origin part of its GTID (MariaDB
 * {@code domain-server-sequence}: the domain; MySQL {@code uuid:[tag:]sequence}: the source UUID). Fields of
 * Debezium's MySQL and MariaDB {@code source} block ({@code server_id}, {@code gtid}; Debezium 3.3
 * {@code BinlogSourceInfo}: the server id is the binlog event header's). Snapshot reads carry {@code server_id} 0
 * and no GTID, so they have no origin.
 *
 * <p>{@link BinlogVersion} orders changes of one binlog only. After a failover, a replica promotion or an Aurora
 * blue/green switchover, Debezium reads another server's binlog (found by GTID), whose file numbers and positions
 * start anywhere: new changes may get lower versions than the rows they replace, and lose. A changed origin is how
 * the sink notices. Immutable.
 */
public final class BinlogOrigin {

    private static final String SERVER_ID = "server_id=";
    private static final String DOMAIN = ", gtid domain=";

    private final long serverId;
    private final String gtidDomain;

    /**
     * @param serverId   the {@code server_id}, not 0
     * @param gtidDomain the GTID's origin part, or {@code null} when unknown
     */
    public BinlogOrigin(long serverId, String gtidDomain) {
        this.serverId = serverId;
        this.gtidDomain = gtidDomain;
    }

    /**
     * Returns the origin of a change event's {@code source} block, or {@code null} when it names none
     * ({@code server_id} missing or 0, as in snapshot reads).
     */
    public static BinlogOrigin of(Struct source) {
        Object id = source.schema().field("server_id") == null ? null : source.get("server_id");
        if (!(id instanceof Number) || ((Number) id).longValue() == 0) {
            return null;
        }
        Object gtid = source.schema().field("gtid") == null ? null : source.get("gtid");
        return new BinlogOrigin(((Number) id).longValue(), gtid instanceof String ? domainOf((String) gtid) : null);
    }

    /** Returns the origin part of a GTID: MariaDB's domain, MySQL's source UUID; {@code null} if neither shape. */
    static String domainOf(String gtid) {
        int colon = gtid.indexOf(':');
        if (colon > 0) {
            return gtid.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
        }
        int dash = gtid.indexOf('-');
        return dash > 0 ? gtid.substring(0, dash) : null;
    }

    /**
     * Parses the form {@link #toString()} writes.
     *
     * @return the origin, or {@code null} if {@code text} is not of that form
     */
    public static BinlogOrigin parse(String text) {
        if (text == null || !text.startsWith(SERVER_ID)) {
            return null;
        }
        int d = text.indexOf(DOMAIN);
        try {
            long id = Long.parseLong(text.substring(SERVER_ID.length(), d < 0 ? text.length() : d));
            return new BinlogOrigin(id, d < 0 ? null : text.substring(d + DOMAIN.length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Returns true if both are the same binlog as far as they tell: equal {@code server_id}, and equal GTID
     * domains where both know one (GTIDs turned on later are no change of origin).
     */
    public boolean sameAs(BinlogOrigin other) {
        return serverId == other.serverId
                && (gtidDomain == null || other.gtidDomain == null || gtidDomain.equals(other.gtidDomain));
    }

    /** Returns {@code server_id=<id>[, gtid domain=<domain>]}, the value stored in {@code _binlog_origin}. */
    @Override
    public String toString() {
        return SERVER_ID + serverId + (gtidDomain == null ? "" : DOMAIN + gtidDomain);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinlogOrigin && ((BinlogOrigin) o).serverId == serverId
                && Objects.equals(((BinlogOrigin) o).gtidDomain, gtidDomain);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(serverId) * 31 + Objects.hashCode(gtidDomain);
    }
}
