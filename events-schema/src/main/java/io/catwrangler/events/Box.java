package io.catwrangler.events;

/** A box in original-image pixels after EXIF orientation: top-left (x1, y1), bottom-right (x2, y2). */
public record Box(double x1, double y1, double x2, double y2) {
  public Box {
    if (!Double.isFinite(x1) || !Double.isFinite(y1) || !Double.isFinite(x2) || !Double.isFinite(y2)) {
      throw new IllegalArgumentException("box coordinates must be finite");
    }
    if (x2 < x1 || y2 < y1) {
      throw new IllegalArgumentException("a box runs from top-left (x1, y1) to bottom-right (x2, y2)");
    }
  }

  public double width() {
    return x2 - x1;
  }

  public double height() {
    return y2 - y1;
  }
}
