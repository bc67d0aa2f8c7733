package io.sluice.aggregator.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

class BackoffTest {

    @Test
    void delaysAreJitteredWithinTheExponentialCeilingAndCapped() {
        Backoff b = new Backoff(25, 2_000, 8);
        for (int retry = 1; retry <= 12; retry++) {
            long ceiling = Math.min(2_000, 25L << (retry - 1));
            long max = 0;
            for (int i = 0; i < 2_000; i++) {
                long d = b.delayMillis(retry);
                assertThat(d).isBetween(0L, ceiling);
                max = Math.max(max, d);
            }
            assertThat(max).as("jitter spreads over the range at retry %d", retry).isGreaterThan(ceiling / 2);
        }
    }

    @Test
    void throttlingServerErrorsAndIoAreRetriedButClientErrorsAreNot() {
        assertThat(WindowStore.retryable(ProvisionedThroughputExceededException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build())
                .build())).isTrue();
        assertThat(WindowStore.retryable(DynamoDbException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("RequestLimitExceeded").build()).build())).isTrue();
        assertThat(WindowStore.retryable(DynamoDbException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build())).isTrue();
        assertThat(WindowStore.retryable(DynamoDbException.builder().statusCode(500)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalServerError").build()).build())).isTrue();
        assertThat(WindowStore.retryable(SdkClientException.create("connection reset"))).isTrue();
        assertThat(WindowStore.retryable(ResourceNotFoundException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException").build()).build()))
                .isFalse();
        assertThat(WindowStore.retryable(ConditionalCheckFailedException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ConditionalCheckFailedException").build())
                .build())).isFalse();
    }
}
