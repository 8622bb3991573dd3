package io.catwrangler.core.error;

/**
 * A request the use cases refuse, with the API error code; the HTTP layer (Function URL and embedded server alike)
 * maps the type to a status: {@link InvalidRequestException} 400, {@link NotFoundException} 404.
 */
public abstract sealed class RequestException extends RuntimeException
    permits InvalidRequestException, NotFoundException {
  private final String code;

  protected RequestException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The {@code error} field of the JSON error body. */
  public String code() {
    return code;
  }
}
