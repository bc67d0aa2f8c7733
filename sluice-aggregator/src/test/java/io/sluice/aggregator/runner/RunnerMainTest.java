package io.sluice.aggregator.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnerMainTest {

    @Test
    void parsesOptions() {
        RunnerConfig c = RunnerMain.parse(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--topic", "readings",
            "--group", "g", "--table", "t", "--dynamodb-endpoint", "http://127.0.0.1:8000", "--window", "30s",
            "--allowed-lateness", "2m", "--max-clock-skew", "30s", "--ttl", "720h", "--max-poll-records", "1000", "--no-create-table",
            "--consumer-property", "security.protocol=SSL"});
        assertThat(c.dynamoEndpoint()).isEqualTo(URI.create("http://127.0.0.1:8000"));
        assertThat(c.aggregation().windowLength()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.aggregation().allowedLateness()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.aggregation().ttl()).contains(Duration.ofHours(720));
        assertThat(c.aggregation().maxClockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxPollRecords()).isEqualTo(1000);
        assertThat(c.createTable()).isFalse();
        assertThat(c.region()).isEqualTo("us-east-1");
        assertThat(c.consumerOverrides()).isEqualTo(Map.of("security.protocol", "SSL"));
    }

    @Test
    void rejectsMissingAndUnknownOptions() {
        assertThatThrownBy(() -> RunnerMain.parse(new String[] {"--topic", "t"}))
                .hasMessageContaining("--bootstrap-servers");
        assertThatThrownBy(() -> RunnerMain.parse(new String[] {"--bootstrap-servers", "b", "--topic", "t",
            "--group", "g", "--table", "t", "--colour", "blue"})).hasMessageContaining("--colour");
        assertThatThrownBy(() -> RunnerMain.parse(new String[] {"--bootstrap-servers", "b", "--topic", "t",
            "--group", "g", "--table", "t", "--window", "soon"})).hasMessageContaining("invalid duration");
    }
}
