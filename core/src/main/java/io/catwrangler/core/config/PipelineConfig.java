package io.catwrangler.core.config;

import io.catwrangler.core.image.ImageLimits;
import java.util.Objects;

/**
 * What the use cases are tuned by, read once per runtime (flags and a config file embedded, environment variables
 * on Lambda), validated here and passed down.
 *
 * @param imageLimits what an upload may be (size, sides, pixels)
 * @param threshold the cat-score threshold the runtime also gives its detector; {@code redecide()} brings stored
 *     answers to it
 * @param maxAttempts how many deliveries a classify request gets; must equal the queue's maximum (SQS
 *     {@code maxReceiveCount}), so the last delivery records RETRIES_EXHAUSTED before the queue dead-letters it
 * @param maxConflictRetries how often a use case reloads a stream and re-decides after losing an optimistic race
 *     before it reports "retry later"
 */
public record PipelineConfig(ImageLimits imageLimits, double threshold, int maxAttempts, int maxConflictRetries) {

  /** The embedded detector's default threshold (docs/decisions/0003); a runtime passes one value to both. */
  public static final double DEFAULT_THRESHOLD = 0.30;

  public static final PipelineConfig DEFAULTS = new PipelineConfig(ImageLimits.DEFAULT, DEFAULT_THRESHOLD, 5, 10);

  public PipelineConfig {
    Objects.requireNonNull(imageLimits, "image limits");
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in [0, 1], was " + threshold);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts must be at least 1, was " + maxAttempts);
    }
    if (maxConflictRetries < 1) {
      throw new IllegalArgumentException("max conflict retries must be at least 1, was " + maxConflictRetries);
    }
  }

  public PipelineConfig withThreshold(double newThreshold) {
    return new PipelineConfig(imageLimits, newThreshold, maxAttempts, maxConflictRetries);
  }

  public PipelineConfig withMaxAttempts(int attempts) {
    return new PipelineConfig(imageLimits, threshold, attempts, maxConflictRetries);
  }
}
