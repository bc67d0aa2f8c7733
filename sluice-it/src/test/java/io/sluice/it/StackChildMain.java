package io.sluice.it;

import io.sluice.local.ClickHouseServer;
import io.sluice.local.MariaDbServer;
import java.nio.file.Path;

/**
 * Runs the local stack's native servers (ClickHouse and MariaDB, the children that are not JVMs) in a JVM of its own
 * for {@link ChildProcessCleanupIT}, prints {@code ready} and blocks until killed.
 *
 * <p>Argument: the work directory.
 */
public final class StackChildMain {

    private StackChildMain() {
    }

    /**
     * Starts both servers and blocks.
     *
     * @param args the work directory
     * @throws InterruptedException never in practice: the test kills this JVM
     */
    public static void main(String[] args) throws InterruptedException {
        Path dir = Path.of(args[0]);
        new ClickHouseServer(dir.resolve("clickhouse"), 0).start();
        new MariaDbServer(dir.resolve("mariadb"), 0, 1).start();
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }
}
