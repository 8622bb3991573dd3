package io.catwrangler.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A person labelled the image: cat or not. The answer stays the model's; the newest label stands beside it (every
 * label stays in the stream). A label changes neither the status nor the answer.
 */
public record LabelRecorded(EventEnvelope envelope, Label label) implements Event {
  public LabelRecorded {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(label, "label");
  }

  public static LabelRecorded of(ImageId imageId, long version, Instant occurredAt, String correlationId, Label label) {
    return new LabelRecorded(
        EventEnvelope.create(imageId, version, EventType.LABEL_RECORDED, occurredAt, correlationId), label);
  }

  @Override
  public EventType type() {
    return EventType.LABEL_RECORDED;
  }
}
