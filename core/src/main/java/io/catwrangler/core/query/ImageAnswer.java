package io.catwrangler.core.query;

import io.catwrangler.events.ClassificationFailed;
import io.catwrangler.events.ClassificationTrigger;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageStatus;
import io.catwrangler.events.LabelRecorded;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What {@code GET /images/{id}} shows. Answer, score, threshold and model come from the newest classification
 * and are absent while there is none (PENDING, FAILED).
 *
 * @param version the stream version the answer reflects
 * @param failure the failure that ended a FAILED image (empty in every other status); also for images that never had
 *     a submission (bytes refused on the S3 path)
 * @param label the newest label a person gave, beside the model's answer
 */
public record ImageAnswer(
    ImageId imageId,
    ImageStatus status,
    Optional<Answer> answer,
    OptionalDouble catScore,
    OptionalDouble threshold,
    Optional<DetectorModel> model,
    Optional<ClassificationTrigger> decidedBy,
    Optional<Instant> classifiedAt,
    List<SubmissionSummary> submissions,
    long version,
    Optional<ClassificationFailed> failure,
    Optional<ImageDebug> debug,
    Optional<LabelRecorded> label) {}
