package io.catwrangler.core.error;

/** No such image or batch (404). */
public final class NotFoundException extends RequestException {
  public NotFoundException(String message) {
    super("NOT_FOUND", message, null);
  }

  public static NotFoundException image(Object imageId) {
    return new NotFoundException("no image " + imageId);
  }

  public static NotFoundException batch(Object batchId) {
    return new NotFoundException("no batch " + batchId);
  }
}
