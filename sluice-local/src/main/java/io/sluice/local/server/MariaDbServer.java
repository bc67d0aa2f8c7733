package io.sluice.local.server;

import io.sluice.local.LocalFiles;
import io.sluice.local.ParentDeathWatch;
import io.sluice.local.Ports;
import io.sluice.local.ProcessLauncher;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MariaDB server (Debian's {@code mariadb-server} 10.11) run as a child process, as a CDC source: binlog on, in
 * ROW format with FULL row images (what Debezium's binlog connectors require; Debezium MariaDB connector docs,
 * "Setting up MariaDB") and {@code log_slave_updates}, so that as a replica it can be promoted and captured, bound
 * to 127.0.0.1 on a free port, with data, binlogs, socket and logs under its work directory, and the server time
 * zone UTC.
 *
 * <p>Two users are created on first start, both with random passwords kept only in the 0600 properties file
 * {@link #secretsFile()} (read by Kafka Connect's {@code FileConfigProvider}):
 * <ul>
 *   <li>{@value #ADMIN_USER}, with all privileges, for schema setup, workloads and checks;</li>
 *   <li>{@value #DEBEZIUM_USER}, with exactly the grants the Debezium MariaDB connector needs: SELECT, RELOAD,
 *       SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, BINLOG MONITOR and LOCK TABLES (since 10.5
 *       MariaDB treats REPLICATION CLIENT as an alias of BINLOG MONITOR and shows only the latter).</li>
 * </ul>
 * <p>No account logs in without a password: {@code mariadb-install-db} runs with socket authentication, so root
 * (and the OS user's account) log in only through the Unix socket as that OS user, and accounts without a password
 * left by older work directories are removed at start. Users are created with {@code sql_log_bin=0}, so their
 * passwords never reach the binlog. A {@link ParentDeathWatch} stops the server if this JVM dies without stopping
 * it.
 *
 * <p>Durability is relaxed ({@code innodb_flush_log_at_trx_commit=2}, {@code sync_binlog=0}) for a shared laptop;
 * the server is stopped cleanly, never killed, by the stack.
 */
public final class MariaDbServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MariaDbServer.class);

    /** Administrative user, for setup and workloads. */
    public static final String ADMIN_USER = "sluice_admin";
    /** The user Debezium connects as. */
    public static final String DEBEZIUM_USER = "debezium";
    /** Key of the admin password in {@link #secretsFile()}. */
    public static final String ADMIN_PASSWORD_KEY = "mariadb.admin.password";
    /** Key of the Debezium password in {@link #secretsFile()}. */
    public static final String DEBEZIUM_PASSWORD_KEY = "mariadb.debezium.password";
    /** The grants of {@link #DEBEZIUM_USER}, as given to it. */
    public static final String DEBEZIUM_GRANTS =
            "SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, BINLOG MONITOR, LOCK TABLES";

    private static final String INSTALL_HINT = "sudo apt-get install -y mariadb-server";
    private static final int MAX_SOCKET_PATH = 100; // sun_path is 108 bytes on Linux

    private final Path dir;
    private final int port;
    private final int serverId;
    private final Properties secrets;
    private Process process;
    private ParentDeathWatch watch;

    /**
     * Prepares the server's directory; nothing runs until {@link #start()}. A directory used before keeps its
     * data and passwords.
     *
     * @param dir      work directory for config, data, binlogs and logs
     * @param port     TCP port on 127.0.0.1, or 0 for a free one
     * @param serverId the server's {@code server_id} (must differ from Debezium's {@code database.server.id})
     * @throws UncheckedIOException if an existing secrets file cannot be read
     */
    public MariaDbServer(Path dir, int port, int serverId) {
        this.dir = dir.toAbsolutePath();
        this.port = port == 0 ? Ports.free() : port;
        this.serverId = serverId;
        this.secrets = loadOrCreateSecrets(secretsFile());
    }

    private static Properties loadOrCreateSecrets(Path f) {
        Properties p = new Properties();
        if (Files.exists(f)) {
            try (var r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f, e);
            }
        } else {
            p.setProperty(ADMIN_PASSWORD_KEY, randomPassword());
            p.setProperty(DEBEZIUM_PASSWORD_KEY, randomPassword());
        }
        return p;
    }

    private static String randomPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * Writes {@code my.cnf}, initialises the data directory on first use ({@code mariadb-install-db}), starts
     * {@code mariadbd}, waits until it accepts connections, and creates the two users on first use.
     *
     * @return this server
     * @throws ProcessLauncher.MissingBinaryException if mariadbd or mariadb-install-db is not installed
     * @throws IllegalStateException                 if initialisation fails, the server exits, or it does not
     *                                               accept connections within 30 s; the message carries the tail
     *                                               of its error log
     */
    public MariaDbServer start() {
        String mariadbd = ProcessLauncher.require("mariadbd", INSTALL_HINT);
        String installDb = ProcessLauncher.require("mariadb-install-db", INSTALL_HINT);
        boolean fresh = !Files.isDirectory(dir.resolve("data/mysql"));
        try {
            for (String d : new String[] {"data", "binlog", "tmp", "logs"}) {
                Files.createDirectories(dir.resolve(d));
            }
            writeSecrets();
            Files.writeString(myCnf(), myCnfText(), StandardCharsets.UTF_8);
            if (fresh) {
                // Socket authentication: root@localhost and <OS user>@localhost log in only as that OS user through
                // the Unix socket; no account without a password is created.
                run(new ProcessBuilder(installDb, "--defaults-file=" + myCnf(), "--user=" + osUser(),
                        "--auth-root-authentication-method=socket", "--auth-root-socket-user=" + osUser(),
                        "--skip-test-db"), "mariadb-install-db");
            }
            process = new ProcessBuilder(mariadbd, "--defaults-file=" + myCnf(), "--user=" + osUser())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("logs/stdout.log").toFile()))
                    .start();
            watch = ParentDeathWatch.start(process, Duration.ofSeconds(60));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start mariadbd in " + dir, e);
        }
        try {
            waitUntilListening(Duration.ofSeconds(30));
            if (fresh) {
                createUsers();
            }
            removePasswordlessAccounts();
        } catch (RuntimeException e) {
            close(); // the caller never gets this server to close
            throw e;
        }
        log.info("MariaDB server (pid {}) listening on 127.0.0.1:{}", process.pid(), port);
        return this;
    }

    private static String osUser() {
        return System.getProperty("user.name");
    }

    private Path myCnf() {
        return dir.resolve("my.cnf");
    }

    /** The Unix socket: under the work dir when its path is short enough, else in a private temp directory. */
    private Path socket() {
        Path s = dir.resolve("mysqld.sock");
        if (s.toString().length() <= MAX_SOCKET_PATH) {
            return s;
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "sluice-mariadb-" + port + ".sock");
    }

    private String myCnfText() {
        return "[client]\n"
                + "socket=" + socket() + "\n"
                + "port=" + port + "\n"
                + "[mysqld]\n"
                + "datadir=" + dir.resolve("data") + "\n"
                + "tmpdir=" + dir.resolve("tmp") + "\n"
                + "socket=" + socket() + "\n"
                + "pid-file=" + dir.resolve("mariadbd.pid") + "\n"
                + "log_error=" + dir.resolve("logs/error.log") + "\n"
                + "port=" + port + "\n"
                + "bind-address=127.0.0.1\n"
                + "skip-name-resolve\n"
                + "server_id=" + serverId + "\n"
                + "log_bin=" + dir.resolve("binlog/mariadb-bin") + "\n"
                + "binlog_format=ROW\n"
                + "binlog_row_image=FULL\n"
                + "log_slave_updates=ON\n" // as a replica, binlog what it applies: a promoted replica is a CDC source
                + "binlog_expire_logs_seconds=86400\n"
                + "default_time_zone='+00:00'\n"
                + "character_set_server=utf8mb4\n"
                + "collation_server=utf8mb4_general_ci\n"
                + "innodb_buffer_pool_size=128M\n"
                + "innodb_log_file_size=64M\n"
                + "innodb_flush_log_at_trx_commit=2\n"
                + "sync_binlog=0\n"
                + "max_connections=200\n"
                + "max_allowed_packet=64M\n";
    }

    private void writeSecrets() throws IOException {
        StringWriter text = new StringWriter();
        secrets.store(text, "MariaDB passwords of the local stack; read by Kafka Connect's FileConfigProvider");
        LocalFiles.writeSecret(secretsFile(), text.toString());
    }

    private void run(ProcessBuilder pb, String what) throws IOException {
        Path out = dir.resolve("logs/" + what + ".log");
        Process p = pb.directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " failed; see " + out + ": " + tail(out));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + what, e);
        }
    }

    /** Waits until the server accepts TCP connections on its port (it opens the port once recovery is done). */
    private void waitUntilListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mariadbd exited with code " + process.exitValue() + "; see "
                        + dir.resolve("logs") + ": " + tail(dir.resolve("logs/error.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host(), port), 500);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        close();
        throw new IllegalStateException("MariaDB did not listen on " + host() + ":" + port + " within "
                + timeout.toSeconds() + " s; see " + dir.resolve("logs"));
    }

    /**
     * Creates the two users as the OS user's socket-authenticated account (created by {@code mariadb-install-db}).
     * The SQL, passwords included, goes to the {@code mariadb} client on stdin, never on its command line, and runs
     * with {@code sql_log_bin=0}, so no {@code CREATE USER ... IDENTIFIED BY} (and no password) reaches the binlog,
     * which the Debezium user can read.
     */
    private void createUsers() {
        StringBuilder sql = new StringBuilder("SET SESSION sql_log_bin=0;\n");
        for (String host : new String[] {"127.0.0.1", "localhost"}) {
            sql.append("CREATE USER '").append(ADMIN_USER).append("'@'").append(host).append("' IDENTIFIED BY '")
                    .append(secrets.getProperty(ADMIN_PASSWORD_KEY)).append("';\n")
                    .append("GRANT ALL PRIVILEGES ON *.* TO '").append(ADMIN_USER).append("'@'").append(host)
                    .append("' WITH GRANT OPTION;\n")
                    .append("CREATE USER '").append(DEBEZIUM_USER).append("'@'").append(host).append("' IDENTIFIED BY '")
                    .append(secrets.getProperty(DEBEZIUM_PASSWORD_KEY)).append("';\n")
                    .append("GRANT ").append(DEBEZIUM_GRANTS).append(" ON *.* TO '").append(DEBEZIUM_USER).append("'@'")
                    .append(host).append("';\n");
        }
        String client = ProcessLauncher.require("mariadb", "sudo apt-get install -y mariadb-client");
        Path out = dir.resolve("logs/setup.log");
        try {
            Process p = new ProcessBuilder(client, "--defaults-file=" + myCnf(), "--user=" + osUser(), "--batch")
                    .directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(sql.toString().getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("cannot create the MariaDB users; see " + out + ": " + tail(out));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the mariadb client", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the MariaDB users", e);
        }
    }

    /**
     * Drops accounts that log in with an empty password, left by work directories initialised before the stack
     * used socket authentication ({@code --auth-root-authentication-method=normal} created {@code root} at
     * {@code localhost}, {@code 127.0.0.1}, {@code ::1} and the host name, all without a password), and turns such a
     * {@code root@localhost} into a socket-authenticated account. Runs as {@link #ADMIN_USER} with
     * {@code sql_log_bin=0}; does nothing on a directory initialised by this version.
     */
    private void removePasswordlessAccounts() {
        try (Connection c = connect(null); Statement st = c.createStatement()) {
            st.execute("SET SESSION sql_log_bin=0");
            List<String[]> open = new ArrayList<>();
            // Top-level plugin and authentication string of each account (an auth_or list's first entry is these).
            try (ResultSet rs = st.executeQuery("SELECT User, Host FROM mysql.global_priv"
                    + " WHERE IFNULL(JSON_VALUE(Priv, '$.is_role'), 'false') <> 'true'"
                    + " AND IFNULL(JSON_VALUE(Priv, '$.account_locked'), 'false') <> 'true'"
                    + " AND IFNULL(JSON_VALUE(Priv, '$.plugin'), 'mysql_native_password')"
                    + " IN ('', 'mysql_native_password', 'mysql_old_password')"
                    + " AND IFNULL(JSON_VALUE(Priv, '$.authentication_string'), '') = ''")) {
                while (rs.next()) {
                    open.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            for (String[] a : open) {
                String account = "'" + a[0].replace("'", "''") + "'@'" + a[1].replace("'", "''") + "'";
                if (a[0].equals("root") && a[1].equals("localhost")) {
                    st.execute("ALTER USER " + account + " IDENTIFIED VIA unix_socket");
                } else {
                    st.execute("DROP USER " + account);
                }
                log.info("MariaDB account {} had no password: {}", account,
                        a[1].equals("localhost") && a[0].equals("root") ? "now socket-authenticated" : "dropped");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check the MariaDB accounts for empty passwords", e);
        }
    }

    private static String tail(Path f) {
        try {
            String s = Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(cannot read " + f + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for MariaDB", e);
        }
    }

    /**
     * Opens a JDBC connection as {@link #ADMIN_USER} over TCP.
     *
     * @param database default database, or {@code null} for none
     * @throws SQLException if the server refuses
     */
    public Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", ADMIN_USER);
        p.setProperty("password", secrets.getProperty(ADMIN_PASSWORD_KEY));
        return DriverManager.getConnection(jdbcUrl(database), p);
    }

    /** Returns the JDBC URL without credentials, {@code jdbc:mariadb://127.0.0.1:port/[database]}. */
    public String jdbcUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + (database == null ? "" : database);
    }

    /** Returns the host, {@code 127.0.0.1}. */
    public String host() {
        return "127.0.0.1";
    }

    /** Returns the TCP port. */
    public int port() {
        return port;
    }

    /** Returns this server's {@code server_id}. */
    public int serverId() {
        return serverId;
    }

    /** Returns the admin password; callers must not log it (used by workload tools given it on stdin or a 0600 file). */
    public String adminPassword() {
        return secrets.getProperty(ADMIN_PASSWORD_KEY);
    }

    /**
     * Returns the 0600 properties file with {@link #ADMIN_PASSWORD_KEY} and {@link #DEBEZIUM_PASSWORD_KEY}, for
     * Kafka Connect's FileConfigProvider.
     */
    public Path secretsFile() {
        return dir.resolve("secrets.properties");
    }

    /** Returns the config-provider reference to the Debezium password: {@code ${file:<secrets>:mariadb.debezium.password}}. */
    public String debeziumPasswordRef() {
        return "${file:" + secretsFile() + ":" + DEBEZIUM_PASSWORD_KEY + "}";
    }

    /** Returns the work directory. */
    public Path dir() {
        return dir;
    }

    /** Returns the server's process id. */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException("MariaDB server not started");
        }
        return process.pid();
    }

    /**
     * Stops the server by its PID with SIGTERM (a clean InnoDB shutdown; SIGKILL after 60 s); idempotent.
     * {@link #start()} may be called again and keeps the data. If this JVM dies without calling it (SIGKILL
     * included), the server's {@link ParentDeathWatch} stops it the same way.
     */
    @Override
    public void close() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
        if (process != null) {
            ProcessLauncher.stop(process, 60_000);
            process = null;
            log.info("MariaDB server stopped");
        }
    }
}
