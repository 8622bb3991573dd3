package io.catwrangler.local.eval;

import java.util.List;

/** Confusion counts of a yes/no classifier and the usual ratios derived from them. */
public record BinaryMetrics(int truePositives, int falsePositives, int trueNegatives, int falseNegatives) {

  /** Counts the answers {@code score >= threshold} against the labels. */
  public static BinaryMetrics at(List<ScoredImage> scored, double threshold) {
    int tp = 0, fp = 0, tn = 0, fn = 0;
    for (ScoredImage s : scored) {
      boolean yes = s.score() >= threshold;
      if (yes && s.isCat()) {
        tp++;
      } else if (yes) {
        fp++;
      } else if (s.isCat()) {
        fn++;
      } else {
        tn++;
      }
    }
    return new BinaryMetrics(tp, fp, tn, fn);
  }

  public int n() {
    return truePositives + falsePositives + trueNegatives + falseNegatives;
  }

  public double accuracy() {
    return ratio(truePositives + trueNegatives, n());
  }

  /** Of the images answered yes, the share that are cats (1 when nothing was answered yes). */
  public double precision() {
    int yes = truePositives + falsePositives;
    return yes == 0 ? 1.0 : ratio(truePositives, yes);
  }

  /** Of the cats, the share answered yes. */
  public double recall() {
    return ratio(truePositives, truePositives + falseNegatives);
  }

  public double f1() {
    double p = precision();
    double r = recall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  private static double ratio(int a, int b) {
    return b == 0 ? 0 : (double) a / b;
  }
}
