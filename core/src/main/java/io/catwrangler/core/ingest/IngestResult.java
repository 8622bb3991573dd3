package io.catwrangler.core.ingest;

import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageStatus;
import io.catwrangler.events.SubmissionId;
import java.util.Optional;

/**
 * What the upload answers (202): the image id to poll, this submission's id, and the status right now — CLASSIFIED
 * with the answer at once when the same bytes were classified before.
 */
public record IngestResult(ImageId imageId, SubmissionId submissionId, ImageStatus status, Optional<Boolean> isCat) {}
