package io.catwrangler.detector.head;

import io.catwrangler.detector.centernet.CocoLabels;
import java.util.Map;

/**
 * One input of a {@link LogisticHead}: the log-odds of one COCO class's highest heat-map score under one view, written
 * {@code view.class}, e.g. {@code whole.cat}; or, as {@code imagenet.cat}, of the ImageNet classifier's summed
 * domestic-cat probability ({@link io.catwrangler.detector.ImageNetCatDetector#features}). Scores are clamped to
 * [1e-4, 1 − 1e-4] first, so an empty heat map gives a finite value.
 *
 * @param view the name of the view the score comes from (see {@link io.catwrangler.detector.views.View#name()})
 * @param classId the COCO class
 */
public record HeadFeature(String view, int classId) {
  private static final double EPSILON = 1e-4;

  public HeadFeature {
    if (view == null || view.isBlank() || view.contains(".") || view.contains(",")) {
      throw new IllegalArgumentException("invalid view name for a head feature: " + view);
    }
    CocoLabels.name(classId); // range check
  }

  /** Parses {@code view.class}; the class is a COCO label as {@link CocoLabels#name} spells it. */
  public static HeadFeature parse(String text) {
    int dot = text.indexOf('.');
    if (dot <= 0 || dot == text.length() - 1) {
      throw new IllegalArgumentException("a head feature is written view.class, e.g. whole.cat; got '" + text + "'");
    }
    String label = text.substring(dot + 1);
    for (int c = 0; c < CocoLabels.COUNT; c++) {
      if (CocoLabels.name(c).equals(label)) {
        return new HeadFeature(text.substring(0, dot), c);
      }
    }
    throw new IllegalArgumentException("unknown COCO class '" + label + "' in head feature '" + text + "'");
  }

  /**
   * The feature's value, from the maximum of every class's heat map per view name.
   *
   * @throws IllegalArgumentException the view was not run
   */
  public double value(Map<String, float[]> classMaxByView) {
    float[] classMax = classMaxByView.get(view);
    if (classMax == null) {
      throw new IllegalArgumentException("head feature " + this + " needs view '" + view + "', which was not run");
    }
    return logit(classMax[classId]);
  }

  static double logit(double p) {
    double q = Math.max(EPSILON, Math.min(1 - EPSILON, p));
    return Math.log(q / (1 - q));
  }

  @Override
  public String toString() {
    return view + "." + CocoLabels.name(classId);
  }
}
