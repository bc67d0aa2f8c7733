package io.sluice.aggregator.dynamo;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/** Builds DynamoDB clients for AWS and for DynamoDB Local. */
public final class DynamoClients {

    private DynamoClients() {
    }

    /**
     * Builds a synchronous client on the JDK's URL connection HTTP client.
     *
     * @param endpoint endpoint override such as {@code http://127.0.0.1:8000} for DynamoDB Local, or null for the
     *                 regional AWS endpoint
     * @param region   AWS region, e.g. {@code eu-west-1} (any value works for DynamoDB Local)
     * @return a client; close it when done
     */
    public static DynamoDbClient create(URI endpoint, String region) {
        DynamoDbClientBuilder b = DynamoDbClient.builder()
                .region(Region.of(region))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)));
        if (endpoint != null) {
            b.endpointOverride(endpoint);
            if ("127.0.0.1".equals(endpoint.getHost()) || "localhost".equals(endpoint.getHost())) {
                // DynamoDB Local accepts any credentials; fixed ones keep the local stack free of AWS config.
                b.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
                return b.build();
            }
        }
        return b.credentialsProvider(DefaultCredentialsProvider.builder().build()).build();
    }
}
