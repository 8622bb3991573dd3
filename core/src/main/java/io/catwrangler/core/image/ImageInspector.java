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
  /**
   * The most scans a JPEG may have. A baseline JPEG has one scan per image (or per component); progressive JPEGs from
   * libjpeg, cameras and phones have about 10, and custom progression scripts seldom more than 20-30. A decoder
   * spends time on every scan over the whole image, so thousands of tiny scans (about 60 bytes each) make a small
   * file cost minutes to decode: a scan bomb.
   */
  public static final int MAX_JPEG_SCANS = 100;

  /**
   * The most scans times pixels a JPEG may have: 1,000 megapixel-scans, 20 scans at 50 megapixels, 83 at 12, the
   * full {@link #MAX_JPEG_SCANS} up to 10. Each scan costs a decoding pass over every pixel, so this bounds what any
   * accepted JPEG costs to decode at about twice the costliest photo (50 megapixels, progressive, 10 scans).
   */
  public static final long MAX_JPEG_SCAN_PIXELS = 1_000_000_000L;

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
   * @throws InvalidImageException header unreadable, dimensions out of range, or a JPEG with more scans than
   *     {@link #maxScans} allows at its size
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
    if (format == ImageFormat.JPEG) {
      checkScans(bytes, dimensions);
    }
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

  /** The most scans a JPEG of these dimensions may have. */
  public static int maxScans(int width, int height) {
    return (int) Math.max(1, Math.min(MAX_JPEG_SCANS, MAX_JPEG_SCAN_PIXELS / ((long) width * height)));
  }

  private static void checkScans(byte[] jpeg, Dimensions d) throws InvalidImageException {
    int max = maxScans(d.width(), d.height());
    int scans = JpegHeader.countScans(jpeg, max);
    if (scans > max) {
      throw new InvalidImageException(String.format(Locale.ROOT,
          "JPEG has more than %d scans at %d×%d; the limit is %d scans, and %,d megapixel-scans in all (20 scans at"
              + " 50 megapixels); cameras write about 10. Every scan adds a decoding pass over the whole image",
          max, d.width(), d.height(), MAX_JPEG_SCANS, MAX_JPEG_SCAN_PIXELS / 1_000_000));
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
