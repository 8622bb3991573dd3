package io.catwrangler.core.query;

import io.catwrangler.events.BatchId;
import io.catwrangler.events.ClientId;
import io.catwrangler.events.FileName;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.SubmissionId;
import io.catwrangler.events.SubmissionSource;
import java.time.Instant;
import java.util.Optional;

/** One submission of the image, as the API shows it. */
public record SubmissionSummary(
    SubmissionId submissionId,
    Optional<BatchId> batchId,
    Optional<ClientId> clientId,
    Optional<FileName> fileName,
    SubmissionSource source,
    Instant receivedAt) {

  static SubmissionSummary of(ImageReceived received) {
    var s = received.submission();
    return new SubmissionSummary(
        s.submissionId(), s.batchId(), s.clientId(), s.fileName(), s.source(), received.occurredAt());
  }
}
