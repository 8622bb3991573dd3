package io.catwrangler.core.classify;

import io.catwrangler.core.error.NotFoundException;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.events.Classification;
import io.catwrangler.events.ClassificationFailed;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.ClassificationTrigger;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.Event;
import io.catwrangler.events.Failure;
import io.catwrangler.events.FailureReason;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one classify round records, decided from the image's state and what the detector gave: no store, no
 * detector, no clock. {@link ClassifyImages} does the I/O around it (fold, detect, append, retry a lost race).
 */
public final class ClassifyDecision {
  private ClassifyDecision() {}

  /**
   * What a round is about.
   *
   * @param request present for a delivery (its submission is recorded if missing); empty for a reclassify run here
   * @param attempt which delivery this is, from 1
   * @param maxAttempts the last attempt allowed; a detector error on it records RETRIES_EXHAUSTED
   * @param model the detector model that answers now
   * @param now when the recorded events occur
   */
  public record Round(
      ImageId imageId,
      Optional<ClassifyRequest> request,
      int attempt,
      int maxAttempts,
      String correlationId,
      DetectorModel model,
      Instant now) {
    public Round {
      Objects.requireNonNull(imageId, "image id");
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(correlationId, "correlation id");
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(now, "now");
    }

    /** An operator's re-classification, run here (no request) or delivered through the queue (AWS). */
    public boolean reclassify() {
      return request.isEmpty() || request.get().reclassify();
    }

    public ClassificationTrigger trigger() {
      return reclassify() ? ClassificationTrigger.RECLASSIFY : ClassificationTrigger.INITIAL;
    }
  }

  /** What running the detector on the stored bytes gave, every failure a value. */
  public sealed interface Detected {
    /** The detector answered; the classification is built already, with the round's attempt and trigger. */
    record Answer(Classification classification) implements Detected {}

    /** The detector refused the bytes (terminal: the same bytes are refused again). */
    record Rejected(FailureReason reason, String message) implements Detected {}

    /** The detector or the bytes could not be had (transient). */
    record Unavailable(String message) implements Detected {}
  }

  /** The round's decision. */
  public sealed interface Decision {
    /** Nothing can be decided before the detector has run on the bytes. */
    record RunDetector() implements Decision {}

    /**
     * Append {@code events} at the version the state was folded to (nothing when empty), then report
     * {@code outcome}.
     */
    record Record(List<Event> events, ClassifyOutcome outcome) implements Decision {
      public Record {
        events = List.copyOf(events);
        Objects.requireNonNull(outcome, "outcome");
      }
    }
  }

  /**
   * @param detected the detector's result, if it has run in this or an earlier round of the same request (a lost
   *     race does not run it again)
   * @throws NotFoundException a reclassify run here of an image that does not exist
   */
  public static Decision decide(ImageState state, Round round, Optional<Detected> detected) {
    ImageId imageId = round.imageId();
    if (round.request().isEmpty() && !state.exists()) {
      throw NotFoundException.image(imageId);
    }
    List<Event> events = new ArrayList<>(2);
    long next = state.version() + 1;
    if (round.request().isPresent()
        && state.submission(round.request().get().submission().submissionId()).isEmpty()) {
      events.add(round.request().get().toEvent(next++));
    }

    if (state.hasClassificationFrom(round.model())) {
      return new Decision.Record(
          events, new ClassifyOutcome.AlreadyClassified(imageId, state.classification().orElseThrow()));
    }
    Optional<ClassificationFailed> settledFailure = state.settledFailureFrom(round.model());
    if (settledFailure.isPresent()) {
      return new Decision.Record(events, new ClassifyOutcome.FailedTerminal(imageId, settledFailure.get(), false));
    }
    if (detected.isEmpty()) {
      return new Decision.RunDetector();
    }

    ClassifyOutcome outcome;
    if (detected.get() instanceof Detected.Answer answer) {
      var succeeded =
          ClassificationSucceeded.of(imageId, next, round.now(), round.correlationId(), answer.classification());
      events.add(succeeded);
      outcome = new ClassifyOutcome.Succeeded(imageId, succeeded);
    } else if (detected.get() instanceof Detected.Rejected rejected) {
      var failed = failed(round, next, rejected.reason(), rejected.message(), false);
      events.add(failed);
      outcome = new ClassifyOutcome.FailedTerminal(imageId, failed, true);
    } else {
      String why = ((Detected.Unavailable) detected.get()).message();
      if (round.reclassify()) {
        // the image keeps the answer it has; a queued re-classification comes back (then dead-letters)
        outcome = new ClassifyOutcome.RetryLater(imageId, why);
      } else if (round.attempt() >= round.maxAttempts()) {
        String gaveUp = "gave up after " + round.attempt() + " attempts: " + why;
        var exhausted = failed(round, next, FailureReason.RETRIES_EXHAUSTED, gaveUp, false);
        events.add(exhausted);
        outcome = new ClassifyOutcome.FailedTerminal(imageId, exhausted, true);
      } else {
        events.add(failed(round, next, FailureReason.DETECTOR_ERROR, why, true));
        outcome = new ClassifyOutcome.RetryLater(imageId, why);
      }
    }
    return new Decision.Record(events, outcome);
  }

  private static ClassificationFailed failed(
      Round round, long version, FailureReason reason, String message, boolean retryable) {
    return ClassificationFailed.of(
        round.imageId(),
        version,
        round.now(),
        round.correlationId(),
        new Failure(reason, message, round.attempt(), retryable, round.model()));
  }
}
