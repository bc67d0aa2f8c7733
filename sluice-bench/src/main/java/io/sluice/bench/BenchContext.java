package io.sluice.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.sluice.local.verify.ClickHouseQuery;
import io.sluice.local.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;

/**
 * What every contender of one shape shares: the running stack, the rows, the one topic that holds them and its
 * end offsets, and an HTTP client for ClickHouse.
 *
 * @param stack      the running local stack
 * @param data       the rows, as produced to the topic
 * @param topic      the topic every contender reads
 * @param partitions its partition count
 * @param endOffsets end offset of each partition after the rows were produced
 */
record BenchContext(LocalStack stack, BenchRows data, String topic, int partitions, Map<Integer, Long> endOffsets) {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Returns the ClickHouse query client. */
    ClickHouseQuery ch() {
        return stack.clickHouse();
    }

    /**
     * POSTs an insert body to ClickHouse over HTTP.
     *
     * @param insertSql  the INSERT statement, with its FORMAT
     * @param body       the rows
     * @param bestEffort whether to parse date-times with {@code date_time_input_format=best_effort} (ISO texts)
     * @throws IllegalStateException if ClickHouse does not answer 200
     */
    void post(String insertSql, byte[] body, int length, boolean bestEffort) throws IOException, InterruptedException {
        String url = stack.clickHouseUrl() + "/?" + (bestEffort ? "date_time_input_format=best_effort&" : "")
                + "query=" + URLEncoder.encode(insertSql, UTF_8);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, length)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("insert failed: " + r.body());
        }
    }

    private String auth() {
        return "Basic " + Base64.getEncoder().encodeToString(("default:" + stack.clickHouseServer().password())
                .getBytes(UTF_8));
    }
}
