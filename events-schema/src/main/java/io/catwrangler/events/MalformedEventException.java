package io.catwrangler.events;

/** Not an event at all: not JSON, a required field missing or of the wrong kind, a value out of range. */
public final class MalformedEventException extends EventCodecException {
  public MalformedEventException(String message) {
    super(message, null);
  }

  public MalformedEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
