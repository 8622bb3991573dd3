package io.catwrangler.detector.views;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

  /** The whole image drawn into a centred square of {@code fill} of the canvas side, black around it. */
  public static View zoomOut(double fill) {
    return new View(String.format(Locale.ROOT, "zoom%02d", Math.round(fill * 100)), 0, 0, 1, 1, fill);
  }

  /**
   * The view a name stands for, for the names {@link #WHOLE} and {@link #zoomOut} give ({@code whole},
   * {@code zoom65}); a head file names its views this way.
   */
  public static View named(String name) {
    if (name.equals(WHOLE.name())) {
      return WHOLE;
    }
    if (name.matches("zoom[0-9]{2}") && !name.equals("zoom00")) {
      return zoomOut(Integer.parseInt(name.substring(4)) / 100.0);
    }
    throw new IllegalArgumentException("no view is called '" + name + "' (use whole or zoomNN, e.g. zoom65)");
  }

  /**
   * {@code perSide × perSide} tiles, each {@code tileFraction} of the image's width and height, spread evenly so the
   * first touches the top-left corner and the last the bottom-right one (neighbours overlap when
   * {@code perSide × tileFraction > 1}). Each tile fills the canvas. Named {@code tileXY}, column then row.
   */
  public static List<View> tiles(int perSide, double tileFraction) {
    if (perSide < 2 || !(tileFraction > 0 && tileFraction < 1) || perSide * tileFraction < 1) {
      throw new IllegalArgumentException("tiles must cover the image: " + perSide + " per side of " + tileFraction);
    }
    double step = (1 - tileFraction) / (perSide - 1);
    List<View> tiles = new ArrayList<>(perSide * perSide);
    for (int row = 0; row < perSide; row++) {
      for (int column = 0; column < perSide; column++) {
        tiles.add(new View("tile" + column + row, column * step, row * step, tileFraction, tileFraction, 1));
      }
    }
    return List.copyOf(tiles);
  }
}
