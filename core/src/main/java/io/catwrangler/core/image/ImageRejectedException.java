package io.catwrangler.core.image;

/**
 * The bytes are not an image this service accepts. Terminal: the same bytes will be rejected again. Each subtype
 * maps to one API error code ({@link #code()}), so callers decide by type, never by parsing the message.
 */
public abstract sealed class ImageRejectedException extends Exception
    permits UnsupportedFormatException, ImageTooLargeException, InvalidImageException {

  protected ImageRejectedException(String message) {
    super(message);
  }

  protected ImageRejectedException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The API error code: UNSUPPORTED_FORMAT, TOO_LARGE or INVALID_IMAGE. */
  public abstract String code();
}
