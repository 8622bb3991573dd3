package io.catwrangler.core.classify;

import io.catwrangler.core.classify.ClassifyDecision.Decision;
import io.catwrangler.core.classify.ClassifyDecision.Detected;
import io.catwrangler.core.classify.ClassifyDecision.Round;
import io.catwrangler.core.config.PipelineConfig;
import io.catwrangler.core.detection.CatDetector;
import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.detection.DetectorUnavailableException;
import io.catwrangler.core.error.NotFoundException;
import io.catwrangler.core.error.RequestException;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.ConcurrencyConflictException;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.ImageStore;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.core.port.StoreRejectedException;
import io.catwrangler.core.port.UnitOfWork;
import io.catwrangler.events.Classification;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.EventCodecException;
import io.catwrangler.events.FailureReason;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Classifies images, a batch of requests at a time, idempotently on the sha256: however many submissions,
 * redeliveries and concurrent workers, the stream gets exactly one detector answer per image and model version.
 *
 * <p>Per request: fold the stream; add the submission's {@code ImageReceived} if it is not there (the S3 path has
 * no ingest step); if the current model has answered already, or has found these bytes at fault, record nothing
 * more; otherwise run the detector and append its answer with the version the decision was based on. A lost race
 * ({@link ConcurrencyConflictException}) means someone else appended: reload and decide again, reusing the detector
 * result already in hand — usually the winner's answer is there and this request ends as already classified.
 *
 * <p>A detector error is worth a retry: it is recorded as a retryable failure (history shows the attempts) and the
 * request is to be delivered again, except on the last allowed attempt, which records RETRIES_EXHAUSTED instead.
 * Bytes the detector rejects (a truncated JPEG, say) fail terminally at once.
 */
public final class ClassifyImages {
  private static final System.Logger LOG = System.getLogger(ClassifyImages.class.getName());
  private static final Consumer<ClassifyOutcome> NOTHING_WITH_THE_RECORD = outcome -> {};

  private final EventStore events;
  private final ImageStore images;
  private final CatDetector detector;
  private final Clock clock;
  private final int maxAttempts;
  private final int maxConflictRetries;
  private final UnitOfWork unit;

  public ClassifyImages(
      EventStore events, ImageStore images, CatDetector detector, Clock clock, PipelineConfig config) {
    this(events, images, detector, clock, config.maxAttempts(), config.maxConflictRetries(),
        UnitOfWork.EACH_ON_ITS_OWN);
  }

  private ClassifyImages(EventStore events, ImageStore images, CatDetector detector, Clock clock, int maxAttempts,
      int maxConflictRetries, UnitOfWork unit) {
    this.events = Objects.requireNonNull(events, "events");
    this.images = Objects.requireNonNull(images, "images");
    this.detector = Objects.requireNonNull(detector, "detector");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxAttempts = maxAttempts;
    this.maxConflictRetries = maxConflictRetries;
    this.unit = Objects.requireNonNull(unit, "unit of work");
  }

  /**
   * This use case appending an answer and the caller's work that goes with it ({@link #classify(ClassifyAttempt,
   * Consumer)}: embedded, the queue's ack) in one step of {@code unit}.
   */
  public ClassifyImages inOneStep(UnitOfWork unit) {
    return new ClassifyImages(events, images, detector, clock, maxAttempts, maxConflictRetries, unit);
  }

  /**
   * One outcome per attempt, in the same order. A request that fails in an unexpected way fails alone (as
   * {@link ClassifyOutcome.RetryLater}); the others go on.
   */
  public List<ClassifyOutcome> classify(List<ClassifyAttempt> attempts) {
    List<ClassifyOutcome> outcomes = new ArrayList<>(attempts.size());
    for (ClassifyAttempt attempt : attempts) {
      outcomes.add(classify(attempt));
    }
    return outcomes;
  }

  public ClassifyOutcome classify(ClassifyAttempt attempt) {
    return classify(attempt, NOTHING_WITH_THE_RECORD);
  }

  /**
   * {@link #classify(ClassifyAttempt)}, calling {@code withRecord} with the outcome in the same step as the events
   * recorded for it (one transaction where the {@link #inOneStep unit of work} can), and only when something is
   * recorded. The returned outcome is the very object {@code withRecord} was given exactly when that step took
   * effect; when it failed afterwards (a commit refused, say), another outcome ({@link ClassifyOutcome.RetryLater})
   * comes back, and nothing of the step, {@code withRecord}'s work included, was kept.
   */
  public ClassifyOutcome classify(ClassifyAttempt attempt, Consumer<ClassifyOutcome> withRecord) {
    Objects.requireNonNull(withRecord, "with record");
    ClassifyRequest request = attempt.request();
    return guarded(
        request.imageId(),
        () -> settle(request.imageId(), Optional.of(request), attempt.attempt(), request.correlationId(), withRecord));
  }

