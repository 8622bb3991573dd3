package io.catwrangler.events;

import java.time.Instant;
import java.util.Objects;

/**
 * The image has an answer. A stream may hold several (a re-decision at a new threshold, a re-run with a new model):
 * the newest one is the answer.
 */
public record ClassificationSucceeded(EventEnvelope envelope, Classification classification) implements Event {
  public ClassificationSucceeded {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(classification, "classification");
  }

  public static ClassificationSucceeded of(
      ImageId imageId, long version, Instant occurredAt, String correlationId, Classification classification) {
    return new ClassificationSucceeded(
        EventEnvelope.create(imageId, version, EventType.CLASSIFICATION_SUCCEEDED, occurredAt, correlationId),
        classification);
  }

  @Override
  public EventType type() {
    return EventType.CLASSIFICATION_SUCCEEDED;
  }
}
