package io.catwrangler.core.image;

/** Not JPEG or PNG; {@link #found()} names what the bytes are (WebP, GIF, BMP, HEIC, TIFF, PDF, text, empty, unknown). */
public final class UnsupportedFormatException extends ImageRejectedException {
  private final String found;

  public UnsupportedFormatException(String found) {
    super(found + " is not accepted, only JPEG and PNG");
    this.found = found;
  }

  public String found() {
    return found;
  }

  @Override
  public String code() {
    return "UNSUPPORTED_FORMAT";
  }
}
