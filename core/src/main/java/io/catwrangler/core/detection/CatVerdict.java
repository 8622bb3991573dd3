package io.catwrangler.core.detection;

import io.catwrangler.events.DetectedObject;
import io.catwrangler.events.DetectorModel;
import java.util.List;
import java.util.Map;

/**
 * A detector's answer for one image.
 *
 * @param isCat whether {@code catScore >= threshold}
 * @param catScore the detector's cat score in [0, 1]
 * @param threshold the threshold the decision was taken at
 * @param detections everything found, best first, boxes in original-image pixels
 * @param model the detector and model version
 * @param timings per-stage wall time
 * @param width image width after EXIF orientation
 * @param height image height after EXIF orientation
 * @param raw the detector's raw output (JSON-compatible values only), kept so a later threshold or rule can
 *     re-decide without running the model again
 */
public record CatVerdict(
    boolean isCat,
    double catScore,
    double threshold,
    List<DetectedObject> detections,
    DetectorModel model,
    StageTimings timings,
    int width,
    int height,
    Map<String, Object> raw) {
  public CatVerdict {
    detections = List.copyOf(detections);
    raw = Map.copyOf(raw);
  }
}
