package io.sluice.aggregator.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.aggregator.core.Metrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The EMF line: every counter declared as a metric and given as the difference over the invocation. */
class EmfMetricsTest {

    @Test
    void everyCounterIsDeclaredAndReportedAsTheInvocationsDifference() throws Exception {
        Metrics.Snapshot before = new Metrics.Snapshot(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        Metrics.Snapshot after = new Metrics.Snapshot(11, 22, 33, 44, 55, 66, 77, 88, 99, 110);
        JsonNode line = new ObjectMapper().readTree(EmfMetrics.format("fn", before, after, 1234L));
        List<String> declared = new ArrayList<>();
        line.at("/_aws/CloudWatchMetrics/0/Metrics").forEach(m -> declared.add(m.get("Name").asText()));
        assertThat(declared).containsExactly("Records", "InvalidReadings", "LateReadings", "AppliedReadings",
                "DuplicateReadings", "ItemWrites", "WriteConflicts", "ItemReads", "WriteRetries", "FailedItems");
        assertThat(line.get("ItemWrites").asLong()).isEqualTo(60);
        assertThat(line.get("WriteConflicts").asLong()).isEqualTo(70);
        assertThat(line.get("ItemReads").asLong()).isEqualTo(80);
        assertThat(line.get("WriteRetries").asLong()).isEqualTo(90);
        assertThat(line.get("FailedItems").asLong()).isEqualTo(100);
        assertThat(line.get("FunctionName").asText()).isEqualTo("fn");
    }
}
