package io.catwrangler.events;

import java.util.Objects;

/**
 * The payload of {@link ClassificationFailed}.
 *
 * @param message for people; never contains image bytes; cut to {@value #MAX_MESSAGE} characters
 * @param attempt the delivery attempt that failed
 * @param retryable true when the pipeline will try again (a transient detector error); false when this failure is
 *     terminal for the attempt run (the image is at fault, or the retries are exhausted)
 * @param model the detector model that was configured when the attempt failed
 */
public record Failure(FailureReason reason, String message, int attempt, boolean retryable, DetectorModel model) {
  public static final int MAX_MESSAGE = 1000;

  public Failure {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE);
    }
    Scores.requirePositive(attempt, "attempt");
    Objects.requireNonNull(model, "model");
    if (retryable && reason != FailureReason.DETECTOR_ERROR) {
      throw new IllegalArgumentException("only a DETECTOR_ERROR is retried; " + reason + " is terminal");
    }
  }
}
