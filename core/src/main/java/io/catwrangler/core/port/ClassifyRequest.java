package io.catwrangler.core.port;

import io.catwrangler.events.EventEnvelope;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.Submission;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * "Classify this image for this submission": the work-queue message. It carries the whole submission so the
 * classifier can record the {@code ImageReceived} itself when no ingest step did (the S3 path), or when the ingest
 * step died between enqueueing and appending.
 *
 * @param receivedAt when the submission arrived (the {@code occurred_at} of its {@code ImageReceived})
 * @param correlationId of the request or notification that brought the image
 * @param reclassify an operator's re-classification ({@code POST /admin/replay} with {@code reclassify} where the
 *     detector runs elsewhere, as on AWS): the answer is recorded as a re-classification, and a detector error
 *     records nothing (the image keeps its answer; the message is retried, then dead-lettered)
 */
public record ClassifyRequest(
    ImageId imageId, Submission submission, Instant receivedAt, String correlationId, boolean reclassify) {
  public ClassifyRequest {
    Objects.requireNonNull(imageId, "image id");
    Objects.requireNonNull(submission, "submission");
    receivedAt = Objects.requireNonNull(receivedAt, "received at").truncatedTo(ChronoUnit.MILLIS);
    Objects.requireNonNull(correlationId, "correlation id");
    if (correlationId.isBlank() || correlationId.length() > EventEnvelope.MAX_CORRELATION_ID) {
      throw new IllegalArgumentException("a correlation id is 1 to 256 characters");
    }
  }

  /** A request for a new submission. */
  public ClassifyRequest(ImageId imageId, Submission submission, Instant receivedAt, String correlationId) {
    this(imageId, submission, receivedAt, correlationId, false);
  }

  /** This submission as the event at {@code version} of the image's stream. */
  public ImageReceived toEvent(long version) {
    return ImageReceived.of(imageId, version, receivedAt, correlationId, submission);
  }

  /** The request that re-creates a recorded submission. */
  public static ClassifyRequest of(ImageReceived received) {
    return new ClassifyRequest(
        received.imageId(), received.submission(), received.occurredAt(), received.correlationId());
  }

  /** An operator's re-classification of an image, carrying one of its recorded submissions. */
  public static ClassifyRequest reclassify(ImageReceived received, String correlationId) {
    return new ClassifyRequest(
        received.imageId(), received.submission(), received.occurredAt(), correlationId, true);
  }
}
