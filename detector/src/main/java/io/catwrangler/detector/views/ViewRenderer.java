package io.catwrangler.detector.views;

import io.catwrangler.detector.image.DecodedImage;
import io.catwrangler.detector.image.Letterbox;

/**
 * Draws a {@link View} of a decoded image with the reference {@link Letterbox} (bilinear, half-pixel centres): the
 * rectangle is cut out in whole pixels, letterboxed into a square of {@code round(fill · size)} and centred on the
 * black canvas. The whole image at fill 1 is therefore exactly {@code Letterbox.of(image, size)}.
 */
public final class ViewRenderer {
  private ViewRenderer() {}

  public static ViewInput render(DecodedImage image, View view, int size) {
    int x0 = (int) Math.round(view.left() * image.width());
    int y0 = (int) Math.round(view.top() * image.height());
    int x1 = Math.max(x0 + 1, Math.min(image.width(), (int) Math.round((view.left() + view.width()) * image.width())));
    int y1 = Math.max(y0 + 1,
        Math.min(image.height(), (int) Math.round((view.top() + view.height()) * image.height())));
    x0 = Math.min(x0, x1 - 1);
    y0 = Math.min(y0, y1 - 1);
    DecodedImage crop = crop(image, x0, y0, x1 - x0, y1 - y0);
    int inner = Math.max(1, (int) Math.round(view.fill() * size));
    Letterbox box = Letterbox.of(crop, inner);
    int pad = (size - inner) / 2;
    float[] canvas;
    if (inner == size) {
      canvas = box.nhwc();
    } else {
      canvas = new float[size * size * 3];
      for (int row = 0; row < inner; row++) {
        System.arraycopy(box.nhwc(), row * inner * 3, canvas, ((row + pad) * size + pad) * 3, inner * 3);
      }
    }
    return new ViewInput(view, canvas, size, x0, y0, crop.width(), crop.height(), box.scale(), pad + box.dx(),
        pad + box.dy());
  }

  private static DecodedImage crop(DecodedImage image, int x, int y, int width, int height) {
    if (x == 0 && y == 0 && width == image.width() && height == image.height()) {
      return image;
    }
    int[] pixels = new int[width * height];
    for (int row = 0; row < height; row++) {
      System.arraycopy(image.rgb(), (y + row) * image.width() + x, pixels, row * width, width);
    }
    return new DecodedImage(pixels, width, height, image.originalWidth(), image.originalHeight(), image.subsampling());
  }
}
