package io.sluice.aggregator.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.aggregator.dynamo.DynamoClients;
import io.sluice.aggregator.dynamo.TableSetup;
import io.sluice.aggregator.dynamo.WindowReader;
import io.sluice.aggregator.dynamo.WindowRow;
import io.sluice.local.server.DynamoDbLocalServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Packaging check (failsafe, after {@code package}): the shaded {@code -lambda.jar} alone runs the handler, with
 * its own logging configuration, against DynamoDB Local.
 */
class LambdaJarIT {

    @Test
    void shadedJarRunsTheHandlerOnItsOwn() throws Exception {
        Path jar;
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            jar = s.filter(p -> p.getFileName().toString().matches("sluice-aggregator-.*-lambda\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no -lambda.jar in target/"));
        }
        try (DynamoDbLocalServer ddb = DynamoDbLocalServer.start(0); DynamoDbClient client = DynamoClients.create(ddb.endpoint(), "us-east-1")) {
            TableSetup.createIfMissing(client, "jar_check");
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            ProcessBuilder pb = new ProcessBuilder(java, "-cp",
                    jar.toAbsolutePath() + File.pathSeparator + Path.of("target", "test-classes").toAbsolutePath(),
                    LambdaJarDriver.class.getName()).redirectErrorStream(true);
            pb.environment().put("SLUICE_TABLE", "jar_check");
            pb.environment().put("SLUICE_DYNAMODB_ENDPOINT", ddb.endpoint().toString());
            pb.environment().put("AWS_REGION", "eu-west-1");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("FAILURES=0");
            assertThat(out).contains("\"invalid_reading\"").contains("\"partition\":1,\"offset\":103,");
            assertThat(out).contains("\"Namespace\":\"Sluice/Aggregator\"").contains("\"InvalidReadings\":1");
            List<WindowRow> rows = new WindowReader(client, "jar_check").all();
            assertThat(rows).hasSize(2);
            assertThat(rows).allSatisfy(r -> {
                assertThat(r.count()).isEqualTo(3);
                assertThat(r.sum()).isEqualByComparingTo("64.5");
            });
        }
    }
}
