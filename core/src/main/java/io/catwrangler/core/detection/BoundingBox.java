package io.catwrangler.core.detection;

/** A box in original-image pixels (after EXIF orientation), top-left (x1, y1) to bottom-right (x2, y2). */
public record BoundingBox(double x1, double y1, double x2, double y2) {
  public double width() {
    return x2 - x1;
  }

  public double height() {
    return y2 - y1;
  }
}
