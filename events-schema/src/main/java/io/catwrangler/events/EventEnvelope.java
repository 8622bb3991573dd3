package io.catwrangler.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * The fields every event carries besides its payload. {@code type} and {@code schema_version} are not stored here:
 * the type is the event's class, and an event in memory is always of the current schema version (the codec
 * rejects or upgrades others).
 *
 * @param version 1, 2, … within the image's stream
 * @param eventId deterministic ({@link #eventIdOf}), so a retried write of the same stream position is recognisable
 * @param occurredAt UTC, cut to milliseconds so every store keeps it exactly
 * @param correlationId ties the event to the request or message that caused it (a submission id, a request id)
 */
public record EventEnvelope(ImageId imageId, long version, UUID eventId, Instant occurredAt, String correlationId) {
  public static final int MAX_CORRELATION_ID = 256;

  public EventEnvelope {
    Objects.requireNonNull(imageId, "image id");
    if (version < 1) {
      throw new IllegalArgumentException("a stream version starts at 1, was " + version);
    }
    Objects.requireNonNull(eventId, "event id");
    occurredAt = Objects.requireNonNull(occurredAt, "occurred at").truncatedTo(ChronoUnit.MILLIS);
    Objects.requireNonNull(correlationId, "correlation id");
    if (correlationId.isBlank()
        || correlationId.length() > MAX_CORRELATION_ID
        || correlationId.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("a correlation id is 1 to 256 printable characters");
    }
  }

  /** The envelope of a new event at {@code version} of the image's stream, with its deterministic id. */
  public static EventEnvelope create(
      ImageId imageId, long version, EventType type, Instant occurredAt, String correlationId) {
    return new EventEnvelope(imageId, version, eventIdOf(imageId, version, type), occurredAt, correlationId);
  }

  /**
   * A name-based (version 5) UUID of image id, version and type: the same stream position and type always gets the
   * same id, in any process.
   */
  public static UUID eventIdOf(ImageId imageId, long version, EventType type) {
    return NameBasedUuid.of("event:" + imageId.value() + ":" + version + ":" + type.wireName());
  }
}
