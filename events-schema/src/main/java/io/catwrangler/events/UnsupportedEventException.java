package io.catwrangler.events;

/**
 * A well-formed event this code does not understand: a type it does not know, or a schema version newer than
 * {@link Event#SCHEMA_VERSION} (written by a newer release). Reported, never dropped, so a reader that is behind
 * stops rather than silently skipping history.
 */
public final class UnsupportedEventException extends EventCodecException {
  private final String type;
  private final int schemaVersion;

  public UnsupportedEventException(String type, int schemaVersion) {
    super("unsupported event: type " + type + ", schema version " + schemaVersion
        + " (this code reads schema version " + Event.SCHEMA_VERSION + ")", null);
    this.type = type;
    this.schemaVersion = schemaVersion;
  }

  public String type() {
    return type;
  }

  public int schemaVersion() {
    return schemaVersion;
  }
}
