package io.catwrangler.detector;

import io.catwrangler.detector.centernet.CocoLabels;
import io.catwrangler.detector.head.LogisticHead;
import java.util.Map;

/** How the cat score is computed from what the network said under each view of the image. */
public sealed interface ScoreRule {

  /** The cat score (in [0, 1]) from the maximum of every class's heat map, per view name. */
  double score(Map<String, float[]> classMaxByView);

  /** The highest cat heat-map score under any view. */
  record MaxCatScore() implements ScoreRule {
    @Override
    public double score(Map<String, float[]> classMaxByView) {
      double max = 0;
      for (float[] classMax : classMaxByView.values()) {
        max = Math.max(max, classMax[CocoLabels.CAT]);
      }
      return max;
    }
  }

  /** The probability a {@link LogisticHead} gives. */
  record Head(LogisticHead head) implements ScoreRule {
    @Override
    public double score(Map<String, float[]> classMaxByView) {
      return head.probability(classMaxByView);
    }
  }
}
