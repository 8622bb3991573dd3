package io.catwrangler.detector;

import io.catwrangler.core.image.ImageLimits;
import java.util.Objects;

/**
 * Settings of the embedded detector, validated once at start-up.
 *
 * @param threshold cat score at or above which the answer is yes
 * @param intraOpThreads ONNX Runtime threads per inference
 * @param minDetectionScore detections below this score are not reported (the cat score is unaffected)
 * @param maxDetections at most this many detections are reported, best first
 * @param limits what images are accepted at all
 * @param variant how CenterNet alone would score (its views and rule), for {@link CenterNetCatDetector}, which eval
 *     compares with the classifier
 * @param boxes when the ImageNet detector also runs CenterNet for boxes
 */
public record DetectorConfig(
    double threshold,
    int intraOpThreads,
    double minDetectionScore,
    int maxDetections,
    ImageLimits limits,
    DetectorVariant variant,
    Boxes boxes) {

  /**
   * The answer's threshold: the calibrated cat probability of {@link ImageNetCatDetector} at which a cat is more likely
   * than not (docs/decisions/0016-imagenet-classifier.md); CenterNet's variants keep their own (0003, 0006).
   */
  public static final double DEFAULT_THRESHOLD = 0.50;

  public static DetectorConfig defaults() {
    return new DetectorConfig(DEFAULT_THRESHOLD, Math.min(2, Runtime.getRuntime().availableProcessors()), 0.15, 20,
        ImageLimits.DEFAULT, DetectorVariant.DEFAULT, Boxes.DEFAULT);
  }

  public DetectorConfig {
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
    }
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("intraOpThreads must be at least 1");
    }
    if (minDetectionScore < 0 || minDetectionScore >= 1 || maxDetections < 0) {
      throw new IllegalArgumentException("invalid detection reporting limits");
    }
    Objects.requireNonNull(limits, "image limits");
    Objects.requireNonNull(variant, "detector variant");
    Objects.requireNonNull(boxes, "boxes");
  }

  public DetectorConfig withThreshold(double t) {
    return new DetectorConfig(t, intraOpThreads, minDetectionScore, maxDetections, limits, variant, boxes);
  }

  public DetectorConfig withThreads(int n) {
    return new DetectorConfig(threshold, n, minDetectionScore, maxDetections, limits, variant, boxes);
  }

  /** Another variant at that variant's own threshold (a cat score means something else under each variant). */
  public DetectorConfig withVariant(DetectorVariant v) {
    return new DetectorConfig(v.defaultThreshold(), intraOpThreads, minDetectionScore, maxDetections, limits, v,
        boxes);
  }

  public DetectorConfig withBoxes(Boxes b) {
    return new DetectorConfig(threshold, intraOpThreads, minDetectionScore, maxDetections, limits, variant, b);
  }

  public DetectorConfig withLimits(ImageLimits l) {
    return new DetectorConfig(threshold, intraOpThreads, minDetectionScore, maxDetections, l, variant, boxes);
  }
}
