package io.catwrangler.detector.views;

/**
 * What the network is shown of an image: a rectangle of it, given as fractions of the image's width and height, drawn
 * as large as fits (aspect ratio kept) into a centred square whose side is {@code fill} of the canvas side. The whole
 * image at fill 1 is the reference letterbox; a smaller fill shrinks a close-up towards the object sizes COCO was
 * labelled at; a rectangle smaller than the image (a tile) enlarges what is small in the photo.
 *
 * @param name short name, recorded in the detector's raw output (e.g. {@code whole}, {@code zoom50}, {@code tile01})
 * @param left left edge of the rectangle, as a fraction of the image width
 * @param top top edge, as a fraction of the image height
 * @param width rectangle width, as a fraction of the image width
 * @param height rectangle height, as a fraction of the image height
 * @param fill side of the square the rectangle is fitted into, as a fraction of the canvas side
 */
public record View(String name, double left, double top, double width, double height, double fill) {

  /** The reference input: the whole image, letterboxed to the full canvas. */
  public static final View WHOLE = new View("whole", 0, 0, 1, 1, 1);

  public View {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a view needs a name");
    }
    if (!(left >= 0 && top >= 0 && width > 0 && height > 0 && left + width <= 1 + 1e-9 && top + height <= 1 + 1e-9)) {
      throw new IllegalArgumentException("view rectangle must lie inside the image: " + left + ", " + top + ", "
          + width + " × " + height);
    }
    if (!(fill > 0 && fill <= 1)) {
      throw new IllegalArgumentException("fill must be in (0, 1], got " + fill);
    }
  }

  /** The view a name stands for: only {@link #WHOLE} since the zoom and tile variants were retired (decision 0017). */
  public static View named(String name) {
    if (name.equals(WHOLE.name())) {
      return WHOLE;
    }
    throw new IllegalArgumentException("no view is called '" + name + "' (CenterNet runs on the whole image)");
  }
}
