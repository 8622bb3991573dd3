package io.catwrangler.core.port;

import io.catwrangler.events.ImageId;

/**
 * An append expected the stream at one version and found it at another: someone else appended first (or the
 * caller's view of the stream is stale). Nothing of the append was written. Reload, re-decide, try again.
 */
public final class ConcurrencyConflictException extends RuntimeException {
  private final ImageId imageId;
  private final long expectedVersion;

  public ConcurrencyConflictException(ImageId imageId, long expectedVersion) {
    this(imageId, expectedVersion, null);
  }

  public ConcurrencyConflictException(ImageId imageId, long expectedVersion, Throwable cause) {
    super("stream " + imageId + " is not at version " + expectedVersion, cause);
    this.imageId = imageId;
    this.expectedVersion = expectedVersion;
  }

  public ImageId imageId() {
    return imageId;
  }

  public long expectedVersion() {
    return expectedVersion;
  }
}
