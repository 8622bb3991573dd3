package io.catwrangler.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an image's stream says, folded from its events oldest first. Pure: the same events give the same state.
 *
 * <p>Rules: every {@link ImageReceived} adds a submission (a repeated submission id is ignored); the newest
 * {@link ClassificationSucceeded} is the answer, whatever its trigger; a retryable {@link ClassificationFailed} only
 * counts as an attempt; a terminal one makes the image FAILED only while it has no answer — a failure after a
 * success (say, a re-run with a new model rejected the bytes) keeps the status CLASSIFIED and the old answer, and
 * shows up as {@link #lastFailure()}; a {@link LabelRecorded} changes neither status nor answer, the newest one is
 * {@link #label()}.
 *
 * @param version the version of the last event applied; 0 for an image with no events
 * @param updatedAt when the last event applied occurred
 * @param submissions every submission, oldest first
 * @param classification the newest classification
 * @param classifiedBy every detector model that has a classification in the stream
 * @param attempts detector runs recorded: successes that ran the detector and failures (re-decisions do not count)
 * @param lastFailure the newest failure, terminal or not
 * @param label the newest label a person gave (every label stays in the stream)
 */
public record ImageState(
    ImageId imageId,
    long version,
    ImageStatus status,
    Optional<Instant> updatedAt,
    List<ImageReceived> submissions,
    Optional<ClassificationSucceeded> classification,
    Set<DetectorModel> classifiedBy,
    int attempts,
    Optional<ClassificationFailed> lastFailure,
    Optional<LabelRecorded> label) {

  public ImageState {
    Objects.requireNonNull(imageId, "image id");
    if (version < 0) {
      throw new IllegalArgumentException("version must not be negative");
    }
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(updatedAt, "updated at");
    submissions = List.copyOf(submissions);
    Objects.requireNonNull(classification, "classification");
    classifiedBy = Collections.unmodifiableSet(new LinkedHashSet<>(classifiedBy));
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative");
    }
    Objects.requireNonNull(lastFailure, "last failure");
    Objects.requireNonNull(label, "label");
  }

  /** The state of an image nobody has sent yet. */
  public static ImageState initial(ImageId imageId) {
    return new ImageState(
        imageId, 0, ImageStatus.PENDING, Optional.empty(), List.of(), Optional.empty(), Set.of(), 0, Optional.empty(),
        Optional.empty());
  }

  /**
   * Folds a whole stream, oldest first.
   *
   * @throws IllegalStateException an event of another image, or versions that do not run 1, 2, 3, …
   */
  public static ImageState fold(ImageId imageId, List<? extends Event> events) {
    ImageState state = initial(imageId);
    for (Event event : events) {
      state = state.apply(event);
    }
    return state;
  }

  /**
   * Folds a non-empty stream; the image id is the events'.
   *
   * @throws IllegalArgumentException no events
   */
  public static ImageState fold(List<? extends Event> events) {
    if (events.isEmpty()) {
      throw new IllegalArgumentException("an empty stream has no image id; use fold(imageId, events)");
    }
    return fold(events.get(0).imageId(), events);
  }

  /**
   * This state with one more event.
   *
   * @throws IllegalStateException the event belongs to another image or is not the next version
   */
  public ImageState apply(Event event) {
    if (!event.imageId().equals(imageId)) {
      throw new IllegalStateException("event of image " + event.imageId() + " applied to image " + imageId);
    }
    if (event.version() != version + 1) {
      throw new IllegalStateException(
          "image " + imageId + " is at version " + version + "; the next event must be version " + (version + 1)
              + ", not " + event.version());
    }
    Optional<Instant> at = Optional.of(event.occurredAt());
    // Java 17: no pattern switch yet; the sealed interface keeps this list complete.
    if (event instanceof ImageReceived received) {
      List<ImageReceived> more = submissions;
      if (submission(received.submission().submissionId()).isEmpty()) {
        more = new ArrayList<>(submissions);
        more.add(received);
      }
      return new ImageState(
          imageId, event.version(), status, at, more, classification, classifiedBy, attempts, lastFailure, label);
    }
    if (event instanceof LabelRecorded labelled) {
      return new ImageState(
          imageId, event.version(), status, at, submissions, classification, classifiedBy, attempts, lastFailure,
          Optional.of(labelled));
    }
    if (event instanceof ClassificationSucceeded succeeded) {
      Set<DetectorModel> models = new LinkedHashSet<>(classifiedBy);
      models.add(succeeded.classification().model());
      boolean ranDetector = succeeded.classification().trigger() != ClassificationTrigger.REDECIDE;
      return new ImageState(
          imageId,
          event.version(),
          ImageStatus.CLASSIFIED,
          at,
          submissions,
          Optional.of(succeeded),
          models,
          ranDetector ? attempts + 1 : attempts,
          lastFailure,
          label);
    }
    ClassificationFailed failed = (ClassificationFailed) event;
    ImageStatus next = status;
    if (!failed.failure().retryable()) {
      next = classification.isPresent() ? ImageStatus.CLASSIFIED : ImageStatus.FAILED;
    }
    return new ImageState(
        imageId, event.version(), next, at, submissions, classification, classifiedBy, attempts + 1,
        Optional.of(failed), label);
  }

  /** True once the stream has any event. */
  public boolean exists() {
    return version > 0;
  }

  public Optional<ImageReceived> submission(SubmissionId submissionId) {
    return submissions.stream().filter(r -> r.submission().submissionId().equals(submissionId)).findFirst();
  }

  /** The answer: empty while there is no classification. */
  public Optional<Boolean> isCat() {
    return classification.map(c -> c.classification().isCat());
  }

  /** True when this model already gave its answer: the idempotency rule, one detector result per image and model. */
  public boolean hasClassificationFrom(DetectorModel model) {
    return classifiedBy.contains(model);
  }

  /**
   * The terminal failure that settles this image for the model: the bytes were found at fault (invalid, too large,
   * unsupported) by this model's run, so sending them again cannot help. An exhausted run of detector errors does
   * not settle anything: a later submission tries again.
   */
  public Optional<ClassificationFailed> settledFailureFrom(DetectorModel model) {
    return lastFailure.filter(
        f -> !f.failure().retryable() && f.failure().reason().blamesImage() && f.failure().model().equals(model));
  }

  /** Every batch any submission named, in the order first seen. */
  public Set<BatchId> batchIds() {
    Set<BatchId> batches = new LinkedHashSet<>();
    submissions.forEach(r -> r.submission().batchId().ifPresent(batches::add));
    return Collections.unmodifiableSet(batches);
  }
}
