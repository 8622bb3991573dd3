package io.catwrangler.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The payload of {@link ClassificationSucceeded}: the answer, the evidence, and the detector's raw output so a
 * later threshold can re-decide without running the detector again.
 *
 * @param isCat the answer: {@code catScore >= threshold} for the built-in rule
 * @param detections everything found, best first, boxes in original pixels after EXIF orientation
 * @param timingsMs milliseconds per stage in the order they ran; empty for a re-decision (no stage ran)
 * @param orientedWidth width of the frame the boxes refer to (after EXIF orientation)
 * @param orientedHeight height of that frame
 * @param raw the detector's raw output, a JSON object
 * @param attempt the delivery attempt that produced it (1 for re-decisions)
 * @param redecidedFrom for {@link ClassificationTrigger#REDECIDE}: the stream version of the classification whose
 *     score and raw output were reused; empty otherwise
 */
public record Classification(
    boolean isCat,
    double catScore,
    double threshold,
    List<DetectedObject> detections,
    DetectorModel model,
    Map<String, Double> timingsMs,
    int orientedWidth,
    int orientedHeight,
    Map<String, Object> raw,
    int attempt,
    ClassificationTrigger trigger,
    OptionalLong redecidedFrom) {

  public Classification {
    Scores.requireUnit(catScore, "cat score");
    Scores.requireUnit(threshold, "threshold");
    detections = List.copyOf(detections);
    Objects.requireNonNull(model, "model");
    Map<String, Double> timings = new LinkedHashMap<>();
    timingsMs.forEach((stage, millis) -> {
      DetectorModel.requireShortText(stage, "stage name");
      if (millis == null || !(millis >= 0) || Double.isInfinite(millis)) {
        throw new IllegalArgumentException("stage " + stage + " must take a finite, non-negative time");
      }
      timings.put(stage, millis);
    });
    timingsMs = Collections.unmodifiableMap(timings);
    Scores.requirePositive(orientedWidth, "oriented width");
    Scores.requirePositive(orientedHeight, "oriented height");
    raw = JsonValues.copyObject(raw);
    Scores.requirePositive(attempt, "attempt");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(redecidedFrom, "redecided from (use OptionalLong.empty())");
    if ((trigger == ClassificationTrigger.REDECIDE) != redecidedFrom.isPresent()) {
      throw new IllegalArgumentException("redecided_from is present exactly when the trigger is redecide");
    }
    if (redecidedFrom.isPresent() && redecidedFrom.getAsLong() < 1) {
      throw new IllegalArgumentException("redecided_from is a stream version, 1 or more");
    }
  }

  /**
   * This classification decided again at another threshold by the built-in rule ({@code score >= threshold}):
   * same score, detections, model and raw output; no timings, because no stage ran.
   *
   * @param sourceVersion the stream version of the event this classification came from
   */
  public Classification redecided(double newThreshold, long sourceVersion) {
    return new Classification(
        catScore >= newThreshold,
        catScore,
        newThreshold,
        detections,
        model,
        Map.of(),
        orientedWidth,
        orientedHeight,
        raw,
        1,
        ClassificationTrigger.REDECIDE,
        OptionalLong.of(sourceVersion));
  }
}
