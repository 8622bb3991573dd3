package io.catwrangler.core.quality;

import java.util.List;
import java.util.Objects;

/**
 * The labelled images of one model, counted by the view ({@link io.catwrangler.core.port.LabelledAnswers}).
 *
 * @param answered the answers as they stand (each at the threshold it was decided at) against the labels
 * @param atThresholds the same images decided again from their stored scores ({@code yes} when score ≥ threshold)
 * @param unanswered labelled images with no answer yet (pending, or failed)
 * @param otherModels labelled images whose answer came from another model (before an upgrade's re-classification)
 */
public record LabelTally(Confusion answered, List<AtThreshold> atThresholds, long unanswered, long otherModels) {
  public LabelTally {
    Objects.requireNonNull(answered, "answered");
    atThresholds = List.copyOf(atThresholds);
    if (unanswered < 0 || otherModels < 0) {
      throw new IllegalArgumentException("counts are not negative");
    }
  }

  /**
   * A re-decision at {@code threshold}, as it would come out.
   *
   * @param answersChanged labelled images whose yes/no would differ from the answer they have now
   */
  public record AtThreshold(double threshold, Confusion confusion, long answersChanged) {
    public AtThreshold {
      Objects.requireNonNull(confusion, "confusion");
    }
  }
}
