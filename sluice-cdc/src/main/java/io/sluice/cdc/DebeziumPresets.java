package io.sluice.cdc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Connector configurations for capturing a MySQL-family database with Debezium 3.3 into the Sluice ClickHouse
 * sink's CDC mode ({@code ingest.mode=debezium}). Two presets, one per connector:
 * <ul>
 *   <li>{@link #mariaDb}: {@code io.debezium.connector.mariadb.MariaDbConnector}, for MariaDB (the local stack).
 *       Never use the MySQL connector against MariaDB: its stored offset can point inside a transaction and the
 *       first change after a restart is lost (measured here, 3 of 3 restarts).</li>
 *   <li>{@link #auroraMySql}: {@code io.debezium.connector.mysql.MySqlConnector}, for Aurora MySQL (TLS
 *       required), matching {@code infra/modules/cdc-debezium}.</li>
 * </ul>
 *
 * <p>What both presets fix, and why (Debezium MySQL/MariaDB connector docs, "Connector properties" and "Data type
 * mappings"):
 * <ul>
 *   <li>keys and values through {@code JsonConverter} with {@code schemas.enable=true}, so the sink sees the
 *       Connect schema of every field (the sink's CDC mode requires it);</li>
 *   <li>{@code column.propagate.source.type=.*}: each field's schema carries the source column type, length and
 *       scale ({@code __debezium.source.column.type}), which the sink uses for faithful ClickHouse types
 *       (unsigned integers, DECIMAL(p,s), DATETIME(fsp), ENUM, JSON);</li>
 *   <li>{@code decimal.handling.mode=string}: exact decimals of any precision as text (the default, {@code precise},
 *       travels as base64 bytes that schemaless consumers cannot read);</li>
 *   <li>{@code bigint.unsigned.handling.mode=precise}: BIGINT UNSIGNED above 2^63 does not wrap;</li>
 *   <li>{@code time.precision.mode=adaptive_time_microseconds}: DATETIME(0..3) as epoch milliseconds, DATETIME(4..6)
 *       as epoch microseconds, DATE as epoch days, all without time zone conversion (MySQL DATETIME has none);
 *       TIMESTAMP as an ISO-8601 UTC string;</li>
 *   <li>{@code snapshot.locking.mode=minimal}: the snapshot holds the global read lock (or table locks, where the
 *       user may not take the global one, as on Aurora) only while it reads the schema;</li>
 *   <li>{@code poll.interval.ms=100} and {@code max.batch.size=1024}: the connector hands a batch to Kafka Connect
 *       when it holds {@code max.batch.size} events or {@code poll.interval.ms} has passed, whichever comes first, so
 *       below 10,240 events/s every change waits up to the interval (Debezium's default, 500 ms) before it leaves.
 *       100 ms cut commit-to-Kafka p99 at 400 transactions/s from 432 ms (250 ms) to 184 ms (BENCHMARKS.md, change
 *       data capture); how often ClickHouse gets an insert is the sink's {@code flush.min.interval.ms}, not this;</li>
 *   <li>{@code binary.handling.mode=bytes}, tombstones after deletes, and the schema history in a Kafka topic
 *       {@code <topic.prefix>.schema-history};</li>
 *   <li>passwords only as config-provider references ({@code ${file:...}}, {@code ${env:...}} or
 *       {@code ${secretsmanager:...}}); a plain-text value is rejected.</li>
 * </ul>
 * Change topics are {@code <topic.prefix>.<database>.<table>}.
 */
public final class DebeziumPresets {

    /** The Debezium MariaDB connector class. */
    public static final String MARIADB_CONNECTOR = "io.debezium.connector.mariadb.MariaDbConnector";
    /** The Debezium MySQL connector class (Aurora MySQL, MySQL; never MariaDB). */
    public static final String MYSQL_CONNECTOR = "io.debezium.connector.mysql.MySqlConnector";
    /** The converter both presets use for keys and values. */
    public static final String JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";

    private static final Pattern PROVIDER_REFERENCE = Pattern.compile("\\$\\{[A-Za-z0-9_.-]+:[^}]+}");

    private DebeziumPresets() {
    }

    /**
     * Where to capture from and where to write.
     *
     * @param hostname          database host
     * @param port              database port
     * @param user              user name (plain, or a config-provider reference)
     * @param passwordRef       the password as a config-provider reference, e.g.
     *                          {@code ${file:/path/secrets.properties:mariadb.debezium.password}}
     * @param serverId          the connector's replication client id, unique among the server's replicas
     * @param topicPrefix       Debezium's logical server name: topics are {@code <prefix>.<database>.<table>}
     * @param databases         databases to capture
     * @param tables            {@code <database>.<table>} regexes to capture, or empty for every table of
     *                          {@code databases}
     * @param bootstrapServers  Kafka for the schema history topic
     * @param topicReplication  replication factor of the topics the connector creates
     * @param topicPartitions   partitions of the topics the connector creates
     */
    public record Source(String hostname, int port, String user, String passwordRef, long serverId,
                         String topicPrefix, List<String> databases, List<String> tables, String bootstrapServers,
                         int topicReplication, int topicPartitions) {

        /** Returns the schema history topic, {@code <topicPrefix>.schema-history}. */
        public String schemaHistoryTopic() {
            return topicPrefix + ".schema-history";
        }

        /** Returns the change topic of one table, {@code <topicPrefix>.<database>.<table>}. */
        public String topicOf(String database, String table) {
            return topicPrefix + "." + database + "." + table;
        }
    }

    /**
     * Returns the preset for MariaDB through {@link #MARIADB_CONNECTOR}, without TLS ({@code database.ssl.mode=
     * disable}, the MariaDB connector's spelling; the local server listens on 127.0.0.1 only).
     *
     * @throws IllegalArgumentException if the password is not a config-provider reference
     */
    public static Map<String, String> mariaDb(Source s) {
        Map<String, String> c = common(MARIADB_CONNECTOR, s);
        c.put("database.ssl.mode", "disable");
        return c;
    }

    /**
     * Returns the preset for Aurora MySQL through {@link #MYSQL_CONNECTOR}: TLS that checks the server
     * ({@code database.ssl.mode=verify_identity}: the certificate must chain to the trust store, the RDS CA bundle,
     * and name the host), minimal snapshot locking (Aurora has no global read lock for non-admin users; Debezium
     * falls back to table locks only while reading the schema). {@code required} would encrypt without checking
     * who answers. MSK-specific client settings (IAM authentication of the schema history clients) are added by
     * {@code infra/modules/cdc-debezium}; how the trust store reaches MSK Connect is in {@code sluice-cdc/README.md}.
     *
     * @param s                     the source
     * @param truststore            path of a PKCS12 trust store holding the RDS CA bundle, or a config-provider
     *                              reference to one (e.g. {@code ${s3import:<region>:<bucket>/<key>}})
     * @param truststorePasswordRef the trust store's password, a config-provider reference
     * @throws IllegalArgumentException if the password is not a config-provider reference, or the trust store is
     *                                  missing
     */
    public static Map<String, String> auroraMySql(Source s, String truststore, String truststorePasswordRef) {
        if (truststore == null || truststore.isBlank()) {
            throw new IllegalArgumentException("database.ssl.truststore is required: a PKCS12 trust store with the "
                    + "RDS CA bundle (see sluice-cdc/README.md, TLS to Aurora)");
        }
        Map<String, String> c = common(MYSQL_CONNECTOR, s);
        c.put("database.ssl.mode", "verify_identity");
        c.put("database.ssl.truststore", truststore);
        c.put("database.ssl.truststore.password", truststorePasswordRef);
        return c;
    }

    private static Map<String, String> common(String connectorClass, Source s) {
        if (s.passwordRef() == null || !PROVIDER_REFERENCE.matcher(s.passwordRef()).matches()) {
            throw new IllegalArgumentException("database.password must be a config provider reference such as "
                    + "${file:/path/secrets.properties:key} or ${secretsmanager:<arn>:password}, never plain text");
        }
        if (s.databases().isEmpty()) {
            throw new IllegalArgumentException("name at least one database to capture");
        }
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", connectorClass);
        c.put("tasks.max", "1");
        c.put("database.hostname", s.hostname());
        c.put("database.port", String.valueOf(s.port()));
        c.put("database.user", s.user());
        c.put("database.password", s.passwordRef());
        c.put("database.server.id", String.valueOf(s.serverId()));
        c.put("topic.prefix", s.topicPrefix());
        c.put("database.include.list", String.join(",", s.databases()));
        if (!s.tables().isEmpty()) {
            c.put("table.include.list", String.join(",", s.tables()));
        }
        c.put("snapshot.mode", "initial");
        c.put("snapshot.locking.mode", "minimal");
        c.put("include.schema.changes", "true");
        c.put("tombstones.on.delete", "true");
        c.put("decimal.handling.mode", "string");
        c.put("bigint.unsigned.handling.mode", "precise");
        c.put("time.precision.mode", "adaptive_time_microseconds");
        c.put("binary.handling.mode", "bytes");
        c.put("column.propagate.source.type", ".*");
        c.put("poll.interval.ms", "100");
        c.put("max.batch.size", "1024");
        c.put("schema.history.internal.kafka.bootstrap.servers", s.bootstrapServers());
        c.put("schema.history.internal.kafka.topic", s.schemaHistoryTopic());
        c.put("topic.creation.default.replication.factor", String.valueOf(s.topicReplication()));
        c.put("topic.creation.default.partitions", String.valueOf(s.topicPartitions()));
        c.put("key.converter", JSON_CONVERTER);
        c.put("key.converter.schemas.enable", "true");
        c.put("value.converter", JSON_CONVERTER);
        c.put("value.converter.schemas.enable", "true");
        return c;
    }
}
