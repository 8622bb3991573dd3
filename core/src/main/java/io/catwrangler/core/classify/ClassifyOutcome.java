package io.catwrangler.core.classify;

import io.catwrangler.events.ClassificationFailed;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.ImageId;

/**
 * What became of one classify request. Every outcome but {@link RetryLater} is settled: the message can be deleted
 * (SQS: not in {@code batchItemFailures}; embedded: ack). {@link RetryLater} means "deliver again" (SQS: a batch
 * item failure; embedded: release).
 */
public sealed interface ClassifyOutcome {

  ImageId imageId();

  /** True when the request needs no further delivery. */
  default boolean settled() {
    return true;
  }

  /** The detector ran and its answer was recorded by this call. */
  record Succeeded(ImageId imageId, ClassificationSucceeded event) implements ClassifyOutcome {}

  /**
   * The current model had already answered for these bytes (another submission, a redelivery, a concurrent
   * worker); nothing but the submission was recorded. {@code answer} is the image's newest classification.
   */
  record AlreadyClassified(ImageId imageId, ClassificationSucceeded answer) implements ClassifyOutcome {}

  /**
   * The image cannot be classified: the bytes are at fault, or the retries ran out.
   *
   * @param recordedNow true when this call recorded {@code failure}; false when this model had already found the
   *     same bytes at fault
   */
  record FailedTerminal(ImageId imageId, ClassificationFailed failure, boolean recordedNow)
      implements ClassifyOutcome {}

  /** Transient trouble (detector or store unavailable, too many lost races): deliver the request again. */
  record RetryLater(ImageId imageId, String reason) implements ClassifyOutcome {
    @Override
    public boolean settled() {
      return false;
    }
  }
}
