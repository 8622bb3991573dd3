package io.catwrangler.aws;

/** Powertools' record states. EXPIRED is never stored: a record is expired once its {@code expiration} has passed. */
public enum IdempotencyStatus {
  INPROGRESS,
  COMPLETED,
  EXPIRED
}
