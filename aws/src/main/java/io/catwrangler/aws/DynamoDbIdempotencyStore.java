package io.catwrangler.aws;

import static io.catwrangler.aws.internal.Attributes.n;
import static io.catwrangler.aws.internal.Attributes.s;

import io.catwrangler.aws.internal.Attributes;
import io.catwrangler.aws.internal.AwsFailures;
import io.catwrangler.core.port.StorageUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Idempotency records in DynamoDB with the semantics and the attribute names of Powertools for AWS Lambda's
 * idempotency utility and its DynamoDB persistence layer (whose jar is not obtainable here; see
 * docs/decisions/0007-idempotency-on-aws.md):
 *
 * <ul>
 *   <li>{@code id} (S, the table's key), {@code status} (INPROGRESS or COMPLETED), {@code expiration} (N, epoch
 *       seconds; the table's TTL attribute), {@code in_progress_expiration} (N, epoch milliseconds: when the Lambda
 *       that holds the key runs out of time), {@code data} (the stored result), {@code validation} (optional payload
 *       hash);
 *   <li>{@link #begin}: one conditional put, allowed when there is no record, or it has expired, or it is INPROGRESS
 *       and its holder's time is up — Powertools' condition, word for word. Otherwise the record it found decides:
 *       COMPLETED gives the stored result, INPROGRESS raises {@link IdempotencyAlreadyInProgressException};
 *   <li>{@link #complete} stores the result (COMPLETED, new expiration); {@link #delete} removes the record after a
 *       failure so a retry may run.
 * </ul>
 *
 * <p>EXPIRED is derived, never stored: DynamoDB's TTL deletes expired items up to days later, so a record past its
 * {@code expiration} is treated as absent by both the condition and {@link IdempotencyRecord#status}. Times come
 * from the injected clock.
 */
public final class DynamoDbIdempotencyStore {
  static final String ID = "id";
  static final String STATUS = "status";
  static final String EXPIRATION = "expiration";
  static final String IN_PROGRESS_EXPIRATION = "in_progress_expiration";
  static final String DATA = "data";
  static final String VALIDATION = "validation";

  /** Powertools' default: a completed result is reused for an hour. */
  public static final Duration DEFAULT_EXPIRES_AFTER = Duration.ofHours(1);

  private static final String PUT_CONDITION =
      "attribute_not_exists(#id) OR #expiry < :now OR "
          + "(attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis AND #status = :inprogress)";
  private static final int MAX_TRIES = 3;

  private final DynamoDbClient dynamo;
  private final String table;
  private final Duration expiresAfter;
  private final Clock clock;

  public DynamoDbIdempotencyStore(DynamoDbClient dynamo, String table, Duration expiresAfter, Clock clock) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
    this.expiresAfter = Objects.requireNonNull(expiresAfter, "expires after");
    if (expiresAfter.isNegative() || expiresAfter.isZero()) {
      throw new IllegalArgumentException("records must expire after a positive duration");
    }
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** {@link #begin(String, long, Optional)} without payload validation. */
  public IdempotencyClaim begin(String key, long remainingTimeMillis) {
    return begin(key, remainingTimeMillis, Optional.empty());
  }

  /**
   * Claims the key for this execution, or reports that the work is done or being done.
   *
   * @param key what identifies the work, e.g. {@code classify#<sha256>#<model>@<version>}
   * @param remainingTimeMillis the Lambda's remaining time ({@code Context.getRemainingTimeInMillis()}): if this
   *     execution dies, another may take the key over once that time has passed
   * @param validation a hash of the payload, stored and compared with later calls for the same key
   * @throws IdempotencyAlreadyInProgressException another execution holds the key and still has time
   * @throws IdempotencyValidationException the record was made for a payload with another hash
   * @throws StorageUnavailableException DynamoDB could not be reached
   */
  public IdempotencyClaim begin(String key, long remainingTimeMillis, Optional<String> validation) {
    requireKey(key);
    if (remainingTimeMillis <= 0) {
      throw new IllegalArgumentException("remaining time must be positive, was " + remainingTimeMillis);
    }
    Objects.requireNonNull(validation, "validation (use Optional.empty())");
    for (int attempt = 1; attempt <= MAX_TRIES; attempt++) {
      Instant now = clock.instant();
      Map<String, AttributeValue> item = new HashMap<>();
      item.put(ID, s(key));
      item.put(STATUS, s(IdempotencyStatus.INPROGRESS.name()));
      item.put(EXPIRATION, n(now.plus(expiresAfter).getEpochSecond()));
      item.put(IN_PROGRESS_EXPIRATION, n(now.toEpochMilli() + remainingTimeMillis));
      validation.ifPresent(v -> item.put(VALIDATION, s(v)));
      Map<String, AttributeValue> existing;
      try {
        dynamo.putItem(
            p -> p.tableName(table)
                .item(item)
                .conditionExpression(PUT_CONDITION)
                .expressionAttributeNames(
                    Map.of(
                        "#id", ID,
                        "#expiry", EXPIRATION,
                        "#in_progress_expiry", IN_PROGRESS_EXPIRATION,
                        "#status", STATUS))
                .expressionAttributeValues(
                    Map.of(
                        ":now", n(now.getEpochSecond()),
                        ":now_in_millis", n(now.toEpochMilli()),
                        ":inprogress", s(IdempotencyStatus.INPROGRESS.name())))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        return new IdempotencyClaim.Acquired(key);
      } catch (ConditionalCheckFailedException e) {
        existing = e.hasItem() && !e.item().isEmpty() ? e.item() : null;
      } catch (SdkException e) {
        throw AwsFailures.failed("claim idempotency key " + key, e);
      }
      Optional<IdempotencyRecord> found = existing != null ? Optional.of(record(existing)) : get(key);
      if (found.isEmpty()) {
        continue; // deleted since the put failed: try again
      }
      IdempotencyRecord record = found.get();
      if (record.validation().isPresent() && validation.isPresent()
          && !record.validation().get().equals(validation.get())) {
        throw new IdempotencyValidationException(key);
      }
      Instant checked = clock.instant();
      switch (record.status(checked)) {
        case COMPLETED:
          return new IdempotencyClaim.Completed(key, record.data().orElse(""));
        case INPROGRESS:
          if (record.holderTimedOut(checked)) {
            continue; // its holder's time ran out between the put and now: the next put may take it over
          }
          throw new IdempotencyAlreadyInProgressException(key);
        case EXPIRED:
        default:
          continue; // expired between the put and now: the next put takes it over
      }
    }
    throw new StorageUnavailableException(
        "idempotency key " + key + " changed under every one of " + MAX_TRIES + " claims; try again later", null);
  }

  /** Stores the result and marks the work done; later {@link #begin} calls get it until the record expires. */
  public void complete(String key, String result) {
    requireKey(key);
    Objects.requireNonNull(result, "result");
    Instant now = clock.instant();
    try {
      dynamo.updateItem(
          u -> u.tableName(table)
              .key(Map.of(ID, s(key)))
              .updateExpression("SET #response_data = :response_data, #expiry = :expiry, #status = :status")
              .expressionAttributeNames(Map.of("#response_data", DATA, "#expiry", EXPIRATION, "#status", STATUS))
              .expressionAttributeValues(
                  Map.of(
                      ":response_data", s(result),
                      ":expiry", n(now.plus(expiresAfter).getEpochSecond()),
                      ":status", s(IdempotencyStatus.COMPLETED.name()))));
    } catch (SdkException e) {
      throw AwsFailures.failed("complete idempotency key " + key, e);
    }
  }

  /** Forgets the key after the work failed, so that a retry may run it. */
  public void delete(String key) {
    requireKey(key);
    try {
      dynamo.deleteItem(d -> d.tableName(table).key(Map.of(ID, s(key))));
    } catch (SdkException e) {
      throw AwsFailures.failed("delete idempotency key " + key, e);
    }
  }

  /** The stored record (expired or not), or empty. */
  public Optional<IdempotencyRecord> get(String key) {
    requireKey(key);
    Map<String, AttributeValue> item;
    try {
      item = dynamo.getItem(g -> g.tableName(table).key(Map.of(ID, s(key))).consistentRead(true)).item();
    } catch (SdkException e) {
      throw AwsFailures.failed("read idempotency key " + key, e);
    }
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(record(item));
  }

  private static IdempotencyRecord record(Map<String, AttributeValue> item) {
    return new IdempotencyRecord(
        Attributes.requiredString(item, ID),
        IdempotencyStatus.valueOf(Attributes.requiredString(item, STATUS)),
        Instant.ofEpochSecond(Attributes.requiredNumber(item, EXPIRATION)),
        Attributes.number(item, IN_PROGRESS_EXPIRATION).map(Instant::ofEpochMilli),
        Attributes.string(item, DATA),
        Attributes.string(item, VALIDATION));
  }

  private static void requireKey(String key) {
    Objects.requireNonNull(key, "key");
    // DynamoDB allows 2048 bytes for a partition key; keys here are short, readable and made by code
    if (key.isBlank() || key.length() > 1024) {
      throw new IllegalArgumentException("an idempotency key is 1 to 1024 characters");
    }
  }
}
