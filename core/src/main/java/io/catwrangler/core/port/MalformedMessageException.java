package io.catwrangler.core.port;

/** A queue message that is not a {@link ClassifyRequest}. It fails alone: the rest of its batch goes on. */
public final class MalformedMessageException extends RuntimeException {
  public MalformedMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
