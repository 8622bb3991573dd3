package io.catwrangler.core.port;

/**
 * A store could not write because its disk (or quota) is full. Unlike other outages it does not pass by itself in a
 * second: someone must free space. The API answers {@code 507 INSUFFICIENT_STORAGE}; work waits, nothing is lost.
 */
public class StorageFullException extends StorageUnavailableException {
  public StorageFullException(String message, Throwable cause) {
    super(message, cause);
  }
}
