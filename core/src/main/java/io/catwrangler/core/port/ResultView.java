package io.catwrangler.core.port;

import io.catwrangler.events.BatchId;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The read side: image → its folded {@link ImageState} (status, answer, submissions, newest classification), and
 * batch → its images. The projector computes states with the one fold in events-schema and hands them here, so
 * every adapter shows the same thing; the adapter stores them (a document, e.g. {@code EventCodec.encodeState}, plus
 * whatever columns it indexes) and keeps the batch index. Idempotent by version: a row remembers the version of the
 * last event applied, and an older or equal state is skipped, so redelivered, duplicated or reordered updates are
 * harmless.
 */
public interface ResultView {

  /**
   * Stores the state unless the stored row for the image is already at {@code state.version()} or later; indexes
   * the image under every batch its submissions name. Atomic per image: concurrent saves of the same image keep the
   * newest version.
   *
   * @return true when written, false when skipped as old or duplicate
   */
  boolean save(ImageState state);

  /**
   * {@link #save}, told the row the caller read from this view just before ({@code stored}, empty when there was
   * none): an adapter may leave out what did not change, such as the entries of batches whose entry is the same, so
   * that one more submission of an image in many batches writes one batch entry, not all of them. Same result.
   */
  default boolean save(ImageState state, Optional<ImageState> stored) {
    return save(state);
  }

  /** A state to save, with the row the caller read before it (as for {@link #save(ImageState, Optional)}). */
  record Save(ImageState state, Optional<ImageState> stored) {
    public Save {
      java.util.Objects.requireNonNull(state, "state");
      java.util.Objects.requireNonNull(stored, "stored (use Optional.empty())");
    }
  }

  /**
   * {@link #save(ImageState, Optional)} for the states of several images (one each), as a projector saves what one
   * delivery of events changed; true for each written. The default saves them one by one; an adapter that writes
   * several at less cost than each on its own overrides it (DynamoDB: the batch entries of all of them go in shared
   * transactions with their batches' counters). Same result.
   */
  default List<Boolean> saveEach(List<Save> saves) {
    List<Boolean> written = new ArrayList<>(saves.size());
    for (Save save : saves) {
      written.add(save(save.state(), save.stored()));
    }
    return written;
  }

  /** The stored state, or empty when the view has not seen the image. */
  Optional<ImageState> image(ImageId imageId);

  /** A page of the batch's images ordered by image id (entries built with {@link BatchEntry#of}), with counts. */
  BatchPage batch(BatchId batchId, PageRequest page);

  /**
   * A page of the batch's images ordered by image id, each as its whole stored state (for the export, which shows
   * model, threshold and times besides the answer); the cursor is the last image id of the page, as for
   * {@link #batch}. An adapter that can read the states of a page in one go overrides this: the default reads the
   * page's entries, then each state on its own.
   */
  default Page<ImageState> batchStates(BatchId batchId, PageRequest page) {
    BatchPage entries = batch(batchId, page);
    List<ImageState> states = new ArrayList<>(entries.images().size());
    for (BatchEntry entry : entries.images()) {
      image(entry.imageId()).ifPresent(states::add);
    }
    return new Page<>(states, entries.nextCursor());
  }

  /**
   * A page of the batch's export lines ({@link BatchResult#of} of each state), ordered by image id, the cursor as
   * for {@link #batch}. The default builds them from {@link #batchStates}; an adapter that can read the few fields a
   * line needs without decoding whole states overrides it (SQLite: decoding is most of an export's time).
   */
  default Page<BatchResult> batchResults(BatchId batchId, PageRequest page) {
    Page<ImageState> states = batchStates(batchId, page);
    return new Page<>(states.items().stream().map(s -> BatchResult.of(s, batchId)).toList(), states.nextCursor());
  }

  /**
   * The batch's counts: per status, and yes and no among its answers. The default reads the whole listing page by
   * page; an adapter that keeps counts per batch overrides it (DynamoDB: one item read, whatever the batch's size).
   */
  default BatchCounts batchCounts(BatchId batchId) {
    PageRequest page = PageRequest.first(PageRequest.MAX_LIMIT);
    BatchCounts counts = BatchCounts.NONE;
    while (true) {
      BatchPage current = batch(batchId, page);
      for (BatchEntry entry : current.images()) {
        counts = counts.plus(BatchCounts.of(entry));
      }
      if (current.nextCursor().isEmpty()) {
        return counts;
      }
      page = page.next(current.nextCursor().get());
    }
  }

  /** Forgets one image (its row and its batch entries), before rebuilding it from its stream. */
  void remove(ImageId imageId);

  /** Forgets everything, before a rebuild from the event store. */
  void reset();
}
