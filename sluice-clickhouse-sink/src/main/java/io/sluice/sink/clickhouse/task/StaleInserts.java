package io.sluice.sink.clickhouse.task;

import io.sluice.sink.clickhouse.http.ClickHouseException;
import io.sluice.sink.clickhouse.schema.TableSchema;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a newly assigned partition back until the inserts that were running into its table when it came have
 * ended, so that its resume check ({@link ResumeCheck}) reads a final answer. The partition's previous owner may
 * have left an insert running on the server: a task stopped or closed while inserting (ClickHouse 18.16 cannot
 * kill an INSERT, and a client that goes away does not stop one), or a task ejected from its group. Checked before
 * such an insert lands, the new owner wrote the same rows again.
 *
 * <p>Which partitions an insert carries is not visible on the server, so the partition waits for every Sluice insert
 * into the table that runs when its first record arrives ({@code query_id} starting with {@code sluice-}); those
 * started later come from tasks that own their partitions now. The wait never blocks {@code put()}: the partition
 * is paused and rewound to that record ({@link SinkTaskContext#pause}, {@link SinkTaskContext#offset}), its records
 * are ignored until then, and each later {@code put()} (at most {@value BatchDispatcher#CAUGHT_UP_POLL_MS} ms
 * apart) asks again and resumes it once those inserts are gone. A failed question keeps the partition held.
 */
public final class StaleInserts {

    private static final Logger log = LoggerFactory.getLogger(StaleInserts.class);

    /** The server's view of running inserts. */
    public interface Server {
        /**
         * Returns the query ids of the Sluice inserts into {@code table} running now.
         *
         * @throws ClickHouseException if the server cannot be asked
         */
        Set<String> insertsInto(TableSchema table) throws ClickHouseException;

        /**
         * Returns those of {@code queryIds}, inserts into {@code table}, still running.
         *
         * @throws ClickHouseException if the server cannot be asked
         */
        Set<String> stillRunning(TableSchema table, Set<String> queryIds) throws ClickHouseException;
    }

    /** A held partition: the offset it was rewound to, its table and the inserts it waits for. */
    private static final class Held {
        final long from;
        final TableSchema table;
        final Set<String> waitingFor;
        /** Whether it was rewound and paused in the current {@code put()} already. */
        boolean rewound;

        Held(long from, TableSchema table, Set<String> waitingFor) {
            this.from = from;
            this.table = table;
            this.waitingFor = waitingFor;
        }
    }

    private final Server server;
    private final SinkTaskContext context;
    private final Map<TopicPartition, Held> held = new HashMap<>();

    /**
     * @param server  answers which inserts run
     * @param context pauses, rewinds and resumes partitions, and shortens the next poll
     */
    public StaleInserts(Server server, SinkTaskContext context) {
        this.server = server;
        this.context = context;
    }

    /** Returns true if the partition is held: its records are ignored and will be delivered again. */
    public boolean holds(TopicPartition tp) {
        return !held.isEmpty() && held.containsKey(tp);
    }

    /**
     * Called for a held partition's records that arrived anyway: rewinds and pauses it again (another part of the
     * task may have resumed it), so they are delivered again once it is released.
     */
    public void redeliver(TopicPartition tp) {
        Held h = held.get(tp);
        if (!h.rewound) { // once per put(), not per record
            h.rewound = true;
            context.offset(tp, h.from);
            context.pause(tp);
        }
    }

    /**
     * At a newly assigned partition's first record, before its resume check: holds the partition (paused,
     * rewound to {@code offset}) if Sluice inserts into its table are running.
     *
     * @return true if the partition is now held and the record must be ignored
     */
    public boolean mustWait(TopicPartition tp, TableSchema table, long offset) {
        Set<String> running;
        try {
            running = server.insertsInto(table);
        } catch (ClickHouseException e) {
            log.warn("Cannot ask ClickHouse which inserts into {} run; holding {} back: {}", table, tp,
                    e.getMessage());
            running = null;
        }
        if (running != null && running.isEmpty()) {
            return false;
        }
        held.put(tp, new Held(offset, table, running));
        log.info("{} waits at offset {} until {} running insert(s) into {} have ended (its previous owner's may be "
                + "among them), before checking which of its records are written", tp, offset,
                running == null ? "the" : running.size(), table);
        redeliver(tp);
        context.timeout(BatchDispatcher.CAUGHT_UP_POLL_MS);
        return true;
    }

    /**
     * Resumes held partitions whose inserts have ended; called at the start of each {@code put()}. While any stays
     * held, asks for the next {@code put()} within {@value BatchDispatcher#CAUGHT_UP_POLL_MS} ms.
     */
    public void release() {
        if (held.isEmpty()) {
            return;
        }
        for (Iterator<Map.Entry<TopicPartition, Held>> it = held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TopicPartition, Held> e = it.next();
            Held h = e.getValue();
            h.rewound = false;
            if (h.waitingFor == null) {
                it.remove(); // asked nothing yet: look at the table again at the partition's next first record
                context.resume(e.getKey());
                continue;
            }
            try {
                h.waitingFor.retainAll(server.stillRunning(h.table, h.waitingFor));
            } catch (ClickHouseException ex) {
                log.warn("Cannot ask ClickHouse whether inserts still run; {} stays held: {}", e.getKey(),
                        ex.getMessage());
                continue;
            }
            if (h.waitingFor.isEmpty()) {
                it.remove();
                context.resume(e.getKey());
                log.info("{} resumes at offset {}: the inserts it waited for have ended", e.getKey(), h.from);
            }
        }
        if (!held.isEmpty()) {
            context.timeout(BatchDispatcher.CAUGHT_UP_POLL_MS);
        }
    }

    /**
     * Forgets closed partitions, resuming those it held ({@link BatchDispatcher#resumeClosed} says why); called
     * while they are still assigned.
     */
    public void forget(Collection<TopicPartition> partitions) {
        List<TopicPartition> wereHeld = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (held.remove(tp) != null) {
                wereHeld.add(tp);
            }
        }
        BatchDispatcher.resumeClosed(context, wereHeld);
    }
}
