package io.sluice.it;

import io.sluice.local.verify.CdcChecksum;
import io.sluice.local.LocalStack;
import io.sluice.local.server.MariaDbServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Waits until a MariaDB table and its ClickHouse {@code <table>_current} view hold the same rows. */
final class Convergence {

    private static final Logger log = LoggerFactory.getLogger(Convergence.class);

    private Convergence() {
    }

    /**
     * Compares both sides until they match or the timeout passes; fails at once when a task of one of the
     * connectors FAILED (a failed task never recovers by itself), with its trace.
     */
    static CdcChecksum.Result awaitEqual(LocalStack stack, MariaDbServer db, String database, String table,
                                         Duration timeout, String... connectors) throws InterruptedException {
        AtomicReference<CdcChecksum.Result> last = new AtomicReference<>();
        AtomicReference<String> error = new AtomicReference<>("");
        Waits.until(timeout, () -> {
            failFastOnFailedTasks(stack, connectors);
            try {
                last.set(CdcChecksum.compare(db, database, table, stack.clickHouse()));
                return last.get().matches();
            } catch (IllegalStateException e) {
                error.set(e.getMessage());
                return false;
            }
        }, () -> last.get() == null ? "no comparison yet: " + error.get() : last.get().describe());
        log.info("{} (notes: {})", last.get().describe(), last.get().notes());
        return last.get();
    }

    private static void failFastOnFailedTasks(LocalStack stack, String... connectors) {
        for (String connector : connectors) {
            String trace = KafkaState.failedTrace(stack.connect(), connector);
            if (trace != null) {
                throw new AssertionError(connector + " task FAILED: " + trace);
            }
        }
    }
}
