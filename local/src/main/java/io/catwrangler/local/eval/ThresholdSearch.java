package io.catwrangler.local.eval;

import java.util.List;
import java.util.TreeSet;

/** Finds the threshold with the best accuracy on a scored set: the in-hindsight optimum, for comparison only. */
public final class ThresholdSearch {
  private ThresholdSearch() {}

  public record Best(double threshold, BinaryMetrics metrics) {}

  /**
   * Tries a threshold between every two neighbouring distinct scores (and below/above all of them); among equally
   * accurate thresholds the one nearest {@code preferred} wins, so the answer is stable and close to the default.
   */
  public static Best best(List<ScoredImage> scored, double preferred) {
    TreeSet<Double> scores = new TreeSet<>();
    scored.forEach(s -> scores.add(s.score()));
    Best best = null;
    Double previous = null;
    for (double s : scores) {
      double candidate = previous == null ? s / 2 : (previous + s) / 2;
      best = better(best, candidate, scored, preferred);
      previous = s;
    }
    if (previous != null) {
      best = better(best, (previous + 1) / 2, scored, preferred);
    }
    return best;
  }

  /**
   * The most accurate threshold among 0.01, 0.02, …, 0.99 (ties: nearest {@code preferred}): a round number to put in
   * a configuration, where {@link #best} would give a midpoint between two scores of this particular set.
   */
  public static Best bestOnGrid(List<ScoredImage> scored, double preferred) {
    Best best = null;
    for (int i = 1; i <= 99; i++) {
      best = better(best, i / 100.0, scored, preferred);
    }
    return best;
  }

  /**
   * Like {@link #bestOnGrid(List, double)}, among only the thresholds whose precision on {@code scored} is at least
   * {@code minPrecision}; empty when none reaches it (a precision of 1.0 at a threshold nothing passes counts too,
   * so the answer is empty only when {@code minPrecision} is above 1).
   */
  public static java.util.Optional<Best> bestOnGrid(List<ScoredImage> scored, double preferred, double minPrecision) {
    Best best = null;
    for (int i = 1; i <= 99; i++) {
      double threshold = i / 100.0;
      if (BinaryMetrics.at(scored, threshold).precision() >= minPrecision) {
        best = better(best, threshold, scored, preferred);
      }
    }
    return java.util.Optional.ofNullable(best);
  }

  private static Best better(Best current, double threshold, List<ScoredImage> scored, double preferred) {
    BinaryMetrics m = BinaryMetrics.at(scored, threshold);
    if (current == null || m.accuracy() > current.metrics().accuracy()
        || (m.accuracy() == current.metrics().accuracy()
            && Math.abs(threshold - preferred) < Math.abs(current.threshold() - preferred))) {
      return new Best(threshold, m);
    }
    return current;
  }
}
