package io.catwrangler.core.image;

/** A JPEG or PNG that cannot be used: unreadable header, dimensions out of range, pixel bomb, truncated or corrupt data. */
public final class InvalidImageException extends ImageRejectedException {
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
