package io.catwrangler.core.quality;

import io.catwrangler.core.config.PipelineConfig;
import io.catwrangler.core.error.InvalidRequestException;
import io.catwrangler.core.port.LabelledAnswers;
import io.catwrangler.events.DetectorModel;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Accuracy, precision and recall of the current model on the images people labelled ({@code GET /quality},
 * {@code GET /metrics}), and how a re-decide at other thresholds would change them, from the stored scores — no
 * model run, no event read: the view counts its labelled rows.
 */
public final class MeasureQuality {
  /** The re-decide table's thresholds besides the runtime's own. */
  public static final List<Double> TABLE = List.of(0.3, 0.4, 0.5, 0.6, 0.7);
  /** The most thresholds one request may ask for. */
  public static final int MAX_THRESHOLDS = 21;

  private final LabelledAnswers answers;
  private final DetectorModel model;
  private final PipelineConfig config;

  /** @param model the model the runtime classifies with */
  public MeasureQuality(LabelledAnswers answers, DetectorModel model, PipelineConfig config) {
    this.answers = Objects.requireNonNull(answers, "answers");
    this.model = Objects.requireNonNull(model, "model");
    this.config = Objects.requireNonNull(config, "config");
  }

  /** With the re-decide table at {@link #TABLE} and the runtime's threshold. */
  public ModelQuality measure() {
    TreeSet<Double> thresholds = new TreeSet<>(TABLE);
    thresholds.add(config.threshold());
    return measure(List.copyOf(thresholds));
  }

  /**
   * With the re-decide table at {@code thresholds} (sorted, duplicates dropped).
   *
   * @throws InvalidRequestException none, more than {@link #MAX_THRESHOLDS}, or one outside [0, 1]
   */
  public ModelQuality measure(List<Double> thresholds) {
    if (thresholds.isEmpty() || thresholds.size() > MAX_THRESHOLDS) {
      throw InvalidRequestException.invalidParameter("thresholds", "1 to " + MAX_THRESHOLDS + " numbers from 0 to 1");
    }
    TreeSet<Double> sorted = new TreeSet<>();
    for (Double t : thresholds) {
      if (t == null || !(t >= 0 && t <= 1)) {
        throw InvalidRequestException.invalidParameter("thresholds", "each a number from 0 to 1, not " + t);
      }
      sorted.add(t);
    }
    return new ModelQuality(model, config.threshold(), answers.tally(model, List.copyOf(sorted)));
  }
}
