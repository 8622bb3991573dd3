package io.catwrangler.detector.image;

/**
 * The network input: the image scaled to fit a square canvas with its aspect ratio kept (scale = min(size/h, size/w)),
 * bilinear with half-pixel centres (as tf.image.resizeBilinear(halfPixelCenters=true) and cv2.resize), centred on
 * black; RGB as float 0–255, NHWC. This is the preprocessing the golden fixtures were made with.
 *
 * @param nhwc {@code size * size * 3} floats
 * @param size canvas side in pixels
 * @param scale input pixels per decoded-image pixel
 * @param dx left padding in input pixels
 * @param dy top padding in input pixels
 */
public record Letterbox(float[] nhwc, int size, float scale, int dx, int dy) {

  public static Letterbox of(DecodedImage image, int size) {
    int w = image.width();
    int h = image.height();
    int[] px = image.rgb();
    float scale = Math.min((float) size / h, (float) size / w);
    int nh = Math.max(1, Math.round(h * scale));
    int nw = Math.max(1, Math.round(w * scale));
    int dy = (size - nh) / 2;
    int dx = (size - nw) / 2;
    float[] out = new float[size * size * 3];
    float ry = (float) h / nh;
    float rx = (float) w / nw;
    int[] left = new int[nw];
    int[] right = new int[nw];
    float[] fx = new float[nw];
    for (int c = 0; c < nw; c++) {
      float s = rx * (c + 0.5f) - 0.5f;
      int fl = Math.max(0, (int) Math.floor(s));
      left[c] = Math.min(w - 1, fl);
      right[c] = Math.min(w - 1, (int) Math.ceil(s));
      fx[c] = Math.max(0f, s - fl);
    }
    for (int r = 0; r < nh; r++) {
      float s = ry * (r + 0.5f) - 0.5f;
      int top = Math.min(h - 1, Math.max(0, (int) Math.floor(s)));
      int bottom = Math.min(h - 1, Math.max(0, (int) Math.ceil(s)));
      float fy = Math.max(0f, s - top);
      int topRow = top * w;
      int bottomRow = bottom * w;
      int o = ((r + dy) * size + dx) * 3;
      for (int c = 0; c < nw; c++, o += 3) {
        int tl = px[topRow + left[c]];
        int tr = px[topRow + right[c]];
        int bl = px[bottomRow + left[c]];
        int br = px[bottomRow + right[c]];
        for (int ch = 0, shift = 16; ch < 3; ch++, shift -= 8) {
          float a = (tl >> shift) & 255;
          float b = (tr >> shift) & 255;
          float cc = (bl >> shift) & 255;
          float d = (br >> shift) & 255;
          float upper = a + (b - a) * fx[c];
          float lower = cc + (d - cc) * fx[c];
          out[o + ch] = upper + (lower - upper) * fy;
        }
      }
    }
    return new Letterbox(out, size, scale, dx, dy);
  }

  /** Maps an x coordinate of the input canvas back to the decoded image. */
  public float toImageX(float x) {
    return (x - dx) / scale;
  }

  /** Maps a y coordinate of the input canvas back to the decoded image. */
  public float toImageY(float y) {
    return (y - dy) / scale;
  }
}
