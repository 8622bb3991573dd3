package io.catwrangler.aws;

import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

/**
 * The three tables the adapters expect, as {@code CreateTable} requests: the design in one place, for tests, local
 * experiments and as the reference the Terraform definitions must match. Production tables are made by Terraform.
 *
 * <ul>
 *   <li>events: {@code image_id} (S, hash) + {@code version} (N, range), stream {@code NEW_IMAGE}
 *       ({@link DynamoDbEventStore});
 *   <li>view: {@code pk} (S, hash) + {@code sk} (S, range) ({@link DynamoDbResultView});
 *   <li>idempotency: {@code id} (S, hash), TTL on {@code expiration} ({@link DynamoDbIdempotencyStore}).
 * </ul>
 */
public final class DynamoDbTables {
  private DynamoDbTables() {}

  public static CreateTableRequest eventTable(String name) {
    return CreateTableRequest.builder()
        .tableName(name)
        .attributeDefinitions(
            attribute(DynamoDbEventStore.IMAGE_ID, ScalarAttributeType.S),
            attribute(DynamoDbEventStore.VERSION, ScalarAttributeType.N))
        .keySchema(key(DynamoDbEventStore.IMAGE_ID, KeyType.HASH), key(DynamoDbEventStore.VERSION, KeyType.RANGE))
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE))
        .build();
  }

  public static CreateTableRequest viewTable(String name) {
    return CreateTableRequest.builder()
        .tableName(name)
        .attributeDefinitions(
            attribute(DynamoDbResultView.PK, ScalarAttributeType.S),
            attribute(DynamoDbResultView.SK, ScalarAttributeType.S))
        .keySchema(key(DynamoDbResultView.PK, KeyType.HASH), key(DynamoDbResultView.SK, KeyType.RANGE))
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .build();
  }

  public static CreateTableRequest idempotencyTable(String name) {
    return CreateTableRequest.builder()
        .tableName(name)
        .attributeDefinitions(attribute(DynamoDbIdempotencyStore.ID, ScalarAttributeType.S))
        .keySchema(key(DynamoDbIdempotencyStore.ID, KeyType.HASH))
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .build();
  }

  /** The idempotency table's TTL setting: DynamoDB deletes records some time after {@code expiration}. */
  public static TimeToLiveSpecification idempotencyTimeToLive() {
    return TimeToLiveSpecification.builder()
        .attributeName(DynamoDbIdempotencyStore.EXPIRATION)
        .enabled(true)
        .build();
  }

  /**
   * Creates the table unless it exists, and waits until it is ACTIVE.
   *
   * @throws IllegalStateException not active within a minute
   */
  public static void create(DynamoDbClient client, CreateTableRequest request) {
    try {
      client.createTable(request);
    } catch (ResourceInUseException alreadyThere) {
      // fine: wait for it below like for a new one
    }
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    while (client.describeTable(d -> d.tableName(request.tableName())).table().tableStatus() != TableStatus.ACTIVE) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("table " + request.tableName() + " is not ACTIVE after a minute");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for table " + request.tableName(), e);
      }
    }
  }

  private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }
}
