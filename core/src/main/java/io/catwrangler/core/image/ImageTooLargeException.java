package io.catwrangler.core.image;

/** More bytes than the configured limit. */
public final class ImageTooLargeException extends ImageRejectedException {
  public ImageTooLargeException(long size, long limit) {
    super("image is " + size + " bytes, the limit is " + limit + " bytes");
  }

  @Override
  public String code() {
    return "TOO_LARGE";
  }
}
