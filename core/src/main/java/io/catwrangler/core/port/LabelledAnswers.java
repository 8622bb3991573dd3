package io.catwrangler.core.port;

import io.catwrangler.core.quality.LabelTally;
import io.catwrangler.events.DetectorModel;
import java.util.List;

/**
 * The labelled images of the result view, counted where they are stored: the view keeps one row per labelled image
 * (newest label, newest answer, its score and model) beside the image rows, maintained by the same save, so counting
 * reads labelled images only, never every image or event.
 */
public interface LabelledAnswers {

  /**
   * The labelled images whose newest answer came from {@code model}, counted as answered and as decided again at
   * each of {@code thresholds} (in that order); and how many labelled images were left out, and why.
   */
  LabelTally tally(DetectorModel model, List<Double> thresholds);
}
