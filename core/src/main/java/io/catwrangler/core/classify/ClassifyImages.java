package io.catwrangler.core.classify;

import io.catwrangler.core.config.PipelineConfig;
import io.catwrangler.core.detection.CatDetector;
import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.detection.DetectorUnavailableException;
import io.catwrangler.core.detection.ModelInfo;
import io.catwrangler.core.error.NotFoundException;
import io.catwrangler.core.error.RequestException;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.ConcurrencyConflictException;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.ImageStore;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.core.port.StoreRejectedException;
import io.catwrangler.events.Box;
import io.catwrangler.events.Classification;
import io.catwrangler.events.ClassificationFailed;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.ClassificationTrigger;
import io.catwrangler.events.DetectedObject;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.Event;
import io.catwrangler.events.EventCodecException;
import io.catwrangler.events.Failure;
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

  private final EventStore events;
  private final ImageStore images;
  private final CatDetector detector;
  private final Clock clock;
  private final int maxAttempts;
  private final int maxConflictRetries;

  public ClassifyImages(
      EventStore events, ImageStore images, CatDetector detector, Clock clock, PipelineConfig config) {
    this.events = Objects.requireNonNull(events, "events");
    this.images = Objects.requireNonNull(images, "images");
    this.detector = Objects.requireNonNull(detector, "detector");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxAttempts = config.maxAttempts();
    this.maxConflictRetries = config.maxConflictRetries();
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
    ClassifyRequest request = attempt.request();
    return guarded(
        request.imageId(),
        () -> settle(request.imageId(), Optional.of(request), attempt.attempt(), request.correlationId()));
  }

  /**
   * Runs the current model on a stored image unless it has answered for it already (operator replay after a model
   * change). A detector error records nothing and reports {@link ClassifyOutcome.RetryLater}.
   *
   * @throws NotFoundException no such image
   */
  public ClassifyOutcome reclassify(ImageId imageId, String correlationId) {
    return guarded(imageId, () -> settle(imageId, Optional.empty(), 1, correlationId));
  }

  /** The model this classifier records, from the detector. */
  public DetectorModel model() {
    ModelInfo info = detector.model();
    return new DetectorModel(info.name(), info.version());
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
   * @param request present for a delivery (its submission is recorded if missing); empty for a reclassify
   */
  private ClassifyOutcome settle(
      ImageId imageId, Optional<ClassifyRequest> request, int attempt, String correlationId) {
    DetectorModel model = model();
    boolean delivery = request.isPresent();
    // an operator's re-classification, run here (no request) or delivered through the queue (AWS)
    boolean reclassify = !delivery || request.get().reclassify();
    Detected detected = null; // run at most once, however many races are lost
    for (int round = 0; round <= maxConflictRetries; round++) {
      ImageState state = events.state(imageId);
      if (!delivery && !state.exists()) {
        throw NotFoundException.image(imageId);
      }
      List<Event> pending = new ArrayList<>(2);
      long next = state.version() + 1;
      if (delivery && state.submission(request.get().submission().submissionId()).isEmpty()) {
        pending.add(request.get().toEvent(next++));
      }

      ClassifyOutcome outcome;
      Optional<ClassificationFailed> settledFailure = state.settledFailureFrom(model);
      if (state.hasClassificationFrom(model)) {
        outcome = new ClassifyOutcome.AlreadyClassified(imageId, state.classification().orElseThrow());
      } else if (settledFailure.isPresent()) {
        outcome = new ClassifyOutcome.FailedTerminal(imageId, settledFailure.get(), false);
      } else {
        if (detected == null) {
          ClassificationTrigger trigger =
              reclassify ? ClassificationTrigger.RECLASSIFY : ClassificationTrigger.INITIAL;
          detected = detect(imageId, attempt, trigger);
        }
        if (detected instanceof Detected.Answer answer) {
          var succeeded =
              ClassificationSucceeded.of(imageId, next, clock.instant(), correlationId, answer.classification());
          pending.add(succeeded);
          outcome = new ClassifyOutcome.Succeeded(imageId, succeeded);
        } else if (detected instanceof Detected.Rejected rejected) {
          var failed =
              ClassificationFailed.of(
                  imageId,
                  next,
                  clock.instant(),
                  correlationId,
                  new Failure(
                      FailureReason.valueOf(rejected.cause().code()),
                      rejected.cause().getMessage(),
                      attempt,
                      false,
                      model));
          pending.add(failed);
          outcome = new ClassifyOutcome.FailedTerminal(imageId, failed, true);
        } else {
          String why = ((Detected.Unavailable) detected).message();
          if (reclassify) {
            // the image keeps the answer it has; a queued re-classification comes back (then dead-letters)
            outcome = new ClassifyOutcome.RetryLater(imageId, why);
          } else if (attempt >= maxAttempts) {
            var exhausted =
                ClassificationFailed.of(
                    imageId,
                    next,
                    clock.instant(),
                    correlationId,
                    new Failure(
                        FailureReason.RETRIES_EXHAUSTED,
                        "gave up after " + attempt + " attempts: " + why,
                        attempt,
                        false,
                        model));
            pending.add(exhausted);
            outcome = new ClassifyOutcome.FailedTerminal(imageId, exhausted, true);
          } else {
            pending.add(
                ClassificationFailed.of(
                    imageId,
                    next,
                    clock.instant(),
                    correlationId,
                    new Failure(FailureReason.DETECTOR_ERROR, why, attempt, true, model)));
            outcome = new ClassifyOutcome.RetryLater(imageId, why);
          }
        }
      }

      if (pending.isEmpty()) {
        return outcome;
      }
      try {
        events.append(imageId, state.version(), pending);
        return outcome;
      } catch (ConcurrencyConflictException lostRace) {
        LOG.log(Level.DEBUG, () -> "lost the race for " + imageId + " at version " + lostRace.expectedVersion());
      }
    }
    return new ClassifyOutcome.RetryLater(
        imageId, "stream " + imageId + " kept changing (" + (maxConflictRetries + 1) + " lost races)");
  }

  /** The detector's result for the stored bytes, with every failure turned into a value. */
  private Detected detect(ImageId imageId, int attempt, ClassificationTrigger trigger) {
    Optional<byte[]> bytes = images.get(imageId);
    if (bytes.isEmpty()) {
      // the bytes are stored before any request is queued: missing bytes are an outage (or lost data), not bad input
      return new Detected.Unavailable("image bytes not found in the image store");
    }
    try {
      CatVerdict verdict = detector.detect(bytes.get());
      // built here so a verdict that breaks the event's rules (a NaN score, say) counts as a detector error
      return new Detected.Answer(classification(verdict, attempt, trigger));
    } catch (ImageRejectedException e) {
      return new Detected.Rejected(e);
    } catch (DetectorUnavailableException e) {
      return new Detected.Unavailable("detector unavailable: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "detector failed on " + imageId, e);
      return new Detected.Unavailable("detector error: " + e.getClass().getSimpleName());
    }
  }

  private Classification classification(CatVerdict verdict, int attempt, ClassificationTrigger trigger) {
    List<DetectedObject> detections =
        verdict.detections().stream()
            .map(
                d ->
                    new DetectedObject(
                        d.label(), d.score(), new Box(d.box().x1(), d.box().y1(), d.box().x2(), d.box().y2())))
            .toList();
    return new Classification(
        verdict.isCat(),
        verdict.catScore(),
        verdict.threshold(),
        detections,
        model(),
        verdict.timings().millis(),
        verdict.width(),
        verdict.height(),
        verdict.raw(),
        attempt,
        trigger,
        OptionalLong.empty());
  }

  /** What running the detector gave. */
  private sealed interface Detected {
    record Answer(Classification classification) implements Detected {}

    record Rejected(ImageRejectedException cause) implements Detected {}

    record Unavailable(String message) implements Detected {}
  }
}
