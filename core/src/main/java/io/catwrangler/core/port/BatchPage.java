package io.catwrangler.core.port;

import io.catwrangler.events.BatchId;
import io.catwrangler.events.ImageStatus;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a batch's images, ordered by image id, with the counts per status of the whole batch (not just the
 * page). A batch nobody named has no images and all counts zero.
 *
 * @param counts every status present, zero when none
 */
public record BatchPage(
    BatchId batchId, List<BatchEntry> images, Map<ImageStatus, Long> counts, Optional<String> nextCursor) {
  public BatchPage {
    Objects.requireNonNull(batchId, "batch id");
    images = List.copyOf(images);
    Map<ImageStatus, Long> all = new EnumMap<>(ImageStatus.class);
    for (ImageStatus status : ImageStatus.values()) {
      all.put(status, counts.getOrDefault(status, 0L));
    }
    counts = Collections.unmodifiableMap(all);
    Objects.requireNonNull(nextCursor, "next cursor (use Optional.empty())");
  }

  /** How many images the batch has. */
  public long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
