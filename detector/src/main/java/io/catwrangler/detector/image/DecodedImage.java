package io.catwrangler.detector.image;

/**
 * Pixels ready for the network: packed 0xRRGGBB, upright (EXIF orientation applied), possibly at reduced size.
 *
 * @param rgb row-major pixels, {@code width * height} of them
 * @param width width of {@code rgb}
 * @param height height of {@code rgb}
 * @param originalWidth upright width of the full-size image, the space boxes are reported in
 * @param originalHeight upright height of the full-size image
 * @param subsampling the decoder kept every n-th pixel in each direction (1 = full size)
 * @param alpha opacity per pixel (0 transparent, 255 opaque) for an image with transparency, else null; {@code rgb}
 *     holds the stored colour, whatever the opacity
 */
public record DecodedImage(int[] rgb, int width, int height, int originalWidth, int originalHeight, int subsampling,
    byte[] alpha) {
  public DecodedImage {
    if (rgb.length != width * height || alpha != null && alpha.length != rgb.length) {
      throw new IllegalArgumentException("pixel count does not match " + width + "x" + height);
    }
  }

  /** An opaque image. */
  public DecodedImage(int[] rgb, int width, int height, int originalWidth, int originalHeight, int subsampling) {
    this(rgb, width, height, originalWidth, originalHeight, subsampling, null);
  }
}
