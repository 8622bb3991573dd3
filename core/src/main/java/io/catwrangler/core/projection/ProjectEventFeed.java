package io.catwrangler.core.projection;

import io.catwrangler.core.port.CheckpointedResultView;
import io.catwrangler.core.port.EventFeed;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.SequencedEvent;
import io.catwrangler.core.port.UnitOfWork;
import io.catwrangler.events.ImageState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The embedded projector: tails the event store's feed from the view's checkpoint and saves the new rows together
 * with the new checkpoint, one transaction per batch, so a crash neither loses nor repeats an update. A rebuild is
 * a {@code reset()} of the view followed by catching up from sequence 0. One tailer per view: the checkpoint is
 * read and moved without a lock of its own. Given a {@link UnitOfWork} of the store (embedded: one SQLite
 * transaction), a batch's reads — checkpoint, events, the rows they advance — and its save are one step.
 */
public final class ProjectEventFeed {
  private final EventFeed feed;
  private final CheckpointedResultView view;
  private final Projector projector;
  private final int batchSize;
  private final UnitOfWork unit;

  public ProjectEventFeed(EventFeed feed, EventStore events, CheckpointedResultView view, int batchSize) {
    this(feed, events, view, batchSize, UnitOfWork.EACH_ON_ITS_OWN);
  }

  /** @param unit what makes a batch's reads and its save one step */
  public ProjectEventFeed(
      EventFeed feed, EventStore events, CheckpointedResultView view, int batchSize, UnitOfWork unit) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1");
    }
    this.feed = Objects.requireNonNull(feed, "feed");
    this.view = Objects.requireNonNull(view, "view");
    this.projector = new Projector(Objects.requireNonNull(events, "events"));
    this.batchSize = batchSize;
    this.unit = Objects.requireNonNull(unit, "unit of work");
  }

  /** The most events {@link #catchUpOnce} reads: fewer means the feed had no more when it was read. */
  public int batchSize() {
    return batchSize;
  }

  /** Projects the next batch of the feed; returns how many events it read (0: the view is up to date). */
  public int catchUpOnce() {
    return unit.atomically(this::projectNextBatch);
  }

  private int projectNextBatch() {
    List<SequencedEvent> batch = feed.readAfter(view.checkpoint(), batchSize);
    if (batch.isEmpty()) {
      return 0;
    }
    List<ImageState> states =
        projector.advance(batch.stream().map(SequencedEvent::event).toList(), view::image).values().stream()
            .map(Projector.Advance::next)
            .flatMap(Optional::stream)
            .toList();
    view.saveAll(states, batch.get(batch.size() - 1).sequence());
    return batch.size();
  }

  /** Projects until the feed has nothing new; returns how many events it read. */
  public long catchUp() {
    long total = 0;
    int read;
    while ((read = catchUpOnce()) > 0) {
      total += read;
    }
    return total;
  }
}
