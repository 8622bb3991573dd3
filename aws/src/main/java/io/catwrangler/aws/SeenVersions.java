package io.catwrangler.aws;

import io.catwrangler.aws.internal.LeastRecentlyUsed;
import io.catwrangler.events.ImageId;
import java.util.Map;

/**
 * The highest version this process has seen in each of its most recently used streams (read or written). The
 * event table is append-only, so an item seen once exists for good: an append expecting a version at or below the
 * one seen needs no condition check on it. Bounded (least recently used out), shared by the threads of one store.
 */
final class SeenVersions {
  private final Map<ImageId, Long> versions;

  SeenVersions(int capacity) {
    this.versions = LeastRecentlyUsed.map(capacity);
  }

  synchronized void record(ImageId imageId, long version) {
    versions.merge(imageId, version, Math::max);
  }

  /** True when this process has seen {@code version} (or a later one) of the image's stream. */
  synchronized boolean atLeast(ImageId imageId, long version) {
    Long seen = versions.get(imageId);
    return seen != null && seen >= version;
  }
}
