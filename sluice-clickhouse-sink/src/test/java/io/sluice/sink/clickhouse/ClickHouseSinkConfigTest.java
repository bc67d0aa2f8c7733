package io.sluice.sink.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.sink.clickhouse.encode.rowbinary.TimeNumbers;
import io.sluice.sink.clickhouse.http.BodyCompression;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ClickHouseSinkConfigTest {

    private static Map<String, String> base() {
        Map<String, String> m = new HashMap<>();
        m.put("clickhouse.url", "http://127.0.0.1:8123");
        return m;
    }

    @Test
    void appliesDefaults() {
        ClickHouseSinkConfig c = new ClickHouseSinkConfig(base());
        assertThat(c.database()).isEqualTo("default");
        assertThat(c.batchMaxRows()).isEqualTo(100_000);
        assertThat(c.flushIntervalMs()).isEqualTo(1_000);
        assertThat(c.tableFor("sensor.readings-v1")).isEqualTo("sensor_readings_v1");
        assertThat(c.toleratesErrors()).isFalse();
        assertThat(c.endpoint().compression()).isEqualTo(BodyCompression.LZ4);
        assertThat(c.timeNumbers()).isEqualTo(TimeNumbers.CLICKHOUSE);
    }

    @Test
    void readsTimeNumbersAndRejectsOtherValues() {
        Map<String, String> m = base();
        m.put("time.numbers", "epoch_millis");
        assertThat(new ClickHouseSinkConfig(m).timeNumbers()).isEqualTo(TimeNumbers.EPOCH_MILLIS);
        m.put("time.numbers", "millis");
        assertThatThrownBy(() -> new ClickHouseSinkConfig(m)).hasMessageContaining("time.numbers");
    }

    @Test
    void mapsTopicsToTables() {
        Map<String, String> m = base();
        m.put("topic.to.table", "readings=sensor_readings, other = t2");
        ClickHouseSinkConfig c = new ClickHouseSinkConfig(m);
        assertThat(c.tableFor("readings")).isEqualTo("sensor_readings");
        assertThat(c.tableFor("other")).isEqualTo("t2");
    }

    @Test
    void aClusterIsRefusedInDebeziumModeWhoseTablesAreNotReplicatedYet() {
        Map<String, String> m = base();
        m.put("clickhouse.cluster", "sluice");
        assertThat(new ClickHouseSinkConfig(m).cluster()).isEqualTo("sluice");
        m.put("ingest.mode", "debezium");
        assertThatThrownBy(() -> new ClickHouseSinkConfig(m))
                .isInstanceOf(ConfigException.class).hasMessageContaining("clickhouse.cluster")
                .hasMessageContaining("ON CLUSTER yourself");
    }

    @Test
    void rejectsBadValuesNamingTheOption() {
        assertThatThrownBy(() -> new ClickHouseSinkConfig(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("clickhouse.url");
        Map<String, String> m = base();
        m.put("clickhouse.url", "tcp://127.0.0.1:9000");
        assertThatThrownBy(() -> new ClickHouseSinkConfig(m)).hasMessageContaining("http:// or https://");
        m.put("clickhouse.url", "https://user:secret@host:8443");
        assertThatThrownBy(() -> new ClickHouseSinkConfig(m))
                .hasMessageContaining("must not contain credentials").hasMessageNotContaining("secret");
        Map<String, String> m2 = base();
        m2.put("topic.to.table", "readings");
        assertThatThrownBy(() -> new ClickHouseSinkConfig(m2)).hasMessageContaining("'readings' is not topic=table");
        Map<String, String> m3 = base();
        m3.put("batch.max.rows", "0");
        assertThatThrownBy(() -> new ClickHouseSinkConfig(m3)).hasMessageContaining("batch.max.rows");
        Map<String, String> m4 = base();
        m4.put("clickhouse.ssl.truststore.location", "/nonexistent/ts.p12");
        assertThatThrownBy(() -> new ClickHouseSinkConfig(m4).endpoint())
                .hasMessageContaining("clickhouse.ssl.truststore.location");
    }

    /** Issue 14, item 8: Basic auth in plain HTTP only to loopback, or to a private network when opted out by name. */
    @Test
    void plainHttpOnlyToLoopbackUnlessPrivateNetworkIsAllowedExplicitly() {
        for (String ok : new String[] {"http://127.0.0.1:8123", "http://localhost:8123", "http://[::1]:8123",
            "http://127.8.9.10:8123", "https://clickhouse.example.com:8443", "https://10.1.2.3:8443"}) {
            Map<String, String> m = base();
            m.put("clickhouse.url", ok);
            assertThat(new ClickHouseSinkConfig(m).endpoint()).as(ok).isNotNull();
            assertThat(new ClickHouseSinkConnector().validate(m).configValues()).as(ok)
                    .allSatisfy(v -> assertThat(v.errorMessages()).isEmpty());
        }
        for (String bad : new String[] {"http://clickhouse.example.com:8123", "http://198.51.100.7:8123",
            "http://10.1.2.3:8123", "http://[fd00::5]:8123"}) {
            Map<String, String> m = base();
            m.put("clickhouse.url", bad);
            assertThatThrownBy(() -> new ClickHouseSinkConfig(m)).as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("https://").hasMessageContaining("clickhouse.allow.plaintext.private.network");
            assertThat(new ClickHouseSinkConnector().validate(m).configValues()).as(bad)
                    .anySatisfy(v -> {
                        assertThat(v.name()).isEqualTo("clickhouse.url");
                        assertThat(v.errorMessages()).anyMatch(e -> e.contains("https://"));
                    });
        }
        for (String privateNet : new String[] {"http://10.1.2.3:8123", "http://192.168.7.8:8123",
            "http://172.20.0.4:8123", "http://[fd00::5]:8123"}) {
            Map<String, String> m = base();
            m.put("clickhouse.url", privateNet);
            m.put("clickhouse.allow.plaintext.private.network", "true");
            assertThat(new ClickHouseSinkConfig(m).endpoint()).as(privateNet).isNotNull();
        }
        for (String stillBad : new String[] {"http://198.51.100.7:8123", "http://8.8.8.8:8123"}) {
            Map<String, String> m = base();
            m.put("clickhouse.url", stillBad);
            m.put("clickhouse.allow.plaintext.private.network", "true");
            assertThatThrownBy(() -> new ClickHouseSinkConfig(m)).as(stillBad).hasMessageContaining("not private");
        }
    }

    @Test
    void readsErrorTolerance() {
        Map<String, String> m = base();
        m.put("errors.tolerance", "all");
        assertThat(new ClickHouseSinkConfig(m).toleratesErrors()).isTrue();
    }

    @Test
    void backoffIsBoundedAndJittered() {
        ClickHouseSinkConfig.RetryPolicy p = new ClickHouseSinkConfig.RetryPolicy(1000, 100, 1000);
        java.util.Random r = new java.util.Random(1);
        for (int attempt = 1; attempt < 40; attempt++) {
            long d = p.delayMs(attempt, r);
            assertThat(d).isBetween(1L, Math.min(1000L, 100L << Math.min(20, attempt - 1)) + 1);
        }
    }
}
