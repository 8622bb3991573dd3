package io.catwrangler.core.port;

/**
 * A store or queue refused the request for a reason that trying again does not change: access denied, a missing
 * table or bucket, a malformed request, an item over the store's size limit. Permanent, unlike
 * {@link StorageUnavailableException}: a deployment or a code problem for an operator, a 500 for a client (not a
 * 503 that invites a retry).
 */
public class StoreRejectedException extends RuntimeException {
  private final String code;

  /** @param code the store's own error code ({@code AccessDeniedException}, {@code ItemTooLarge}, …) */
  public StoreRejectedException(String message, String code, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
