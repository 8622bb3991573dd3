package io.catwrangler.events;

import java.time.Instant;
import java.util.Objects;

/** One submission of an image arrived and its bytes are stored. One event per submission, not per image. */
public record ImageReceived(EventEnvelope envelope, Submission submission) implements Event {
  public ImageReceived {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(submission, "submission");
  }

  public static ImageReceived of(
      ImageId imageId, long version, Instant occurredAt, String correlationId, Submission submission) {
    return new ImageReceived(
        EventEnvelope.create(imageId, version, EventType.IMAGE_RECEIVED, occurredAt, correlationId), submission);
  }

  @Override
  public EventType type() {
    return EventType.IMAGE_RECEIVED;
  }
}
