package io.catwrangler.core.image;

import java.util.Locale;
import java.util.Objects;

/**
 * Checks bytes before anything is stored or decoded: size, format by magic bytes, width and height from the header.
 * Pure: no I/O, no pixel decoding, bounded work whatever the input. Shared by ingest (API, S3) and the detector.
 *
 * <p>Accepting an image says nothing about its pixel data: a file cut after its header passes here, and the decoder
 * reports it as invalid later.
 */
public final class ImageInspector {
  private final ImageLimits limits;

  public ImageInspector(ImageLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
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
    Objects.requireNonNull(bytes, "bytes");
    checkSize(bytes.length);
    ImageFormat format = FormatSniffer.sniff(bytes);
    Dimensions dimensions =
        switch (format) {
          case JPEG -> JpegHeader.read(bytes);
          case PNG -> PngHeader.read(bytes);
        };
    checkDimensions(dimensions);
    return new ImageInfo(format, dimensions.width(), dimensions.height(), bytes.length);
  }

  /**
   * The size check alone, for a caller that knows the size before it has the bytes (a Content-Length header, an S3
   * object size), so an oversized upload is refused without being read.
   *
   * @param byteSize the size in bytes, not negative
   * @throws ImageTooLargeException more than {@code limits.maxBytes()}
   */
  public void checkSize(long byteSize) throws ImageTooLargeException {
    if (byteSize < 0) {
      throw new IllegalArgumentException("byte size must not be negative: " + byteSize);
    }
    if (byteSize > limits.maxBytes()) {
      throw new ImageTooLargeException(byteSize, limits.maxBytes());
    }
  }

  private void checkDimensions(Dimensions d) throws InvalidImageException {
    if (d.width() > limits.maxSide() || d.height() > limits.maxSide()) {
      throw new InvalidImageException(
          d.width() + "×" + d.height() + " exceeds the " + limits.maxSide() + " px limit per side");
    }
    long pixels = (long) d.width() * d.height();
    if (pixels > limits.maxPixels()) {
      throw new InvalidImageException(
          String.format(
              Locale.ROOT,
              "%d×%d is %,d pixels, more than the %,d pixel limit",
              d.width(),
              d.height(),
              pixels,
              limits.maxPixels()));
    }
  }
}
