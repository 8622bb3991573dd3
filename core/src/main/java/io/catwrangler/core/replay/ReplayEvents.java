package io.catwrangler.core.replay;

import io.catwrangler.core.classify.ClassifyImages;
import io.catwrangler.core.classify.ClassifyOutcome;
import io.catwrangler.core.config.PipelineConfig;
import io.catwrangler.core.error.NotFoundException;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.ConcurrencyConflictException;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.Page;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.core.port.ReplayCheckpoints;
import io.catwrangler.core.port.ResultView;
import io.catwrangler.core.port.ClassifyQueue;
import io.catwrangler.events.Classification;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.ImageState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Operator replays ({@code POST /admin/replay}). The event store is the truth; everything here either rebuilds the
 * view from it or appends new events to it — nothing is ever rewritten.
 *
 * <ul>
 *   <li><b>rebuild</b>: forget the view and fold every stream again; the result equals the view the projector
 *       built event by event.
 *   <li><b>redecide</b>: for every image whose newest classification was decided at another threshold, append a
 *       {@code ClassificationSucceeded} (trigger {@code redecide}) with the stored score at the new threshold — no
 *       detector run. Appended when the threshold differs, even if the yes/no stays the same, so every answer
 *       states the threshold it stands on; running it twice appends nothing the second time.
 *   <li><b>reclassify</b>: run the current model on every image it has not answered for yet (after a model
 *       upgrade); images it answered already are left alone, so an interrupted run can simply be started again.
 *       Where the detector runs in another process ({@link #queueing}: AWS, where classify-fn has the model), one
 *       re-classification request per image goes to the classify queue instead, and that classifier applies the
 *       same rule when it reads them.
 * </ul>
 *
 * Appends go through the same optimistic concurrency as the pipeline; the projector picks them up as usual.
 */
public final class ReplayEvents {
  private static final int PAGE = 500;

  private final EventStore events;
  private final ResultView view;
  /** Runs a re-classification of one image, here or by queueing it. */
  private interface Reclassifier {
    ReplayReport reclassify(ImageId imageId, String correlationId);

    /** The same for a page of images. */
    default ReplayReport reclassifyAll(List<ImageId> imageIds, String correlationId) {
      ReplayReport total = new ReplayReport(0, 0, 0, 0);
      for (ImageId id : imageIds) {
        total = total.plus(reclassify(id, correlationId));
      }
      return total;
    }
  }

  private final Reclassifier reclassifier;
  private final Clock clock;
  private final PipelineConfig config;
  private final ReplayCheckpoints checkpoints;
  /** The name a re-classification of every image keeps its checkpoint under. */
  public static final String RECLASSIFY_ALL = "reclassify";

  /** Replays that re-classify with {@code classifier}, in this process (the embedded runtime). */
  public ReplayEvents(
      EventStore events, ResultView view, ClassifyImages classifier, Clock clock, PipelineConfig config) {
    this(events, view, inProcess(events, classifier), clock, config, ReplayCheckpoints.NONE);
  }

  /**
   * Replays whose re-classifications go to {@code queue}, for a classifier in another process to answer (AWS: the
   * admin function has no detector; classify-fn reads the queue). Rebuild and re-decide run here as usual.
   */
  public static ReplayEvents queueing(
      EventStore events, ResultView view, ClassifyQueue queue, Clock clock, PipelineConfig config) {
    return queueing(events, view, queue, clock, config, ReplayCheckpoints.NONE);
  }

  /**
   * {@link #queueing}, with a re-classification of every image that goes on after the last page an interrupted
   * call queued ({@code checkpoints}) instead of queueing every image again.
   */
  public static ReplayEvents queueing(
      EventStore events, ResultView view, ClassifyQueue queue, Clock clock, PipelineConfig config,
      ReplayCheckpoints checkpoints) {
    return new ReplayEvents(events, view, queued(events, queue), clock, config, checkpoints);
  }

  private ReplayEvents(
      EventStore events, ResultView view, Reclassifier reclassifier, Clock clock, PipelineConfig config,
      ReplayCheckpoints checkpoints) {
    this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    this.events = Objects.requireNonNull(events, "events");
    this.view = Objects.requireNonNull(view, "view");
    this.reclassifier = reclassifier;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Resets the view and re-projects every stream; returns how many images it holds again. */
  public long rebuild() {
    view.reset();
    return forEachImage(id -> {
      view.save(ImageState.fold(id, events.read(id)));
      return new ReplayReport(1, 0, 0, 0);
    }).images();
  }

  /** Rebuilds one image's row from its stream. @throws NotFoundException no such image */
  public void rebuild(ImageId imageId) {
    ImageState state = ImageState.fold(imageId, events.read(imageId));
    if (!state.exists()) {
      throw NotFoundException.image(imageId);
    }
    view.remove(imageId);
    view.save(state);
  }

  /** Re-decides every image at the configured threshold. */
  public ReplayReport redecide() {
    return redecide(config.threshold());
  }

  /** Re-decides every image at {@code threshold}, from the stored scores. */
  public ReplayReport redecide(double threshold) {
    requireThreshold(threshold);
    String correlationId = "redecide-" + UUID.randomUUID();
    return forEachImage(id -> redecide(id, threshold, correlationId));
  }

  /** Re-decides one image. @throws NotFoundException no such image */
  public ReplayReport redecide(ImageId imageId, double threshold) {
    requireThreshold(threshold);
    if (events.read(imageId).isEmpty()) {
      throw NotFoundException.image(imageId);
    }
    return redecide(imageId, threshold, "redecide-" + UUID.randomUUID());
  }

  /** Runs (or queues) the current model on every image it has not answered for. */
  public ReplayReport reclassify() {
    String correlationId = "reclassify-" + UUID.randomUUID();
    // each page is checkpointed once queued: a call cut off (a function's timeout) goes on from the last one; the
    // page it was cut off in is queued again, which the classifier's idempotency makes harmless
    // (a page with images left for later stops the checkpoint there: the next call queues them again)
    Optional<String> after = checkpoints.resumeAfter(RECLASSIFY_ALL);
    PageRequest first = after.map(c -> PageRequest.first(PAGE).next(c)).orElse(PageRequest.first(PAGE));
    AtomicBoolean whole = new AtomicBoolean(true);
    ReplayReport report = forEachPage(first, ids -> {
      ReplayReport page = reclassifier.reclassifyAll(ids, correlationId);
      if (page.retryLater() > 0) {
        whole.set(false);
      }
      return page;
    }, cursor -> {
      if (whole.get()) {
        checkpoints.reached(RECLASSIFY_ALL, cursor);
      }
    });
    if (whole.get()) {
      checkpoints.finished(RECLASSIFY_ALL);
    }
    return report;
  }

  /**
   * Runs (or queues) the current model on one image unless it answered already.
   *
   * @throws NotFoundException no such image
   */
  public ReplayReport reclassify(ImageId imageId) {
    return reclassifier.reclassify(imageId, "reclassify-" + UUID.randomUUID());
  }

  private ReplayReport redecide(ImageId imageId, double threshold, String correlationId) {
    for (int round = 0; round <= config.maxConflictRetries(); round++) {
      ImageState state = ImageState.fold(imageId, events.read(imageId));
      Optional<ClassificationSucceeded> newest = state.classification();
      if (newest.isEmpty() || newest.get().classification().threshold() == threshold) {
        return new ReplayReport(1, 0, 0, 0);
      }
      Classification before = newest.get().classification();
      Classification after = before.redecided(threshold, newest.get().version());
      try {
        events.append(
            imageId,
            state.version(),
            List.of(
                ClassificationSucceeded.of(imageId, state.version() + 1, clock.instant(), correlationId, after)));
        return new ReplayReport(1, 1, before.isCat() == after.isCat() ? 0 : 1, 0);
      } catch (ConcurrencyConflictException lostRace) {
        // someone appended meanwhile (perhaps a new classification): decide again on the new newest
      }
    }
    return new ReplayReport(1, 0, 0, 1);
  }

  /** Runs the classifier here; reports what it appended and whether the answer changed. */
  private static Reclassifier inProcess(EventStore events, ClassifyImages classifier) {
    Objects.requireNonNull(classifier, "classifier");
    return (imageId, correlationId) -> {
      Optional<Boolean> before = ImageState.fold(imageId, events.read(imageId)).isCat();
      ClassifyOutcome outcome = classifier.reclassify(imageId, correlationId);
      if (outcome instanceof ClassifyOutcome.Succeeded succeeded) {
        boolean changed = !before.equals(Optional.of(succeeded.event().classification().isCat()));
        return new ReplayReport(1, 1, changed ? 1 : 0, 0);
      }
      if (outcome instanceof ClassifyOutcome.FailedTerminal failed) {
        return new ReplayReport(1, failed.recordedNow() ? 1 : 0, 0, 0);
      }
      return new ReplayReport(1, 0, 0, outcome.settled() ? 0 : 1);
    };
  }

  /**
   * Queues a re-classification per image carrying its newest submission (the classifier records no new one), a
   * page of images at a time through {@link ClassifyQueue#enqueueAll} (SQS: ten to a call).
   */
  private static Reclassifier queued(EventStore events, ClassifyQueue queue) {
    Objects.requireNonNull(queue, "queue");
    return new Reclassifier() {
      @Override
      public ReplayReport reclassify(ImageId imageId, String correlationId) {
        return reclassifyAll(List.of(imageId), correlationId);
      }

      @Override
      public ReplayReport reclassifyAll(List<ImageId> imageIds, String correlationId) {
        List<ClassifyRequest> requests = new ArrayList<>(imageIds.size());
        for (ImageId imageId : imageIds) {
          ImageState state = ImageState.fold(imageId, events.read(imageId));
          if (!state.exists()) {
            throw NotFoundException.image(imageId);
          }
          List<ImageReceived> submissions = state.submissions();
          // refused before any submission was recorded: nothing to classify
          if (!submissions.isEmpty()) {
            requests.add(ClassifyRequest.reclassify(submissions.get(submissions.size() - 1), correlationId));
          }
        }
        int queued = requests.isEmpty() ? 0 : queue.enqueueAll(requests);
        return new ReplayReport(imageIds.size(), 0, 0, requests.size() - queued, queued);
      }
    };
  }

  private ReplayReport forEachImage(Function<ImageId, ReplayReport> action) {
    return forEachPage(ids -> {
      ReplayReport total = new ReplayReport(0, 0, 0, 0);
      for (ImageId id : ids) {
        total = total.plus(action.apply(id));
      }
      return total;
    });
  }

  private ReplayReport forEachPage(Function<List<ImageId>, ReplayReport> action) {
    return forEachPage(PageRequest.first(PAGE), action, cursor -> {});
  }

  /** @param done told the cursor of each page whose action returned, except the last page's (it has none) */
  private ReplayReport forEachPage(
      PageRequest first, Function<List<ImageId>, ReplayReport> action, Consumer<String> done) {
    ReplayReport total = new ReplayReport(0, 0, 0, 0);
    PageRequest request = first;
    while (true) {
      Page<ImageId> page = events.imageIds(request);
      total = total.plus(action.apply(page.items()));
      if (page.nextCursor().isEmpty()) {
        return total;
      }
      done.accept(page.nextCursor().get());
      request = request.next(page.nextCursor().get());
    }
  }

  private static void requireThreshold(double threshold) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in [0, 1], was " + threshold);
    }
  }
}
