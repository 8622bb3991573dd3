package io.catwrangler.core.query;

import io.catwrangler.core.error.InvalidRequestException;
import io.catwrangler.core.error.NotFoundException;
import io.catwrangler.core.port.BatchPage;
import io.catwrangler.core.port.BatchResult;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.Page;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.core.port.ResultView;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.Classification;
import io.catwrangler.events.Event;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.ImageStatus;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * The read side of the API: an image's answer, its history, a batch's images. Ids arrive as the client typed
 * them: malformed → {@link InvalidRequestException} (400), unknown → {@link NotFoundException} (404).
 */
public final class QueryResults {
  public static final int DEFAULT_PAGE_SIZE = 100;

  private final ResultView view;
  private final EventStore events;

  public QueryResults(ResultView view, EventStore events) {
    this.view = Objects.requireNonNull(view, "view");
    this.events = Objects.requireNonNull(events, "events");
  }

  /**
   * The image's status and answer. Read from the view; an image the projector has not reached yet is folded from
   * its stream, so a client polling right after its upload sees PENDING, not 404.
   *
   * @param debug add the evidence; also added when any submission asked for it
   */
  public ImageAnswer image(String imageId, boolean debug) {
    ImageId id = parseImageId(imageId);
    ImageState state =
        view.image(id)
            .or(() -> Optional.of(ImageState.fold(id, events.read(id))).filter(ImageState::exists))
            .orElseThrow(() -> NotFoundException.image(id));
    return answer(state, debug || state.submissions().stream().anyMatch(r -> r.submission().debug()));
  }

  /** Every event of the image, oldest first. */
  public List<Event> history(String imageId) {
    ImageId id = parseImageId(imageId);
    List<Event> stream = events.read(id);
    if (stream.isEmpty()) {
      throw NotFoundException.image(id);
    }
    return stream;
  }

  /**
   * A page of the batch's images (by image id) with counts per status for the whole batch.
   *
   * @param cursor from the previous page
   * @param limit 1 to {@link PageRequest#MAX_LIMIT}
   */
  public BatchPage batch(String batchId, Optional<String> cursor, int limit) {
    BatchId id = parseBatchId(batchId);
    BatchPage page = read(() -> view.batch(id, pageRequest(cursor, limit)));
    if (page.total() == 0) {
      throw NotFoundException.batch(id);
    }
    return page;
  }

  /**
   * A page of the batch's export lines (by image id). The first page of a batch nobody named is a 404; a later page
   * may be empty (the images after the cursor went away in a rebuild).
   *
   * @param cursor from the previous page; empty for the first
   * @param limit 1 to {@link PageRequest#MAX_LIMIT}
   */
  public Page<BatchResult> results(String batchId, Optional<String> cursor, int limit) {
    BatchId id = parseBatchId(batchId);
    Page<BatchResult> results = read(() -> view.batchResults(id, pageRequest(cursor, limit)));
    if (cursor.isEmpty() && results.items().isEmpty()) {
      throw NotFoundException.batch(id);
    }
    return results;
  }

  private static BatchId parseBatchId(String batchId) {
    try {
      return BatchId.of(batchId);
    } catch (IllegalArgumentException e) {
      throw InvalidRequestException.invalidId("batch id", e);
    }
  }

  private static PageRequest pageRequest(Optional<String> cursor, int limit) {
    if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
      throw InvalidRequestException.invalidParameter("limit", "must be 1 to " + PageRequest.MAX_LIMIT);
    }
    return new PageRequest(cursor, limit);
  }

  /** A view read given a cursor: one the view did not issue is the client's mistake, a 400. */
  private static <T> T read(Supplier<T> pageRead) {
    try {
      return pageRead.get();
    } catch (IllegalArgumentException e) {
      throw InvalidRequestException.invalidParameter("cursor", "not a cursor of this batch");
    }
  }

  /** An image id as the client typed it (upper case accepted). @throws InvalidRequestException malformed */
  public static ImageId parseImageId(String imageId) {
    try {
      return ImageId.of(Objects.requireNonNull(imageId, "image id").toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw InvalidRequestException.invalidId("image id", e);
    }
  }

  private static ImageAnswer answer(ImageState state, boolean debug) {
    Optional<Classification> newest = state.classification().map(c -> c.classification());
    Optional<ImageDebug> detail = Optional.empty();
    Optional<ImageReceived> firstSubmission = state.submissions().stream().findFirst();
    if (debug && firstSubmission.isPresent()) {
      ImageReceived first = firstSubmission.get();
      detail =
          Optional.of(
              new ImageDebug(
                  first.submission().contentType(),
                  first.submission().byteSize(),
                  first.submission().width(),
                  first.submission().height(),
                  newest.map(Classification::detections).orElse(List.of()),
                  newest.map(Classification::orientedWidth).orElse(0),
                  newest.map(Classification::orientedHeight).orElse(0),
                  newest.map(Classification::timingsMs).orElse(Map.of()),
                  state.attempts(),
                  state.lastFailure(),
                  newest.map(Classification::raw).orElse(Map.of())));
    }
    return new ImageAnswer(
        state.imageId(),
        state.status(),
        newest.map(c -> Answer.of(c.isCat())),
        newest.map(c -> OptionalDouble.of(c.catScore())).orElse(OptionalDouble.empty()),
        newest.map(c -> OptionalDouble.of(c.threshold())).orElse(OptionalDouble.empty()),
        newest.map(Classification::model),
        newest.map(Classification::trigger),
        state.classification().map(Event::occurredAt),
        state.submissions().stream().map(SubmissionSummary::of).toList(),
        state.version(),
        state.status() == ImageStatus.FAILED ? state.lastFailure() : Optional.empty(),
        detail,
        state.label());
  }
}
