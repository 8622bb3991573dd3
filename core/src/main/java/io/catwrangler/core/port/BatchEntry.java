package io.catwrangler.core.port;

import io.catwrangler.events.BatchId;
import io.catwrangler.events.FileName;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.ImageStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One image in a batch listing.
 *
 * @param fileNames the names the image was submitted under in this batch, oldest first
 */
public record BatchEntry(
    ImageId imageId, ImageStatus status, Optional<Boolean> isCat, OptionalDouble catScore, List<FileName> fileNames) {
  public BatchEntry {
    Objects.requireNonNull(imageId, "image id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(isCat, "is cat (use Optional.empty())");
    Objects.requireNonNull(catScore, "cat score (use OptionalDouble.empty())");
    fileNames = List.copyOf(fileNames);
  }

  /** The entry for an image's state within one batch: every adapter builds its listing with this. */
  public static BatchEntry of(ImageState state, BatchId batchId) {
    List<FileName> names =
        state.submissions().stream()
            .map(r -> r.submission())
            .filter(s -> s.batchId().filter(batchId::equals).isPresent())
            .flatMap(s -> s.fileName().stream())
            .toList();
    return new BatchEntry(
        state.imageId(),
        state.status(),
        state.isCat(),
        state.classification()
            .map(c -> OptionalDouble.of(c.classification().catScore()))
            .orElse(OptionalDouble.empty()),
        names);
  }
}
