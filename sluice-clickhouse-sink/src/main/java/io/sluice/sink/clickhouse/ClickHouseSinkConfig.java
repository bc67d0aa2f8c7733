package io.sluice.sink.clickhouse;

import io.sluice.sink.clickhouse.encode.rowbinary.TimeNumbers;
import io.sluice.sink.clickhouse.http.BodyCompression;
import io.sluice.sink.clickhouse.http.ClickHouseEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Configuration of the ClickHouse sink connector: the documented, validated {@link ConfigDef} and typed getters.
 * Secrets ({@link Type#PASSWORD}) may be given as config-provider references such as
 * {@code ${secretsmanager:clickhouse:password}} or {@code ${env:CLICKHOUSE_PASSWORD}}; the worker resolves them
 * at run time and they are never logged. The reference table of options is generated from this class into
 * {@code sluice-clickhouse-sink/README.md} by {@link ConfigDocs}.
 */
public final class ClickHouseSinkConfig extends AbstractConfig {

    private static final String CONNECTION = "Connection";
    private static final String TABLES = "Tables";
    private static final String BATCHING = "Batching and delivery";

    /** Base URL of ClickHouse's HTTP interface. */
    public static final String URL = "clickhouse.url";
    /** Opt-out of the https requirement for ClickHouse on a private network. */
    public static final String ALLOW_PLAINTEXT_PRIVATE_NETWORK = "clickhouse.allow.plaintext.private.network";
    /** User name. */
    public static final String USER = "clickhouse.user";
    /** Password. */
    public static final String PASSWORD = "clickhouse.password";
    /** Database of the target tables. */
    public static final String DATABASE = "clickhouse.database";
    /** Trust store for https. */
    public static final String TRUSTSTORE_LOCATION = "clickhouse.ssl.truststore.location";
    /** Trust store password. */
    public static final String TRUSTSTORE_PASSWORD = "clickhouse.ssl.truststore.password";
    /** Trust store type. */
    public static final String TRUSTSTORE_TYPE = "clickhouse.ssl.truststore.type";
    /** Key store for mutual TLS. */
    public static final String KEYSTORE_LOCATION = "clickhouse.ssl.keystore.location";
    /** Key store password. */
    public static final String KEYSTORE_PASSWORD = "clickhouse.ssl.keystore.password";
    /** Key store type. */
    public static final String KEYSTORE_TYPE = "clickhouse.ssl.keystore.type";
    /** Connect timeout. */
    public static final String CONNECT_TIMEOUT_MS = "clickhouse.connect.timeout.ms";
    /** Request timeout. */
    public static final String REQUEST_TIMEOUT_MS = "clickhouse.request.timeout.ms";
    /** Body compression. */
    public static final String COMPRESSION = "clickhouse.compression";
    /** Cluster for ON CLUSTER DDL and replicated auto-created tables. */
    public static final String CLUSTER = "clickhouse.cluster";
    /** Quorum of replicated inserts. */
    public static final String INSERT_QUORUM = "clickhouse.insert.quorum";
    /** Topic-to-table mapping. */
    public static final String TOPIC_TO_TABLE = "topic.to.table";
    /** Create missing tables. */
    public static final String AUTO_CREATE = "table.auto.create";
    /** ORDER BY for created tables. */
    public static final String ORDER_BY = "table.order.by";
    /** PARTITION BY for created tables. */
    public static final String PARTITION_BY = "table.partition.by";
    /** Fields without a column. */
    public static final String UNKNOWN_FIELDS = "unknown.fields";
    /** How plain numbers are read into Date and DateTime columns. */
    public static final String TIME_NUMBERS = "time.numbers";
    /** How record values become rows: appended as they are, or applied as Debezium change events. */
    public static final String INGEST_MODE = "ingest.mode";
    /** Whether to add columns for new record fields. */
    public static final String SCHEMA_EVOLUTION = "schema.evolution";
    /** Most columns a table may reach through schema evolution. */
    public static final String SCHEMA_EVOLUTION_MAX_COLUMNS = "schema.evolution.max.columns";
    /** Rows per insert. */
    public static final String BATCH_MAX_ROWS = "batch.max.rows";
    /** Bytes per insert. */
    public static final String BATCH_MAX_BYTES = "batch.max.bytes";
    /** Time-based flush. */
    public static final String FLUSH_INTERVAL_MS = "flush.interval.ms";
    /** Shortest spacing of a table's caught-up inserts. */
    public static final String FLUSH_MIN_INTERVAL_MS = "flush.min.interval.ms";
    /** Total retry time. */
    public static final String RETRY_TIMEOUT_MS = "retry.timeout.ms";
    /** First backoff. */
    public static final String RETRY_BACKOFF_INITIAL_MS = "retry.backoff.initial.ms";
    /** Longest backoff. */
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    /** Concurrent inserts per task. */
    public static final String INSERT_MAX_IN_FLIGHT = "insert.max.in.flight";
    /** Interval of the summary log line. */
    public static final String LOG_SUMMARY_INTERVAL_MS = "log.summary.interval.ms";

    /** Delivery guarantee. */
    public static final String DELIVERY_GUARANTEE = "delivery.guarantee";

    /** Kafka Connect's own error-tolerance setting, read here to decide between the DLQ and failing the task. */
    public static final String ERRORS_TOLERANCE = "errors.tolerance";

    /** The connector's configuration definition. */
    public static final ConfigDef CONFIG_DEF = buildConfigDef();

    private final Map<String, String> topicToTable;

    /**
     * Parses and validates a configuration.
     *
     * @param props connector or task properties (the worker has already resolved config-provider references)
     * @throws ConfigException if a value is missing, malformed or out of range, naming the option
     */
    public ClickHouseSinkConfig(Map<String, ?> props) {
        super(CONFIG_DEF, props);
        String problem = plaintextProblem(getString(URL), getBoolean(ALLOW_PLAINTEXT_PRIVATE_NETWORK));
        if (problem != null) {
            throw new ConfigException(URL, getString(URL), problem);
        }
        this.topicToTable = parseTopicToTable(getList(TOPIC_TO_TABLE));
        if (!cluster().isEmpty() && debeziumMode()) {
            throw new ConfigException(CLUSTER, cluster(), "is not supported with " + INGEST_MODE + "=debezium yet: "
                    + "its ReplacingMergeTree tables and <table>_current views are created on one server only. "
                    + "Create the tables ON CLUSTER yourself (ReplicatedReplacingMergeTree) and leave " + CLUSTER
                    + " empty");
        }
    }

    /**
     * Checks the transport of a ClickHouse URL: the password goes in every request (HTTP Basic auth), so plain
     * {@code http://} is accepted only to a loopback address ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}),
     * or, with {@link #ALLOW_PLAINTEXT_PRIVATE_NETWORK}, to a host whose addresses are all private (RFC 1918,
     * RFC 4193 unique local, link-local or loopback; a host name is resolved for the check).
     *
     * @param url          the URL, already syntactically valid
     * @param allowPrivate the opt-out
     * @return null when acceptable, else why not
     */
    static String plaintextProblem(String url, boolean allowPrivate) {
        URI u = URI.create(url.trim());
        if (!"http".equalsIgnoreCase(u.getScheme())) {
            return null;
        }
        String host = u.getHost();
        if (isLoopback(host)) {
            return null;
        }
        String fix = "plain http:// sends the password unencrypted; use https:// (ClickHouse Cloud: port 8443). "
                + "http:// is accepted only to a loopback address, or to a private network with "
                + ALLOW_PLAINTEXT_PRIVATE_NETWORK + "=true";
        if (!allowPrivate) {
            return fix;
        }
        java.net.InetAddress[] addresses;
        try {
            addresses = java.net.InetAddress.getAllByName(host);
        } catch (java.net.UnknownHostException e) {
            return "cannot resolve " + host + " to check that it is on a private network (" + fix + ")";
        }
        for (java.net.InetAddress a : addresses) {
            if (!isPrivate(a)) {
                return host + " has the address " + a.getHostAddress() + ", which is not private; " + fix;
            }
        }
        return null;
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        boolean literal = host.startsWith("[") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!literal) {
            return false; // a name is not resolved here: only the literal forms and localhost count
        }
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress(); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static boolean isPrivate(java.net.InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        return b.length == 16 && (b[0] & 0xfe) == 0xfc; // fc00::/7, unique local
    }

    private static ConfigDef buildConfigDef() {
        ConfigDef d = new ConfigDef();
        int o = 0;
        d.define(URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new UrlValidator(), Importance.HIGH,
                "Base URL of ClickHouse's HTTP interface: https://host:8443 (ClickHouse Cloud), or "
                        + "http://127.0.0.1:8123 on this machine. http:// to any other host needs "
                        + ALLOW_PLAINTEXT_PRIVATE_NETWORK + ". No path, no credentials in the URL.", CONNECTION, ++o, Width.LONG, "URL");
        d.define(ALLOW_PLAINTEXT_PRIVATE_NETWORK, Type.BOOLEAN, false, Importance.LOW,
                "Accept an http:// " + URL + " (the password then travels unencrypted) to a host whose addresses "
                        + "are all private (10/8, 172.16/12, 192.168/16, fc00::/7, link-local). Without it, http:// "
                        + "is accepted only to loopback (localhost, 127.0.0.0/8, ::1); anything else needs https://.",
                CONNECTION, ++o, Width.SHORT, "Allow plain HTTP on a private network");
        d.define(USER, Type.STRING, "default", Importance.HIGH, "ClickHouse user.", CONNECTION, ++o, Width.SHORT, "User");
        d.define(PASSWORD, Type.PASSWORD, "", Importance.HIGH,
                "ClickHouse password. Use a config provider reference (for example ${secretsmanager:...} or "
                        + "${env:...}) so it never appears in plain text.", CONNECTION, ++o, Width.SHORT, "Password");
        d.define(DATABASE, Type.STRING, "default", new ConfigDef.NonEmptyString(), Importance.HIGH,
                "Database that holds the target tables.", CONNECTION, ++o, Width.SHORT, "Database");
        d.define(TRUSTSTORE_LOCATION, Type.STRING, "", Importance.MEDIUM,
                "Trust store file for https; empty uses the JVM's default trust store (enough for ClickHouse Cloud).",
                CONNECTION, ++o, Width.LONG, "Trust store");
        d.define(TRUSTSTORE_PASSWORD, Type.PASSWORD, "", Importance.MEDIUM, "Trust store password.",
                CONNECTION, ++o, Width.SHORT, "Trust store password");
        d.define(TRUSTSTORE_TYPE, Type.STRING, "PKCS12", ConfigDef.ValidString.in("PKCS12", "JKS"), Importance.LOW,
                "Trust store type.", CONNECTION, ++o, Width.SHORT, "Trust store type");
        d.define(KEYSTORE_LOCATION, Type.STRING, "", Importance.MEDIUM,
                "Key store with the client certificate for mutual TLS; empty for none.", CONNECTION, ++o,
                Width.LONG, "Key store");
        d.define(KEYSTORE_PASSWORD, Type.PASSWORD, "", Importance.MEDIUM, "Key store password.",
                CONNECTION, ++o, Width.SHORT, "Key store password");
        d.define(KEYSTORE_TYPE, Type.STRING, "PKCS12", ConfigDef.ValidString.in("PKCS12", "JKS"), Importance.LOW,
                "Key store type.", CONNECTION, ++o, Width.SHORT, "Key store type");
        d.define(CONNECT_TIMEOUT_MS, Type.INT, 10_000, ConfigDef.Range.between(100, 600_000), Importance.LOW,
                "TCP and TLS connect timeout, in milliseconds.", CONNECTION, ++o, Width.SHORT, "Connect timeout");
        d.define(REQUEST_TIMEOUT_MS, Type.INT, 120_000, ConfigDef.Range.between(1_000, 3_600_000), Importance.LOW,
                "Time limit for one request, including sending the insert body, in milliseconds.",
                CONNECTION, ++o, Width.SHORT, "Request timeout");
        d.define(COMPRESSION, Type.STRING, "lz4", ConfigDef.ValidString.in("none", "gzip", "lz4"),
                Importance.LOW, "Compression of insert bodies: lz4 (ClickHouse's own compressed blocks, "
                + "decompress=1; the fastest over a network link and on loopback for narrow rows, BENCHMARKS.md), "
                + "gzip (Content-Encoding, level 1; smaller bodies, more CPU on both sides) or none (fastest for "
                + "wide rows when ClickHouse is on the same host). Every server version reads all three.",
                CONNECTION, ++o, Width.SHORT, "Compression");

        d.define(CLUSTER, Type.STRING, "", Importance.MEDIUM,
                "Cluster of a self-managed replicated ClickHouse (a name in the servers' remote_servers). When set, "
                        + "table.auto.create makes ReplicatedMergeTree('/clickhouse/tables/{shard}/<database>/<table>', "
                        + "'{replica}') tables ON CLUSTER (the servers need the shard and replica macros), and "
                        + "schema.evolution adds columns ON CLUSTER. Exactly-once reads system.processes of every replica "
                        + "of it (its remote_servers entry needs a user and password), since behind a load balancer "
                        + "an insert may still run on another replica. Leave empty for one server and for ClickHouse "
                        + "Cloud, which replicates every table itself (SharedMergeTree).", CONNECTION, ++o, Width.MEDIUM,
                "Cluster");
        d.define(INSERT_QUORUM, Type.INT, 0, ConfigDef.Range.between(0, 64), Importance.LOW,
                "For exactly-once delivery into a ReplicatedMergeTree-family table: how many replicas must hold an "
                        + "insert before it counts as written (insert_quorum). 0 means every replica of the table "
                        + "(system.replicas.total_replicas), which lets any replica answer the resume check but "
                        + "stops inserts while one is down; a majority keeps inserting then, and the check retries on "
                        + "a replica that lacks a confirmed part. 1 is refused for a table of several replicas: ClickHouse "
                        + "turns quorum inserts off below 2. Checks read with select_sequential_consistency=1 "
                        + "after any pending quorum insert. Ignored for other engines.", CONNECTION, ++o, Width.SHORT,
                "Insert quorum");

        o = 0;
        d.define(TOPIC_TO_TABLE, Type.LIST, "", new TopicToTableValidator(), Importance.HIGH,
                "Comma-separated topic=table pairs. Topics not listed go to a table named after the topic, with "
                        + "characters other than letters, digits and '_' replaced by '_'.", TABLES, ++o, Width.LONG,
                "Topic to table");
        d.define(AUTO_CREATE, Type.BOOLEAN, false, Importance.MEDIUM,
                "Create a missing table from the first record's schema (or, for schemaless JSON, its values) as a "
                        + "MergeTree.", TABLES, ++o, Width.SHORT, "Auto-create tables");
        d.define(ORDER_BY, Type.STRING, "", Importance.MEDIUM,
                "ORDER BY expression (the sort key) for created tables, for example (device_id, timestamp). Empty "
                        + "uses the Kafka coordinates (_kafka_topic, _kafka_partition, _kafka_offset).", TABLES, ++o,
                Width.MEDIUM, "ORDER BY");
        d.define(PARTITION_BY, Type.STRING, "", Importance.LOW,
                "PARTITION BY expression for created tables, for example toYYYYMM(timestamp); empty for none.",
                TABLES, ++o, Width.MEDIUM, "PARTITION BY");
        d.define(UNKNOWN_FIELDS, Type.STRING, "ignore", ConfigDef.ValidString.in("ignore", "fail"), Importance.MEDIUM,
                "What to do with a record field that has no column: ignore it, or fail the record (dead-letter "
                        + "queue or task failure, per errors.tolerance).", TABLES, ++o, Width.SHORT, "Unknown fields");
        d.define(TIME_NUMBERS, Type.STRING, "clickhouse", ConfigDef.ValidString.in("clickhouse", "epoch_millis"),
                Importance.MEDIUM, "How a plain number (a JSON number, or a Connect integer without a logical type) "
                        + "is read into a time column. clickhouse: as ClickHouse reads it, epoch seconds into DateTime, "
                        + "ticks of 10^-P seconds into DateTime64(P) (milliseconds for DateTime64(3)), days since "
                        + "1970-01-01 into Date and Date32; a number with a fraction is rejected. epoch_millis: epoch milliseconds into every time column (a Date takes the UTC "
                        + "day). Connect Timestamp and Date values are exact either way, and a Connect INT32 into a "
                        + "Date column is always days.", TABLES, ++o, Width.SHORT, "Numbers in time columns");
        d.define(INGEST_MODE, Type.STRING, "append", ConfigDef.ValidString.in("append", "debezium"), Importance.HIGH,
                "append: every record value becomes one row. debezium: values are Debezium change events "
                        + "(JsonConverter with schemas.enable=true); each becomes a versioned row of a "
                        + "ReplacingMergeTree table named after the source table, with a <table>_current view of the "
                        + "current state. delivery.guarantee does not apply: replays are idempotent through the "
                        + "_version column. See 'Change data capture (Debezium)'.", TABLES, ++o, Width.SHORT,
                "Ingest mode");
        d.define(SCHEMA_EVOLUTION, Type.STRING, "", new ConfigDef.Validator() {
                    private final ConfigDef.Validator values = ConfigDef.ValidString.in("", "none", "add_columns");

                    @Override
                    public void ensureValid(String name, Object value) {
                        values.ensureValid(name, value);
                    }

                    @Override
                    public String toString() {
                        return "[none, add_columns], or empty";
                    }
                },
                Importance.MEDIUM, "add_columns: when a record has a field that its table lacks, add the column "
                        + "(ALTER TABLE ... ADD COLUMN, typed like table.auto.create) and go on. none: leave the "
                        + "table as it is (see unknown.fields). Empty: add_columns in debezium mode, none in append "
                        + "mode.", TABLES, ++o, Width.SHORT, "Schema evolution");
        d.define(SCHEMA_EVOLUTION_MAX_COLUMNS, Type.INT, 1000, ConfigDef.Range.between(1, 100_000), Importance.LOW,
                "With add_columns, the most insertable columns a table may reach by added columns. A record whose new "
                        + "fields would take its table past this goes to the dead-letter queue (errors.tolerance=all) "
                        + "or fails the task, and none of its fields is added: a producer that puts ids or timestamps "
                        + "in field names cannot grow a table without bound. Columns that exist already are never "
                        + "dropped.", TABLES, ++o, Width.SHORT, "Schema evolution column cap");

        o = 0;
        d.define(DELIVERY_GUARANTEE, Type.STRING, "exactly_once", ConfigDef.ValidString.in("exactly_once", "at_least_once"),
                Importance.HIGH, "exactly_once: every record becomes exactly one row across task failures, "
                        + "rebalances and retries; the table needs columns _kafka_topic String, _kafka_partition UInt32 "
                        + "and _kafka_offset UInt64, which the sink fills (a table only one topic writes may instead "
                        + "declare _kafka_topic String ALIAS '<topic>', which costs no bytes per row). "
                        + "at_least_once: no such columns needed, but a retry or restart may duplicate rows.",
                BATCHING, ++o, Width.SHORT, "Delivery guarantee");
        d.define(BATCH_MAX_ROWS, Type.INT, 100_000, ConfigDef.Range.between(1, 10_000_000), Importance.MEDIUM,
                "Rows per table at which a batch is inserted. ClickHouse wants inserts of at least 1,000 rows, "
                        + "ideally 10,000 to 100,000.", BATCHING, ++o, Width.SHORT, "Max rows");
        d.define(BATCH_MAX_BYTES, Type.INT, 32 * 1024 * 1024, ConfigDef.Range.between(1024, 1024 * 1024 * 1024),
                Importance.MEDIUM, "Encoded (RowBinary) bytes per table at which a batch is inserted; bounds memory.",
                BATCHING, ++o, Width.SHORT, "Max bytes");
        d.define(FLUSH_INTERVAL_MS, Type.INT, 1_000, ConfigDef.Range.between(10, 3_600_000), Importance.MEDIUM,
                "Longest time, in milliseconds, that a buffered row waits before its batch is inserted. The "
                        + "default gives about one insert per second per table, as ClickHouse recommends.",
                BATCHING, ++o, Width.SHORT, "Flush interval");
        d.define(FLUSH_MIN_INTERVAL_MS, Type.INT, 1_000, ConfigDef.Range.between(0, 3_600_000), Importance.MEDIUM,
                "Shortest time, in milliseconds, from the start of a table's partial insert (one not filled to "
                        + "batch.max.rows or batch.max.bytes) to the next one from the same task. A task that has "
                        + "caught up with its partitions inserts a table's buffered rows at once if its previous "
                        + "partial insert started at least this long ago, and otherwise as soon as it did; a value "
                        + "above flush.interval.ms acts as flush.interval.ms. "
                        + "The default keeps a steady stream at about one insert per second per table, as ClickHouse "
                        + "recommends; lower it for latency (each insert is a part to merge), 0 inserts whenever the "
                        + "task is caught up.", BATCHING, ++o, Width.SHORT, "Minimum insert spacing");
        d.define(RETRY_TIMEOUT_MS, Type.LONG, 300_000L, ConfigDef.Range.between(0, 86_400_000L), Importance.MEDIUM,
                "How long, in milliseconds, to retry a failing request (an insert, or a read of the server version, a "
                        + "table structure or the written offsets; server unreachable, TOO_MANY_PARTS, memory "
                        + "limit, timeouts) before failing the task with offsets uncommitted.", BATCHING, ++o,
                Width.SHORT, "Retry timeout");
        d.define(RETRY_BACKOFF_INITIAL_MS, Type.INT, 200, ConfigDef.Range.between(1, 600_000), Importance.LOW,
                "First retry delay in milliseconds; doubles per attempt, with full jitter.", BATCHING, ++o,
                Width.SHORT, "Initial backoff");
        d.define(RETRY_BACKOFF_MAX_MS, Type.INT, 10_000, ConfigDef.Range.between(1, 600_000), Importance.LOW,
                "Longest retry delay in milliseconds.", BATCHING, ++o, Width.SHORT, "Max backoff");
        d.define(INSERT_MAX_IN_FLIGHT, Type.INT, 4, ConfigDef.Range.between(1, 64), Importance.LOW,
                "Most inserts a task runs at once, in the background while it keeps consuming. At most one per "
                        + "table runs at a time; when a table's batch is full while its previous insert still runs, "
                        + "the task pauses that table's partitions (back pressure) instead of buffering more. Memory "
                        + "per task is bounded by one batch per table plus this many batches being sent.",
                BATCHING, ++o, Width.SHORT, "Max inserts in flight");
        d.define(LOG_SUMMARY_INTERVAL_MS, Type.LONG, 60_000L, ConfigDef.Range.between(0, 86_400_000L), Importance.LOW,
                "Interval, in milliseconds, of the task's INFO summary line (records received, inserted, "
                        + "dead-lettered, pending, batches and insert latency); 0 turns it off.", BATCHING, ++o,
                Width.SHORT, "Summary log interval");
        return d;
    }

    /** Returns the table for a topic: the mapped name, or the topic name made safe. */
    public String tableFor(String topic) {
        String t = topicToTable.get(topic);
        return t != null ? t : topic.replaceAll("[^A-Za-z0-9_]", "_");
    }

    /** Returns the database of the target tables. */
    public String database() {
        return getString(DATABASE);
    }

    /** Returns the cluster for ON CLUSTER DDL, or empty for none. */
    public String cluster() {
        return getString(CLUSTER).trim();
    }

    /** Returns the insert quorum for replicated tables, 0 for every replica. */
    public int insertQuorum() {
        return getInt(INSERT_QUORUM);
    }

    /** Returns whether to create missing tables. */
    public boolean autoCreate() {
        return getBoolean(AUTO_CREATE);
    }

    /** Returns the ORDER BY for created tables, or empty. */
    public String orderBy() {
        return getString(ORDER_BY).trim();
    }

    /** Returns the PARTITION BY for created tables, or empty. */
    public String partitionBy() {
        return getString(PARTITION_BY).trim();
    }

    /** Returns true if unknown fields fail the record. */
    public boolean failOnUnknownFields() {
        return getString(UNKNOWN_FIELDS).equals("fail");
    }

    /** Returns how plain numbers are read into Date, Date32, DateTime and DateTime64 columns. */
    public TimeNumbers timeNumbers() {
        return getString(TIME_NUMBERS).equals("epoch_millis") ? TimeNumbers.EPOCH_MILLIS : TimeNumbers.CLICKHOUSE;
    }

    /**
     * Returns true for exactly-once delivery through the Kafka coordinate columns (the default in append mode).
     * Always false in debezium mode, where replays are idempotent through {@code _version} instead.
     */
    public boolean exactlyOnce() {
        return getString(DELIVERY_GUARANTEE).equals("exactly_once") && !debeziumMode();
    }

    /** Returns true when values are Debezium change events ({@code ingest.mode=debezium}). */
    public boolean debeziumMode() {
        return getString(INGEST_MODE).equals("debezium");
    }

    /**
     * Returns true when columns are added for new record fields: {@code schema.evolution=add_columns}, or the
     * option left empty in debezium mode.
     */
    public boolean addColumns() {
        String v = getString(SCHEMA_EVOLUTION);
        return v.equals("add_columns") || (v.isEmpty() && debeziumMode());
    }

    /** Returns {@code schema.evolution.max.columns}: the most insertable columns schema evolution grows a table to. */
    public int schemaEvolutionMaxColumns() {
        return getInt(SCHEMA_EVOLUTION_MAX_COLUMNS);
    }

    /** Returns the table named for a topic in {@code topic.to.table}, or {@code null} when the topic is not listed. */
    public String mappedTable(String topic) {
        return topicToTable.get(topic);
    }

    /** Returns the row threshold per batch. */
    public int batchMaxRows() {
        return getInt(BATCH_MAX_ROWS);
    }

    /** Returns the byte threshold per batch. */
    public int batchMaxBytes() {
        return getInt(BATCH_MAX_BYTES);
    }

    /** Returns the flush interval in milliseconds. */
    public int flushIntervalMs() {
        return getInt(FLUSH_INTERVAL_MS);
    }

    /** Returns the shortest spacing of a table's caught-up inserts from one task, in milliseconds. */
    public long flushMinIntervalMs() {
        return getInt(FLUSH_MIN_INTERVAL_MS);
    }

    /** Returns the most inserts a task runs at once. */
    public int insertMaxInFlight() {
        return getInt(INSERT_MAX_IN_FLIGHT);
    }

    /** Returns the interval of the summary log line in milliseconds, 0 for none. */
    public long logSummaryIntervalMs() {
        return getLong(LOG_SUMMARY_INTERVAL_MS);
    }

    /** Returns the retry policy. */
    public RetryPolicy retryPolicy() {
        return new RetryPolicy(getLong(RETRY_TIMEOUT_MS), getInt(RETRY_BACKOFF_INITIAL_MS), getInt(RETRY_BACKOFF_MAX_MS));
    }

    /**
     * Returns true when records that cannot be written go to the dead-letter queue instead of failing the task,
     * that is when Kafka Connect's {@code errors.tolerance} is {@code all}.
     */
    public boolean toleratesErrors() {
        Object v = originals().get(ERRORS_TOLERANCE);
        return v != null && v.toString().trim().equalsIgnoreCase("all");
    }

    /**
     * Builds the endpoint, loading trust and key stores.
     *
     * @throws ConfigException if a store cannot be read or its password is wrong, naming the option
     */
    public ClickHouseEndpoint endpoint() {
        return new ClickHouseEndpoint(URI.create(getString(URL)), getString(USER), getPassword(PASSWORD).value(),
                database(), sslContext(), Duration.ofMillis(getInt(CONNECT_TIMEOUT_MS)),
                Duration.ofMillis(getInt(REQUEST_TIMEOUT_MS)), BodyCompression.of(getString(COMPRESSION)));
    }

    private SSLContext sslContext() {
        String trust = getString(TRUSTSTORE_LOCATION);
        String key = getString(KEYSTORE_LOCATION);
        if (trust.isEmpty() && key.isEmpty()) {
            return null;
        }
        try {
            TrustManagerFactory tmf = null;
            if (!trust.isEmpty()) {
                KeyStore ts = load(TRUSTSTORE_LOCATION, trust, getString(TRUSTSTORE_TYPE), getPassword(TRUSTSTORE_PASSWORD));
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
            }
            KeyManagerFactory kmf = null;
            if (!key.isEmpty()) {
                Password kp = getPassword(KEYSTORE_PASSWORD);
                KeyStore ks = load(KEYSTORE_LOCATION, key, getString(KEYSTORE_TYPE), kp);
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, kp.value().toCharArray());
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("cannot set up TLS for " + getString(URL) + ": " + e.getMessage());
        }
    }

    private static KeyStore load(String option, String path, String type, Password password) {
        try (InputStream in = Files.newInputStream(Paths.get(path))) {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(in, password.value().toCharArray());
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(option, path, "cannot load " + type + " store: " + e.getMessage());
        }
    }

    private static Map<String, String> parseTopicToTable(List<String> pairs) {
        Map<String, String> m = new HashMap<>();
        for (String p : pairs) {
            String[] kv = p.split("=", 2);
            m.put(kv[0].trim(), kv[1].trim());
        }
        return Collections.unmodifiableMap(m);
    }

    /** Bounded exponential backoff with full jitter. Immutable. */
    public static final class RetryPolicy {
        private final long timeoutMs;
        private final int initialDelayMs;
        private final int maxDelayMs;

        /**
         * @param timeoutMs      total time to keep retrying, in milliseconds
         * @param initialDelayMs first delay cap, in milliseconds
         * @param maxDelayMs     largest delay cap, in milliseconds
         */
        public RetryPolicy(long timeoutMs, int initialDelayMs, int maxDelayMs) {
            this.timeoutMs = timeoutMs;
            this.initialDelayMs = initialDelayMs;
            this.maxDelayMs = maxDelayMs;
        }

        /** Returns the total time to keep retrying, in milliseconds. */
        public long timeoutMs() {
            return timeoutMs;
        }

        /** Returns the delay before retry number {@code attempt} (1-based), in milliseconds, uniformly jittered. */
        public long delayMs(int attempt, java.util.Random random) {
            long cap = Math.min(maxDelayMs, (long) initialDelayMs << Math.min(20, attempt - 1));
            return 1 + (long) (random.nextDouble() * cap);
        }
    }

    static final class UrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                throw new ConfigException(name, null, "required, for example http://127.0.0.1:8123");
            }
            URI u;
            try {
                u = URI.create(value.toString().trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "not a URL: " + e.getMessage());
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new ConfigException(name, value, "must start with http:// or https://");
            }
            if (u.getHost() == null) {
                throw new ConfigException(name, value, "has no host");
            }
            if (u.getUserInfo() != null) {
                throw new ConfigException(name, "<redacted>", "must not contain credentials; use "
                        + USER + " and " + PASSWORD);
            }
            if (u.getRawQuery() != null || (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/"))) {
                throw new ConfigException(name, value, "must have no path or query");
            }
        }

        @Override
        public String toString() {
            return "http(s)://host:port";
        }
    }

    static final class TopicToTableValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> pairs = (List<String>) value;
            for (String p : pairs) {
                String[] kv = p.split("=", 2);
                if (kv.length != 2 || kv[0].trim().isEmpty() || kv[1].trim().isEmpty()) {
                    throw new ConfigException(name, value, "entry '" + p + "' is not topic=table");
                }
            }
        }

        @Override
        public String toString() {
            return "topic=table,...";
        }
    }
}
