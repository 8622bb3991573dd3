package io.catwrangler.core.detection;

/** The detector could not run (model failed to load, runtime error, remote service throttled): worth a retry. */
public class DetectorUnavailableException extends RuntimeException {
  public DetectorUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
