package io.catwrangler.core.image;

/** Upper bounds for an accepted image. Defaults: 15 MiB, 10,000 px a side, 50 megapixels. */
public record ImageLimits(long maxBytes, int maxSide, long maxPixels) {
  public static final ImageLimits DEFAULT = new ImageLimits(15L * 1024 * 1024, 10_000, 50_000_000L);

  public ImageLimits {
    if (maxBytes <= 0 || maxSide <= 0 || maxPixels <= 0) {
      throw new IllegalArgumentException("image limits must be positive");
    }
  }
}
