package io.catwrangler.core.image;

/**
 * Checks bytes before anything is stored or decoded: size, format by magic bytes, width and height from the header.
 * Pure: no I/O, no pixel decoding, bounded work whatever the input. Shared by ingest (API, S3) and the detector.
 */
public final class ImageInspector {
  private final ImageLimits limits;

  public ImageInspector(ImageLimits limits) {
    this.limits = limits;
  }

  public ImageLimits limits() {
    return limits;
  }

  /**
   * @throws UnsupportedFormatException not JPEG/PNG (naming what was found)
   * @throws ImageTooLargeException more than {@code limits.maxBytes()}
   * @throws InvalidImageException header unreadable or dimensions out of range
   */
  public ImageInfo inspect(byte[] bytes) throws ImageRejectedException {
    throw new UnsupportedOperationException("TODO");
  }
}
