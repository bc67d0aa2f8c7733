package io.sluice.local.verify;

import io.sluice.local.server.MariaDbServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures CDC lag, from commit in MariaDB to visible in ClickHouse, with probe rows. A writer thread inserts
 * row {@code seq = 1, 2, ...} into {@value #TABLE} at a fixed interval, each in its own transaction, and notes
 * when the commit returned; a reader thread asks ClickHouse for {@code max(seq)} every 20 ms and, for every probe
 * that became visible, records {@code visible - committed} in milliseconds. The probe table is captured like any
 * other table, so the probes take the same path as the workload's changes (Debezium, Kafka, the sink's batches).
 * Resolution is the poll interval (20 ms) plus one ClickHouse query.
 */
public final class CdcLagProbe implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CdcLagProbe.class);

    /** The probe table, in the captured database and, by the sink, in ClickHouse. */
    public static final String TABLE = "sluice_lag_probe";
    private static final long POLL_MS = 20;

    private final MariaDbServer db;
    private final String database;
    private final ClickHouseQuery ch;
    private final Duration interval;
    private final ConcurrentMap<Long, Long> committedAt = new ConcurrentHashMap<>();
    private final List<Long> lagsMillis = Collections.synchronizedList(new ArrayList<>());
    /** How many probes became visible together with the first one (committed while the pipeline started), or -1. */
    private volatile int startupProbes = -1;
    private volatile boolean running;
    private volatile long firstSeq;
    private volatile long lastLagMillis = -1;
    private Thread writer;
    private Thread reader;

    /**
     * @param db       MariaDB
     * @param database the captured database
     * @param ch       ClickHouse, where the sink writes the table {@value #TABLE}
     * @param interval time between probes
     */
    public CdcLagProbe(MariaDbServer db, String database, ClickHouseQuery ch, Duration interval) {
        this.db = db;
        this.database = database;
        this.ch = ch;
        this.interval = interval;
    }

    /**
     * Creates the probe table unless it exists.
     *
     * @throws IllegalStateException if MariaDB refuses
     */
    public void createTable() {
        try (Connection c = db.connect(database); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (seq BIGINT NOT NULL PRIMARY KEY, "
                    + "committed_at DATETIME(6) NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create " + TABLE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts probing in two daemon threads. Sequence numbers continue after the highest one already in the probe
     * table, so a probe restarted on the same database (a sandbox started again) measures new rows only.
     *
     * @throws IllegalStateException if MariaDB cannot be read
     */
    public void start() {
        try (Connection c = db.connect(database); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM " + TABLE)) {
            rs.next();
            firstSeq = rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + TABLE + ": " + e.getMessage(), e);
        }
        running = true;
        writer = new Thread(this::write, "cdc-lag-writer");
        reader = new Thread(this::read, "cdc-lag-reader");
        writer.setDaemon(true);
        reader.setDaemon(true);
        writer.start();
        reader.start();
    }

    private void write() {
        long seq = firstSeq;
        try (Connection c = db.connect(database);
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " VALUES (?, ?)")) {
            long next = System.nanoTime();
            while (running) {
                seq++;
                ps.setLong(1, seq);
                ps.setObject(2, LocalDateTime.now(ZoneOffset.UTC));
                ps.executeUpdate(); // autocommit: returns after the commit
                committedAt.put(seq, System.nanoTime());
                next += interval.toNanos();
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        } catch (SQLException e) {
            log.warn("lag probe writer stopped: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read() {
        long seen = firstSeq;
        while (running) {
            long visible = maxVisible();
            long now = System.nanoTime();
            for (long s = seen + 1; s <= visible; s++) {
                Long t0 = committedAt.remove(s);
                if (t0 != null) {
                    long lag = (now - t0) / 1_000_000;
                    lagsMillis.add(lag);
                    lastLagMillis = lag;
                }
            }
            if (startupProbes < 0 && !lagsMillis.isEmpty()) {
                startupProbes = lagsMillis.size();
            }
            seen = Math.max(seen, visible);
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private long maxVisible() {
        try {
            return ch.scalar("SELECT max(seq) FROM " + TABLE);
        } catch (RuntimeException notThereYet) {
            return 0; // the sink creates the table with the first probe
        }
    }

    /** Returns the lag of the latest probe that became visible, in ms, or -1 before the first. */
    public long lastLagMillis() {
        return lastLagMillis;
    }

    /**
     * Returns how many probes became visible in the same poll as the first one: those committed while the pipeline
     * started (connectors starting, the sink creating the table with the first probe), whose lag measures the start
     * rather than the running pipeline; 0 before any probe became visible.
     */
    public int startupProbes() {
        return Math.max(0, startupProbes);
    }

    /**
     * Returns the given percentile of the lags measured after the {@link #startupProbes()}, in ms (nearest rank), or
     * -1 without samples.
     */
    public long runningPercentileMillis(double p) {
        List<Long> all = lagsMillis();
        return percentile(all.subList(Math.min(startupProbes(), all.size()), all.size()), p);
    }

    /** Returns every measured lag so far, in ms, in the order they became visible. */
    public List<Long> lagsMillis() {
        synchronized (lagsMillis) {
            return new ArrayList<>(lagsMillis);
        }
    }

    /**
     * Returns the given percentile of the measured lags, in ms (nearest rank), or -1 without samples.
     *
     * @param p percentile in (0, 100]
     */
    public long percentileMillis(double p) {
        return percentile(lagsMillis(), p);
    }

    /**
     * Returns the given percentile (nearest rank) of a list of values, or -1 for an empty list.
     *
     * @param values the values, in any order (not modified)
     * @param p      percentile in (0, 100]
     */
    public static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** Stops both threads; idempotent. Probes still in flight are not measured. */
    @Override
    public void close() {
        running = false;
        for (Thread t : new Thread[] {writer, reader}) {
            if (t != null) {
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
