package io.catwrangler.detector.imagenet;

import io.catwrangler.detector.image.DecodedImage;

/**
 * Draws the classifier's input from a decoded image as MobileNetV2 was evaluated in training (TF-slim's eval
 * preprocessing): a central crop keeping {@code crop} of each side, resized to 224 × 224 without keeping the aspect
 * ratio, RGB. Resizing is bilinear with the filter widened by the reduction factor (antialiased, as PIL's
 * BILINEAR does), so a large photo is averaged, not sampled. Transparent pixels of a PNG are laid on white first;
 * grayscale and CMYK images arrive as RGB from the decoder. Values are rounded to whole numbers 0–255, the model's
 * uint8 input, whose zero point and scale the converted graph applies.
 */
public final class ClassifierInput {
  private ClassifierInput() {}

  public static float[] render(DecodedImage image, double crop, int size) {
    if (!(crop > 0 && crop <= 1)) {
      throw new IllegalArgumentException("crop must be in (0, 1], got " + crop);
    }
    int w = image.width();
    int h = image.height();
    int cw = Math.max(1, (int) Math.round(w * crop));
    int ch = Math.max(1, (int) Math.round(h * crop));
    int x0 = (w - cw) / 2;
    int y0 = (h - ch) / 2;
    Taps columns = Taps.of(cw, size);
    Taps rows = Taps.of(ch, size);
    // horizontal pass straight from the packed pixels (no copy of the crop): ch rows of size pixels
    int[] px = image.rgb();
    byte[] alpha = image.alpha();
    float[] wide = new float[ch * size * 3];
    for (int y = 0; y < ch; y++) {
      int row = (y0 + y) * image.width() + x0;
      for (int x = 0; x < size; x++) {
        float r = 0;
        float g = 0;
        float b = 0;
        for (int t = columns.start[x], k = 0; k < columns.count[x]; t++, k++) {
          float weight = columns.weights[x][k];
          int i = row + t;
          int p = px[i];
          float pr = p >> 16 & 0xff;
          float pg = p >> 8 & 0xff;
          float pb = p & 0xff;
          if (alpha != null) {
            // transparent areas laid on white
            float a = (alpha[i] & 0xff) / 255f;
            pr = pr * a + 255 * (1 - a);
            pg = pg * a + 255 * (1 - a);
            pb = pb * a + 255 * (1 - a);
          }
          r += pr * weight;
          g += pg * weight;
          b += pb * weight;
        }
        int o = (y * size + x) * 3;
        wide[o] = r;
        wide[o + 1] = g;
        wide[o + 2] = b;
      }
    }
    float[] out = new float[size * size * 3];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        float r = 0;
        float g = 0;
        float b = 0;
        for (int t = rows.start[y], k = 0; k < rows.count[y]; t++, k++) {
          float weight = rows.weights[y][k];
          int s = (t * size + x) * 3;
          r += wide[s] * weight;
          g += wide[s + 1] * weight;
          b += wide[s + 2] * weight;
        }
        int o = (y * size + x) * 3;
        out[o] = quantize(r);
        out[o + 1] = quantize(g);
        out[o + 2] = quantize(b);
      }
    }
    return out;
  }

  private static float quantize(float v) {
    return Math.max(0, Math.min(255, Math.round(v)));
  }

  /** For each output pixel of one axis: the first source pixel it reads, how many, and their weights (summing to 1). */
  private record Taps(int[] start, int[] count, float[][] weights) {
    static Taps of(int in, int out) {
      double scale = (double) in / out;
      double support = Math.max(1, scale);
      int[] start = new int[out];
      int[] count = new int[out];
      float[][] weights = new float[out][];
      for (int o = 0; o < out; o++) {
        double centre = (o + 0.5) * scale;
        int first = Math.max(0, (int) Math.floor(centre - support));
        int last = Math.min(in - 1, (int) Math.ceil(centre + support));
        double[] w = new double[last - first + 1];
        double sum = 0;
        for (int s = first; s <= last; s++) {
          double d = Math.abs(s + 0.5 - centre) / support;
          w[s - first] = Math.max(0, 1 - d);
          sum += w[s - first];
        }
        if (sum == 0) {
          // a source of one pixel: take it whole
          w = new double[] {1};
          first = Math.min(in - 1, Math.max(0, (int) Math.floor(centre)));
          sum = 1;
        }
        weights[o] = new float[w.length];
        for (int k = 0; k < w.length; k++) {
          weights[o][k] = (float) (w[k] / sum);
        }
        start[o] = first;
        count[o] = w.length;
      }
      return new Taps(start, count, weights);
    }
  }
}
