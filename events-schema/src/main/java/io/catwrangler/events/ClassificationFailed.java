package io.catwrangler.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A classification attempt failed. Retryable failures are history (the attempt is retried, the image stays
 * PENDING); a terminal one ends the attempt run (FAILED, unless an earlier answer exists).
 */
public record ClassificationFailed(EventEnvelope envelope, Failure failure) implements Event {
  public ClassificationFailed {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(failure, "failure");
  }

  public static ClassificationFailed of(
      ImageId imageId, long version, Instant occurredAt, String correlationId, Failure failure) {
    return new ClassificationFailed(
        EventEnvelope.create(imageId, version, EventType.CLASSIFICATION_FAILED, occurredAt, correlationId), failure);
  }

  @Override
  public EventType type() {
    return EventType.CLASSIFICATION_FAILED;
  }
}
