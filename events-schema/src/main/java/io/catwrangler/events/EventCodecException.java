package io.catwrangler.events;

/** A stored or received event could not be turned into an {@link Event}. Never swallowed: the caller decides. */
public abstract sealed class EventCodecException extends RuntimeException
    permits UnsupportedEventException, MalformedEventException {
  protected EventCodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
