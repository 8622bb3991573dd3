package io.catwrangler.events;

import java.util.Objects;

/** One object the detector found: a label such as "cat" or "dog", its score in [0, 1], and where it is. */
public record DetectedObject(String label, double score, Box box) {
  public DetectedObject {
    DetectorModel.requireShortText(label, "label");
    Scores.requireUnit(score, "score");
    Objects.requireNonNull(box, "box");
  }
}
