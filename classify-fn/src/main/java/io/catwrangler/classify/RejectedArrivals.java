package io.catwrangler.classify;

import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.core.port.ConcurrencyConflictException;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.events.ClassificationFailed;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.Failure;
import io.catwrangler.events.FailureReason;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Records that bytes which arrived through S3 are not an acceptable image: a terminal {@code ClassificationFailed}
 * with the reason of the check that refused them (UNSUPPORTED_FORMAT for a WebP named .jpg, INVALID_IMAGE for an
 * unreadable header or a pixel bomb), on the stream of their sha256. There is no {@code ImageReceived}: a submission
 * records a JPEG or PNG with its dimensions, which these bytes do not have. Idempotent: nothing is appended when the
 * stream already settles the image for this model.
 */
public final class RejectedArrivals {
  private final EventStore events;
  private final Clock clock;
  private final int maxConflictRetries;

  public RejectedArrivals(EventStore events, Clock clock, int maxConflictRetries) {
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxConflictRetries = maxConflictRetries;
  }

  /** True when this call appended the failure. */
  public boolean record(
      ImageId imageId, ImageRejectedException rejected, int attempt, String correlationId, DetectorModel model) {
    for (int round = 0; round <= maxConflictRetries; round++) {
      ImageState state = events.state(imageId);
      if (state.settledFailureFrom(model).isPresent() || state.hasClassificationFrom(model)) {
        return false;
      }
      var failed =
          ClassificationFailed.of(
              imageId,
              state.version() + 1,
              clock.instant(),
              correlationId,
              new Failure(FailureReason.valueOf(rejected.code()), rejected.getMessage(), attempt, false, model));
      try {
        events.append(imageId, state.version(), List.of(failed));
        return true;
      } catch (ConcurrencyConflictException lostRace) {
        // someone appended meanwhile: look again
      }
    }
    return false;
  }
}
