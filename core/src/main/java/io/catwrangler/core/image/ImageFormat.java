package io.catwrangler.core.image;

/** The two accepted formats, decided by magic bytes, never by name or Content-Type. */
public enum ImageFormat {
  JPEG("image/jpeg"),
  PNG("image/png");

  private final String mediaType;

  ImageFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }
}
