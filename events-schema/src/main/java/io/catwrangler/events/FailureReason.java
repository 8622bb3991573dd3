package io.catwrangler.events;

/**
 * Why a classification attempt failed. The first three come from the image itself (the same bytes fail again);
 * {@code DETECTOR_ERROR} is the detector's own trouble; {@code RETRIES_EXHAUSTED} ends a run of detector errors.
 */
public enum FailureReason {
  INVALID_IMAGE,
  TOO_LARGE,
  UNSUPPORTED_FORMAT,
  DETECTOR_ERROR,
  RETRIES_EXHAUSTED;

  /** True when the bytes are at fault, so no retry and no later submission of the same bytes can succeed with this model. */
  public boolean blamesImage() {
    return this == INVALID_IMAGE || this == TOO_LARGE || this == UNSUPPORTED_FORMAT;
  }
}
