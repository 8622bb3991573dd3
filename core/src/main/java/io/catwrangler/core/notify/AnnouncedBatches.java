package io.catwrangler.core.notify;

import io.catwrangler.core.port.BatchCounts;
import io.catwrangler.core.port.ResultView;
import io.catwrangler.events.BatchId;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A batch's counts beside the size at which it was last announced complete, for a stream projector that has no
 * outbox of its own (AWS: both are attributes of the batch's counter item, read in one GetItem). A batch is announced
 * when nothing of it is PENDING and its size is not the one announced last, so the same completion seen again (a
 * redelivered stream batch, a rebuild) is not announced twice, and a batch that grows is announced again.
 */
public interface AnnouncedBatches {

  /** The batch's counts and the total last recorded by {@link #announced} (0 when never). */
  Tally tally(BatchId batchId);

  /** Records that the batch was announced complete with this total: after the publish succeeded. */
  void announced(BatchId batchId, long total);

  /** @param announcedTotal the total of the batch's last announced completion, 0 when none */
  record Tally(BatchCounts counts, long announcedTotal) {
    public Tally {
      Objects.requireNonNull(counts, "counts");
    }

    /** Complete (nothing PENDING, at least one image) at a size not announced yet. */
    public boolean owesCompletion() {
      return counts.pending() == 0 && counts.total() > 0 && counts.total() != announcedTotal;
    }
  }

  /** Counts from the view, announced sizes in memory: for one process (tests, a runtime without a counter item). */
  static AnnouncedBatches inMemory(ResultView view) {
    Objects.requireNonNull(view, "view");
    Map<BatchId, Long> announced = new ConcurrentHashMap<>();
    return new AnnouncedBatches() {
      @Override
      public Tally tally(BatchId batchId) {
        return new Tally(view.batchCounts(batchId), announced.getOrDefault(batchId, 0L));
      }

      @Override
      public void announced(BatchId batchId, long total) {
        announced.put(batchId, total);
      }
    };
  }
}
