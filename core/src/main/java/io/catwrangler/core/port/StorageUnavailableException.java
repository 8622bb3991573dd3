package io.catwrangler.core.port;

/**
 * A store or queue could not be reached, timed out or was throttled. Transient: the work is worth retrying later.
 * Adapters wrap their I/O errors in it so use cases can tell "try again" from "this input is wrong" by type.
 */
public class StorageUnavailableException extends RuntimeException {
  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
