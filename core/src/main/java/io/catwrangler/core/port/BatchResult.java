package io.catwrangler.core.port;

import io.catwrangler.events.BatchId;
import io.catwrangler.events.ClassificationTrigger;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.FailureReason;
import io.catwrangler.events.FileName;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.ImageStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One line of a batch's export ({@code GET /batches/{id}/results}): an image of the batch with its answer, score,
 * the model and threshold that decided it and when it arrived and was answered.
 *
 * @param isCat the answer; empty while there is none
 * @param receivedAt when the image was first submitted in this batch
 * @param classifiedAt when the newest classification was recorded
 * @param failure the reason of a {@code FAILED} image; empty otherwise
 * @param fileNames the names it was submitted under in this batch, oldest first
 */
public record BatchResult(
    ImageId imageId,
    ImageStatus status,
    Optional<Boolean> isCat,
    OptionalDouble catScore,
    OptionalDouble threshold,
    Optional<DetectorModel> model,
    Optional<ClassificationTrigger> decidedBy,
    Optional<Instant> receivedAt,
    Optional<Instant> classifiedAt,
    Optional<FailureReason> failure,
    List<FileName> fileNames) {

  public BatchResult {
    Objects.requireNonNull(imageId, "image id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(isCat, "is cat (use Optional.empty())");
    Objects.requireNonNull(catScore, "cat score (use OptionalDouble.empty())");
    Objects.requireNonNull(threshold, "threshold (use OptionalDouble.empty())");
    Objects.requireNonNull(model, "model (use Optional.empty())");
    Objects.requireNonNull(decidedBy, "decided by (use Optional.empty())");
    Objects.requireNonNull(receivedAt, "received at (use Optional.empty())");
    Objects.requireNonNull(classifiedAt, "classified at (use Optional.empty())");
    Objects.requireNonNull(failure, "failure (use Optional.empty())");
    fileNames = List.copyOf(fileNames);
  }

  /** The line for an image's state within one batch. */
  public static BatchResult of(ImageState state, BatchId batchId) {
    List<ImageReceived> inBatch =
        state.submissions().stream().filter(r -> r.submission().batchId().filter(batchId::equals).isPresent()).toList();
    var newest = state.classification();
    return new BatchResult(
        state.imageId(),
        state.status(),
        state.isCat(),
        newest.map(c -> OptionalDouble.of(c.classification().catScore())).orElse(OptionalDouble.empty()),
        newest.map(c -> OptionalDouble.of(c.classification().threshold())).orElse(OptionalDouble.empty()),
        newest.map(c -> c.classification().model()),
        newest.map(c -> c.classification().trigger()),
        inBatch.stream().findFirst().map(r -> r.envelope().occurredAt()),
        newest.map(c -> c.envelope().occurredAt()),
        state.status() == ImageStatus.FAILED ? state.lastFailure().map(f -> f.failure().reason()) : Optional.empty(),
        inBatch.stream().flatMap(r -> r.submission().fileName().stream()).toList());
  }
}
