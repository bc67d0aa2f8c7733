package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.local.server.ClickHouseServer;
import io.sluice.local.LocalStack;
import io.sluice.local.server.MariaDbServer;
import io.sluice.local.pipeline.SensorPipeline;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, items 5, 6, 9 and 10, on the real local stack (Kafka, an in-process Connect worker, ClickHouse 18.16 and
 * MariaDB 10.11 as child processes): no MariaDB account without a password, no password in the binlog, secrets
 * files 0600 and replaced atomically, no password on a command line, and a Connect worker whose REST API can neither
 * read files outside the work directory through the {@code file} config provider nor redirect a connector's
 * clients.
 */
class LocalStackSecurityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalStack stack;
    private static MariaDbServer db;

    @BeforeAll
    static void start() {
        stack = Stack.start("security");
        db = stack.startMariaDb(1);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static Properties mariaDbSecrets() throws IOException {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(db.secretsFile(), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    /** Item 5: every MariaDB account has a password, or authenticates only through the OS (unix_socket). */
    @Test
    void noMariaDbAccountWithoutAPassword() throws Exception {
        List<String> open = new ArrayList<>();
        List<String> all = new ArrayList<>();
        try (Connection c = db.connect(null); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT user, host, JSON_EXTRACT(priv, '$.plugin'), "
                     + "JSON_EXTRACT(priv, '$.authentication_string'), JSON_EXTRACT(priv, '$.auth_or'), "
                     + "JSON_EXTRACT(priv, '$.account_locked') FROM mysql.global_priv")) {
            while (rs.next()) {
                String account = "'" + rs.getString(1) + "'@'" + rs.getString(2) + "'";
                String plugin = rs.getString(3);
                String auth = rs.getString(4);
                String authOr = rs.getString(5);
                boolean locked = "true".equals(rs.getString(6));
                all.add(account + " plugin=" + plugin + " auth_or=" + authOr + " locked=" + locked);
                boolean socketOnly = plugin != null && plugin.contains("unix_socket") && authOr == null;
                boolean socketOrInvalid = authOr != null && authOr.contains("unix_socket")
                        && !authOr.matches(".*\"authentication_string\": ?\"\".*");
                boolean hasPassword = auth != null && !auth.equals("\"\"") && !auth.isEmpty();
                boolean isRole = rs.getString(1).isEmpty() || "PUBLIC".equals(rs.getString(1));
                if (!(hasPassword || socketOnly || socketOrInvalid || locked || isRole)) {
                    open.add(account);
                }
            }
        }
        assertThat(open).as("accounts without a password, of %s", all).isEmpty();
        // And the consequence, tried over TCP: root cannot log in without a password from 127.0.0.1.
        for (String user : List.of("root", "", MariaDbServer.ADMIN_USER, MariaDbServer.DEBEZIUM_USER)) {
            Properties p = new Properties();
            p.setProperty("user", user);
            p.setProperty("password", "");
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(null), p)) {
                throw new AssertionError("logged in as '" + user + "' without a password");
            } catch (SQLException expected) {
                assertThat(expected.getMessage()).containsIgnoringCase("access denied");
            }
        }
    }

    /** Item 6: the passwords of the created users are not in any binlog file (Debezium's user reads the binlog). */
    @Test
    void noPasswordInTheBinlog() throws Exception {
        Properties secrets = mariaDbSecrets();
        String admin = secrets.getProperty(MariaDbServer.ADMIN_PASSWORD_KEY);
        String debezium = secrets.getProperty(MariaDbServer.DEBEZIUM_PASSWORD_KEY);
        assertThat(admin).isNotBlank();
        assertThat(debezium).isNotBlank();
        List<Path> binlogs;
        try (Stream<Path> s = Files.list(db.dir().resolve("binlog"))) {
            binlogs = s.filter(p -> p.getFileName().toString().matches("mariadb-bin\\.\\d+")).sorted().toList();
        }
        assertThat(binlogs).isNotEmpty();
        for (Path f : binlogs) {
            String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertThat(text.contains(admin)).as("admin password in %s", f).isFalse();
            assertThat(text.contains(debezium)).as("debezium password in %s", f).isFalse();
            assertThat(text).as("CREATE USER in %s", f).doesNotContainIgnoringCase("IDENTIFIED BY");
        }
    }

    /** Item 9: each secrets file is owner-only and a file of its own (written to a new inode, then renamed). */
    @Test
    void secretsFilesAreOwnerOnlyAndNoOtherFileSharesThem() throws Exception {
        for (Path f : List.of(db.secretsFile(), stack.clickHouseServer().passwordFile())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS)))
                    .as("mode of %s", f).isEqualTo("rw-------");
            assertThat((int) Files.getAttribute(f, "unix:nlink")).as("links to %s", f).isEqualTo(1);
        }
    }

    /**
     * Item 9: a secrets file is replaced, never rewritten in place: a second hard link made to it (another name for
     * the same file, readable by everyone) does not receive the password, and the server keeps its password.
     */
    @Test
    void aSecretsFileIsReplacedNotRewrittenInPlace() throws Exception {
        Path dir = Path.of(System.getProperty("sluice.it.workdir"), "secrets-link-" + System.nanoTime());
        Files.createDirectories(dir);
        Path secrets = dir.resolve("secrets.properties");
        Files.writeString(secrets, ClickHouseServer.PASSWORD_KEY + "=kept-password-1\n");
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-r--r--"));
        Path other = dir.resolve("world-readable.txt");
        Files.createLink(other, secrets);
        try (ClickHouseServer ch = new ClickHouseServer(dir, 0).start()) {
            assertThat(ch.password()).isEqualTo("kept-password-1");
            assertThat((int) Files.getAttribute(secrets, "unix:nlink")).isEqualTo(1);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(other)))
                    .as("the other name keeps its own mode: it is no longer the secrets file").isEqualTo("rw-r--r--");
        }
    }

    /** Item 9: no process of the stack carries a password on its command line (any local user can read those). */
    @Test
    void noPasswordOnAnyCommandLine() throws Exception {
        Properties secrets = mariaDbSecrets();
        List<String> passwords = List.of(secrets.getProperty(MariaDbServer.ADMIN_PASSWORD_KEY),
                secrets.getProperty(MariaDbServer.DEBEZIUM_PASSWORD_KEY), stack.clickHouseServer().password());
        List<ProcessHandle> procs = new ArrayList<>(ProcessHandle.current().descendants().toList());
        procs.add(ProcessHandle.current());
        assertThat(procs.size()).as("this JVM and its children (ClickHouse, MariaDB)").isGreaterThanOrEqualTo(3);
        for (ProcessHandle p : procs) {
            Path cmdline = Path.of("/proc", Long.toString(p.pid()), "cmdline");
            if (!Files.exists(cmdline)) {
                continue; // exited meanwhile
            }
            String text = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
            for (String pw : passwords) {
                assertThat(text.contains(pw)).as("a password on the command line of pid %d", p.pid()).isFalse();
            }
        }
    }

    /**
     * Item 10: the {@code file} config provider reads nothing outside the stack's work directory, whoever asks
     * through the REST API; inside it, the stack's own references still resolve.
     */
    @Test
    void theFileConfigProviderReadsOnlyTheWorkDirectory() throws Exception {
        Path outside = Files.createTempFile("sluice-outside", ".properties");
        try {
            Files.writeString(outside, "stolen=not-for-connect-7f3a\n");
            Map<String, String> config = new LinkedHashMap<>();
            config.put("connector.class", SensorPipeline.SINK_CLASS);
            config.put("name", "probe");
            config.put("topics", "${file:" + outside + ":stolen}");
            config.put("clickhouse.url", stack.clickHouseUrl());
            String body = validate(config);
            assertThat(body).doesNotContain("not-for-connect-7f3a");

            Path inside = stack.clickHouseServer().passwordFile();
            config.put("topics", "${file:" + inside + ":" + ClickHouseServer.PASSWORD_KEY + "}");
            assertThat(validate(config)).as("a reference inside the work directory resolves")
                    .contains(stack.clickHouseServer().password());
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    /**
     * Item 10: a connector config may tune its clients ({@code consumer.override.metadata.max.age.ms}, as the CDC
     * sink does) but not point them elsewhere or change their security (the producer and admin overrides of a sink
     * apply to its dead-letter topic).
     */
    @Test
    void connectorClientOverridesAreLimitedToTuning() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", SensorPipeline.SINK_CLASS);
        config.put("topics", "readings");
        config.put("clickhouse.url", stack.clickHouseUrl());
        config.put("consumer.override.metadata.max.age.ms", "2000");
        config.put("consumer.override.session.timeout.ms", "6000");
        assertThat(stack.connect().validate("tuned", config)).doesNotContainKeys(
                "consumer.override.metadata.max.age.ms", "consumer.override.session.timeout.ms");

        for (String key : List.of("consumer.override.bootstrap.servers", "consumer.override.security.protocol",
                "consumer.override.sasl.jaas.config", "producer.override.bootstrap.servers",
                "admin.override.bootstrap.servers", "consumer.override.interceptor.classes")) {
            Map<String, String> bad = new LinkedHashMap<>(config);
            // A sink has a producer and an admin client only for its dead-letter topic.
            bad.put("errors.tolerance", "all");
            bad.put("errors.deadletterqueue.topic.name", "readings-dlq");
            bad.put(key, key.endsWith("servers") ? "198.51.100.7:9092" : "PLAINTEXT");
            assertThat(stack.connect().validate("redirected", bad)).as("override %s", key).containsKey(key);
        }
    }

    private static String validate(Map<String, String> config) throws Exception {
        String cls = config.get("connector.class");
        HttpRequest req = HttpRequest.newBuilder(URI.create(stack.connect().baseUrl() + "/connector-plugins/"
                        + cls + "/config/validate"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config))).build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }
}
