package io.sluice.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.config.CommonConnectorConfig;
import io.debezium.config.Configuration;
import io.debezium.config.Field;
import io.debezium.connector.mariadb.MariaDbConnector;
import io.debezium.connector.mariadb.MariaDbConnectorConfig;
import io.debezium.connector.mysql.MySqlConnector;
import io.debezium.connector.mysql.MySqlConnectorConfig;
import io.debezium.storage.kafka.history.KafkaSchemaHistory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/**
 * Both presets validated against the real connectors' own field definitions and validators (Debezium's
 * {@code Configuration.validate(ALL_FIELDS)}), without a database server: every property name must be one the
 * connector (or Kafka Connect, for the connector-level keys) knows, and every value must pass its validator.
 * The MariaDB preset is also validated and run against a real MariaDB in the integration tests; the Aurora preset
 * cannot be, because only MariaDB is available locally and the MySQL connector must not be used against it.
 */
class DebeziumPresetsTest {

    /** Connector-level keys that Kafka Connect itself defines (ConnectorConfig, SourceConnectorConfig). */
    private static final Set<String> CONNECT_KEYS = Set.of("connector.class", "tasks.max", "key.converter",
            "key.converter.schemas.enable", "value.converter", "value.converter.schemas.enable",
            "topic.creation.default.replication.factor", "topic.creation.default.partitions");

    private static DebeziumPresets.Source source(String passwordRef) {
        return new DebeziumPresets.Source("db.example.internal", 3306, "debezium", passwordRef, 184054, "shop",
                List.of("inventory"), List.of("inventory\\.orders", "inventory\\.customers"), "b-1:9098", 3, 3);
    }

    /** Issue 14, item 7: TLS to Aurora checks the server's certificate and name against the RDS CA bundle. */
    @Test
    void auroraPresetPassesTheMySqlConnectorsValidators() {
        Map<String, String> c = DebeziumPresets.auroraMySql(
                source("${secretsmanager:arn:aws:secretsmanager:eu-west-1:1:secret:db:password}"),
                TRUSTSTORE, TRUSTSTORE_PASSWORD);
        assertThat(c).containsEntry("connector.class", MySqlConnector.class.getName())
                .containsEntry("database.ssl.mode", "verify_identity")
                .containsEntry("database.ssl.truststore", TRUSTSTORE)
                .containsEntry("database.ssl.truststore.password", TRUSTSTORE_PASSWORD);
        assertValid(c, MySqlConnectorConfig.ALL_FIELDS);
        assertThatThrownBy(() -> DebeziumPresets.auroraMySql(source("${env:DB_PASSWORD}"), "", TRUSTSTORE_PASSWORD))
                .hasMessageContaining("truststore");
    }

    private static final String TRUSTSTORE = "${s3import:eu-west-1:sluice-artifacts/rds-truststore.p12}";
    private static final String TRUSTSTORE_PASSWORD = "${secretsmanager:rds-truststore:password}";

    @Test
    void mariaDbPresetPassesTheMariaDbConnectorsValidators() {
        Map<String, String> c = DebeziumPresets.mariaDb(source("${file:/run/secrets/db.properties:password}"));
        assertThat(c).containsEntry("connector.class", MariaDbConnector.class.getName())
                .containsEntry("database.ssl.mode", "disable");
        assertValid(c, MariaDbConnectorConfig.ALL_FIELDS);
    }

    @Test
    void sslModeSpellingsDifferBetweenTheConnectors() {
        // 'disable' is MariaDB's spelling and 'required' MySQL's; each is rejected by the other's validator,
        // which is what makes the validation above meaningful.
        Map<String, String> maria = DebeziumPresets.mariaDb(source("${env:DB_PASSWORD}"));
        Map<String, String> mysql = DebeziumPresets.auroraMySql(source("${env:DB_PASSWORD}"), TRUSTSTORE,
                TRUSTSTORE_PASSWORD);
        maria.put("database.ssl.mode", "disabled");
        mysql.put("database.ssl.mode", "disable");
        assertThat(errors(maria, MariaDbConnectorConfig.ALL_FIELDS)).containsKey("database.ssl.mode");
        assertThat(errors(mysql, MySqlConnectorConfig.ALL_FIELDS)).containsKey("database.ssl.mode");
    }

    @Test
    void aPlainTextPasswordIsRejected() {
        assertThatThrownBy(() -> DebeziumPresets.mariaDb(source("hunter2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config provider reference")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void topicsFollowThePrefixDatabaseTableConvention() {
        DebeziumPresets.Source s = source("${env:P}");
        assertThat(s.topicOf("inventory", "orders")).isEqualTo("shop.inventory.orders");
        assertThat(DebeziumPresets.mariaDb(s)).containsEntry("schema.history.internal.kafka.topic", "shop.schema-history");
    }

    /**
     * The connector's fields, plus the two groups a running connector also reads that its ALL_FIELDS leaves out:
     * the Kafka schema history's fields and the common binary handling mode.
     */
    private static Field.Set withSharedFields(Field.Set connectorFields) {
        return connectorFields.with(KafkaSchemaHistory.ALL_FIELDS).with(CommonConnectorConfig.BINARY_HANDLING_MODE);
    }

    private static void assertValid(Map<String, String> c, Field.Set connectorFields) {
        Field.Set fields = withSharedFields(connectorFields);
        Set<String> known = fields.allFieldNames();
        Set<String> unknown = c.keySet().stream().filter(k -> !known.contains(k) && !CONNECT_KEYS.contains(k))
                .collect(Collectors.toSet());
        assertThat(unknown).as("properties the connector does not define").isEmpty();
        assertThat(errors(c, fields)).isEmpty();
        assertThat(fields.fieldWithName("schema.history.internal.kafka.topic")).as("schema history fields known").isNotNull();
    }

    private static Map<String, List<String>> errors(Map<String, String> c, Field.Set fields) {
        Map<String, ConfigValue> results = Configuration.from(c).validate(fields);
        return results.values().stream().filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }
}
