package io.catwrangler.core.port;

import io.catwrangler.events.Event;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import java.util.List;

/**
 * The append-only event table: one stream per image, keyed by its sha256, versions 1, 2, 3, … without gaps.
 * Writers use optimistic concurrency: an append names the version it expects the stream to be at, and only one of
 * several concurrent appends at the same version can win (SQLite: a unique key on image id + version in one
 * transaction; DynamoDB: a transactional put with {@code attribute_not_exists} on the key, plus a condition on the
 * expected version).
 */
public interface EventStore {

  /**
   * Appends {@code events} atomically (all or none) if the stream is exactly at {@code expectedVersion}
   * (0 for a stream that does not exist yet).
   *
   * @param events non-empty, all of {@code imageId}, with versions {@code expectedVersion + 1, + 2, …}
   * @throws ConcurrencyConflictException the stream is at another version; nothing was written
   * @throws IllegalArgumentException the events break the rules above ({@link #requireAppendable})
   * @throws StorageUnavailableException the store could not be reached; the append may or may not have happened
   *     (a retry will then see a conflict, and the deterministic event ids tell whose events are there)
   */
  void append(ImageId imageId, long expectedVersion, List<? extends Event> events);

  /** The whole stream, oldest first; empty for an image never seen. */
  List<Event> read(ImageId imageId);

  /**
   * The image's state as a decision needs it (ingest, classify): exact in version, status, answers, models,
   * attempts and failures, read consistently. An adapter may carry only the newest submissions in it (enough to
   * tell whether one just sent is recorded) so that the read does not grow with the image's submissions; the
   * default folds the whole stream.
   */
  default ImageState state(ImageId imageId) {
    return ImageState.fold(imageId, read(imageId));
  }

  /**
   * Every image id that has a stream, one page at a time, each exactly once across the pages (order is the
   * adapter's). For rebuilds and replays.
   */
  Page<ImageId> imageIds(PageRequest page);

  /** The argument checks every adapter makes before writing anything. */
  static void requireAppendable(ImageId imageId, long expectedVersion, List<? extends Event> events) {
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expected version must not be negative");
    }
    if (events.isEmpty()) {
      throw new IllegalArgumentException("nothing to append");
    }
    long next = expectedVersion + 1;
    for (Event event : events) {
      if (!event.imageId().equals(imageId)) {
        throw new IllegalArgumentException("event of image " + event.imageId() + " in stream " + imageId);
      }
      if (event.version() != next) {
        throw new IllegalArgumentException(
            "event version " + event.version() + " where " + next + " was due (expected version " + expectedVersion
                + ")");
      }
      next++;
    }
  }
}
