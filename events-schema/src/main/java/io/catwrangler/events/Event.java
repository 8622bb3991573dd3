package io.catwrangler.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Something that happened to one image, recorded in the image's stream (keyed by its sha256). An event is an
 * envelope ({@link EventEnvelope}) and a payload; the closed set of types is this sealed interface.
 */
public sealed interface Event permits ImageReceived, ClassificationSucceeded, ClassificationFailed, LabelRecorded {

  /** The schema version this code writes and the highest it reads. */
  int SCHEMA_VERSION = 1;

  EventEnvelope envelope();

  EventType type();

  default ImageId imageId() {
    return envelope().imageId();
  }

  default long version() {
    return envelope().version();
  }

  default UUID eventId() {
    return envelope().eventId();
  }

  default Instant occurredAt() {
    return envelope().occurredAt();
  }

  default String correlationId() {
    return envelope().correlationId();
  }

  default int schemaVersion() {
    return SCHEMA_VERSION;
  }
}
