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
   * @throws InvalidImageException header unreadable, dimensions out of range, or a JPEG with more than
   *     {@link #MAX_JPEG_SCANS} scans
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
      checkScans(bytes);
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

  private static void checkScans(byte[] jpeg) throws InvalidImageException {
    int scans = JpegHeader.countScans(jpeg, MAX_JPEG_SCANS);
    if (scans > MAX_JPEG_SCANS) {
      throw new InvalidImageException(
          "JPEG has more than " + MAX_JPEG_SCANS + " scans (progressive JPEGs from cameras have about 10); refused"
              + " because every scan adds decoding time");
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
