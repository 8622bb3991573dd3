package io.catwrangler.aws;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One item of the idempotency table, as Powertools' {@code DataRecord}.
 *
 * @param expiration when the record stops counting (the table's TTL attribute; DynamoDB deletes it some time later)
 * @param inProgressExpiration for INPROGRESS: when the execution that holds it runs out of Lambda time
 * @param data the stored result, for COMPLETED
 * @param validation the payload hash stored with the record, if the caller gave one
 */
public record IdempotencyRecord(
    String key,
    IdempotencyStatus storedStatus,
    Instant expiration,
    Optional<Instant> inProgressExpiration,
    Optional<String> data,
    Optional<String> validation) {

  public IdempotencyRecord {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(storedStatus, "stored status");
    Objects.requireNonNull(expiration, "expiration");
    Objects.requireNonNull(inProgressExpiration, "in-progress expiration");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(validation, "validation");
  }

  /**
   * The status at {@code now}: EXPIRED once {@link #expiration} has passed, whatever is stored. Compared in whole
   * seconds, like the store's condition and DynamoDB's TTL.
   */
  public IdempotencyStatus status(Instant now) {
    return now.getEpochSecond() > expiration.getEpochSecond() ? IdempotencyStatus.EXPIRED : storedStatus;
  }

  /** True when this is an INPROGRESS record whose holder ran out of time before {@code now} (in milliseconds). */
  public boolean holderTimedOut(Instant now) {
    return storedStatus == IdempotencyStatus.INPROGRESS
        && inProgressExpiration.map(at -> now.toEpochMilli() > at.toEpochMilli()).orElse(false);
  }
}