  /**
   * Runs the current model on a stored image unless it has answered for it already (operator replay after a model
   * change). A detector error records nothing and reports {@link ClassifyOutcome.RetryLater}.
   *
   * @throws NotFoundException no such image
   */
  public ClassifyOutcome reclassify(ImageId imageId, String correlationId) {
    return guarded(imageId, () -> settle(imageId, Optional.empty(), 1, correlationId, NOTHING_WITH_THE_RECORD));
  }

  /** The model this classifier records, from the detector. */
  public DetectorModel model() {
    return detector.model();
  }

  private interface Step {
    ClassifyOutcome run();
  }

  private ClassifyOutcome guarded(ImageId imageId, Step step) {
    try {
      return step.run();
    } catch (RequestException e) {
      throw e;
    } catch (StorageUnavailableException e) {
      return new ClassifyOutcome.RetryLater(imageId, "store unavailable: " + e.getMessage());
    } catch (StoreRejectedException e) {
      // permanent for the store (access denied, an item too large): retried, then dead-lettered for an operator
      LOG.log(Level.ERROR, "classify " + imageId + ": a store refused (" + e.code() + "): " + e.getMessage());
      return new ClassifyOutcome.RetryLater(imageId, "store refused (" + e.code() + "): " + e.getMessage());
    } catch (EventCodecException e) {
      // e.g. events written by a newer release: leave the request to a worker that can read them
      return new ClassifyOutcome.RetryLater(imageId, "stream unreadable: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "classify " + imageId + " failed unexpectedly", e);
      return new ClassifyOutcome.RetryLater(imageId, "unexpected " + e.getClass().getSimpleName());
    }
  }

  /**
   * Folds, asks {@link ClassifyDecision} what to record, runs the detector when it must (at most once, however many
   * races are lost), and appends.
   *
   * @param request present for a delivery (its submission is recorded if missing); empty for a reclassify
   */
  private ClassifyOutcome settle(ImageId imageId, Optional<ClassifyRequest> request, int attempt, String correlationId,
      Consumer<ClassifyOutcome> withRecord) {
    DetectorModel model = detector.model();
    Optional<Detected> detected = Optional.empty();
    for (int race = 0; race <= maxConflictRetries; race++) {
      ImageState state = events.state(imageId);
      var facts = new Round(imageId, request, attempt, maxAttempts, correlationId, model, clock.instant());
      Decision decision = ClassifyDecision.decide(state, facts, detected);
      if (decision instanceof Decision.RunDetector) {
        detected = Optional.of(detect(facts));
        decision = ClassifyDecision.decide(state, facts, detected);
      }
      Decision.Record record = (Decision.Record) decision;
      if (record.events().isEmpty()) {
        return record.outcome();
      }
      try {
        return unit.atomically(
            () -> {
              events.append(imageId, state.version(), record.events());
              withRecord.accept(record.outcome());
              return record.outcome();
            });
      } catch (ConcurrencyConflictException lostRace) {
        LOG.log(Level.DEBUG, () -> "lost the race for " + imageId + " at version " + lostRace.expectedVersion());
      }
    }
    return new ClassifyOutcome.RetryLater(
        imageId, "stream " + imageId + " kept changing (" + (maxConflictRetries + 1) + " lost races)");
  }

  /** The detector's result for the stored bytes, with every failure turned into a value. */
  private Detected detect(Round round) {
    ImageId imageId = round.imageId();
    Optional<byte[]> bytes = images.get(imageId);
    if (bytes.isEmpty()) {
      // the bytes are stored before any request is queued: missing bytes are an outage (or lost data), not bad input
      return new Detected.Unavailable("image bytes not found in the image store");
    }
    try {
      CatVerdict verdict = detector.detect(bytes.get());
      // built here so a verdict that breaks the event's rules (a NaN score, say) counts as a detector error
      return new Detected.Answer(classification(verdict, round));
    } catch (ImageRejectedException e) {
      return new Detected.Rejected(FailureReason.valueOf(e.code()), e.getMessage());
    } catch (DetectorUnavailableException e) {
      return new Detected.Unavailable("detector unavailable: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "detector failed on " + imageId, e);
      return new Detected.Unavailable("detector error: " + e.getClass().getSimpleName());
    }
  }

  /** The verdict as recorded, under the model the decision was keyed on (the detector's, asked once per request). */
  private static Classification classification(CatVerdict verdict, Round round) {
    return new Classification(
        verdict.isCat(),
        verdict.catScore(),
        verdict.threshold(),
        verdict.detections(),
        round.model(),
        verdict.timings().millis(),
        verdict.width(),
        verdict.height(),
        verdict.raw(),
        round.attempt(),
        round.trigger(),
        OptionalLong.empty());
  }
}
