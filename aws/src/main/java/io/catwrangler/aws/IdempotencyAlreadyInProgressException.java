package io.catwrangler.aws;

/**
 * Another execution holds the idempotency key and has neither finished nor run out of time: this one must not do
 * the work. Transient: fail the message so it comes back after the visibility timeout (Powertools'
 * {@code IdempotencyAlreadyInProgressException}).
 */
public final class IdempotencyAlreadyInProgressException extends RuntimeException {
  private final String key;

  public IdempotencyAlreadyInProgressException(String key) {
    super("execution with idempotency key " + key + " is already in progress");
    this.key = key;
  }

  public String key() {
    return key;
  }
}
