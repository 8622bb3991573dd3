package io.catwrangler.aws;

/**
 * The key was completed for a payload whose validation hash differs from this one: the same key was used for
 * different work, and returning the stored result would be wrong (Powertools' {@code IdempotencyValidationException}).
 * Terminal: fix the key derivation.
 */
public final class IdempotencyValidationException extends RuntimeException {
  public IdempotencyValidationException(String key) {
    super("payload does not match the one stored for idempotency key " + key);
  }
}
