package io.catwrangler.core.quality;

import io.catwrangler.events.DetectorModel;
import java.util.Objects;

/**
 * What {@code GET /quality} reports: how the current model does on the images people labelled.
 *
 * @param model the model measured: the one the runtime classifies with
 * @param threshold the runtime's threshold (a re-decide without one brings answers to it)
 * @param tally the counts
 */
public record ModelQuality(DetectorModel model, double threshold, LabelTally tally) {
  public ModelQuality {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(tally, "tally");
  }

  /** Every labelled image, measured or left out. */
  public long labelled() {
    return tally.answered().n() + tally.unanswered() + tally.otherModels();
  }
}
