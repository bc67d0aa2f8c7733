package io.sluice.it;

import io.sluice.local.server.ClickHouseServer;
import io.sluice.local.server.MariaDbServer;
import io.sluice.local.pipeline.SysbenchWorkload;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Runs the local stack's native children (ClickHouse, MariaDB and a sysbench workload, the children that are not
 * JVMs) in a JVM of its own for {@link ChildProcessCleanupIT}, prints {@code ready} and blocks until killed.
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
     * @throws SQLException         if the workload's database cannot be created
     */
    public static void main(String[] args) throws InterruptedException, SQLException {
        Path dir = Path.of(args[0]);
        new ClickHouseServer(dir.resolve("clickhouse"), 0).start();
        MariaDbServer db = new MariaDbServer(dir.resolve("mariadb"), 0, 1).start();
        try (Connection c = db.connect(null); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE shop");
        }
        SysbenchWorkload sysbench = new SysbenchWorkload(db, "shop", 1, 100, dir.resolve("sysbench.log"));
        sysbench.prepare();
        sysbench.start(1, 5, Duration.ofHours(1));
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }
}
