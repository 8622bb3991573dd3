package io.catwrangler.aws;

import io.catwrangler.aws.internal.LeastRecentlyUsed;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.ImageId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The batch ids of the view rows a {@link DynamoDbResultView} read most recently, with the row's version. A row
 * lists every batch its image was ever sent in, while its state document keeps only the newest submissions; a save
 * right after a read (the projector's) needs the whole list without a second read. Bounded (least recently used
 * out), shared by the threads of one view.
 */
final class RowBatches {
  private record Row(long version, List<BatchId> batchIds) {}

  private final Map<ImageId, Row> rows;

  RowBatches(int capacity) {
    this.rows = LeastRecentlyUsed.map(capacity);
  }

  synchronized void put(ImageId imageId, long version, List<BatchId> batchIds) {
    rows.put(imageId, new Row(version, List.copyOf(batchIds)));
  }

  /** The batch ids of the row at exactly {@code version}, if this view read it. */
  synchronized Optional<List<BatchId>> get(ImageId imageId, long version) {
    Row row = rows.get(imageId);
    return row != null && row.version() == version ? Optional.of(row.batchIds()) : Optional.empty();
  }
}
