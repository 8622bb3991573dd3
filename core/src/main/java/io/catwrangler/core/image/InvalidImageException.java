package io.catwrangler.core.image;

/**
 * A JPEG or PNG that cannot be used: unreadable header, dimensions out of range, pixel bomb, scan bomb, truncated or
 * corrupt data, or too costly to decode ({@link DecodeBudgetExceededException}).
 */
public sealed class InvalidImageException extends ImageRejectedException permits DecodeBudgetExceededException {
  public InvalidImageException(String message) {
    super(message);
  }

  public InvalidImageException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "INVALID_IMAGE";
  }
}
