package io.sluice.aggregator.dynamo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Creates the aggregates table: partition key {@code device_id} (N), sort key {@code window_start} (N, epoch ms UTC),
 * on-demand billing ({@code PAY_PER_REQUEST}), matching the source system's key layout. In AWS the table is
 * normally created by Terraform; this is for the local stack, tests and first runs.
 */
public final class TableSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TableSetup.class);

    private TableSetup() {
    }

    /**
     * Creates the table unless it exists, and waits until it is ACTIVE (DynamoDB {@code DescribeTable},
     * {@code CreateTable} and the SDK's {@code waitUntilTableExists} waiter).
     *
     * @param client DynamoDB client
     * @param table  table name (3..255 characters of {@code [a-zA-Z0-9_.-]})
     * @return true if this call created the table, false if it existed
     * @throws software.amazon.awssdk.core.exception.SdkException on DynamoDB errors
     */
    public static boolean createIfMissing(DynamoDbClient client, String table) {
        try {
            client.describeTable(b -> b.tableName(table));
            return false;
        } catch (ResourceNotFoundException absent) {
            // create below
        }
        boolean created;
        try {
            client.createTable(b -> b.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(ItemCodec.DEVICE_ID)
                                    .attributeType(ScalarAttributeType.N).build(),
                            AttributeDefinition.builder().attributeName(ItemCodec.WINDOW_START)
                                    .attributeType(ScalarAttributeType.N).build())
                    .keySchema(
                            KeySchemaElement.builder().attributeName(ItemCodec.DEVICE_ID).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(ItemCodec.WINDOW_START).keyType(KeyType.RANGE)
                                    .build()));
            created = true;
        } catch (ResourceInUseException raced) {
            created = false;
        }
        client.waiter().waitUntilTableExists(b -> b.tableName(table));
        if (created) {
            LOG.info("{\"event\":\"table_created\",\"table\":\"{}\"}", table);
        }
        return created;
    }

    /**
     * Turns on DynamoDB Time to Live on {@code expires_at} (DynamoDB {@code UpdateTimeToLive}); items then expire
     * at the epoch second the aggregator writes there when a TTL is configured.
     *
     * @param client DynamoDB client
     * @param table  table name
     * @throws software.amazon.awssdk.core.exception.SdkException on DynamoDB errors
     */
    public static void enableTtl(DynamoDbClient client, String table) {
        client.updateTimeToLive(b -> b.tableName(table)
                .timeToLiveSpecification(t -> t.attributeName(ItemCodec.EXPIRES_AT).enabled(true)));
    }
}
