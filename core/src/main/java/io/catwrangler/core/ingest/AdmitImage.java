package io.catwrangler.core.ingest;

import io.catwrangler.core.config.PipelineConfig;
import io.catwrangler.core.error.InvalidRequestException;
import io.catwrangler.core.image.ImageInfo;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.image.ImageLimits;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.core.notify.NotifyAllowList;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.ConcurrencyConflictException;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.ImageStore;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.ClientId;
import io.catwrangler.events.FileName;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.NotifyTarget;
import io.catwrangler.events.Submission;
import io.catwrangler.events.SubmissionId;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What every arrival goes through, however it came (an upload, an S3 object): check (limits, format by magic bytes,
 * header dimensions) → sha256 → store the bytes → the classify request; then, once the request is on its way,
 * record {@code ImageReceived} for the submission. A rejected image stores and records nothing. Queueing is the
 * caller's: {@link IngestImage} for uploads; on the S3 path the message being handled is the queued work.
 */
public final class AdmitImage {
  private final ImageInspector inspector;
  private final ImageStore images;
  private final EventStore events;
  private final Clock clock;
  private final int maxConflictRetries;
  private final NotifyAllowList notifyAllowList;

  public AdmitImage(ImageInspector inspector, ImageStore images, EventStore events, Clock clock, PipelineConfig config) {
    this(inspector, images, events, clock, config.maxConflictRetries(), NotifyAllowList.NONE);
  }

  private AdmitImage(
      ImageInspector inspector,
      ImageStore images,
      EventStore events,
      Clock clock,
      int maxConflictRetries,
      NotifyAllowList notifyAllowList) {
    this.inspector = Objects.requireNonNull(inspector, "inspector");
    this.images = Objects.requireNonNull(images, "images");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxConflictRetries = maxConflictRetries;
    this.notifyAllowList = Objects.requireNonNull(notifyAllowList, "notify allow-list");
  }

  /** The limits an image is checked against. */
  public ImageLimits limits() {
    return inspector.limits();
  }

  /**
   * This use case accepting notification URLs on {@code allowList} (none by default: an upload naming one is
   * refused).
   */
  public AdmitImage allowingNotificationsTo(NotifyAllowList allowList) {
    return new AdmitImage(inspector, images, events, clock, maxConflictRetries, allowList);
  }

  /**
   * Checks and stores the bytes and returns the classify request for them, without queueing or recording anything.
   *
   * @throws ImageRejectedException the bytes are not an acceptable image; nothing stored
   * @throws InvalidRequestException a malformed batch or client id; nothing stored
   */
  public ClassifyRequest admit(Upload upload) throws ImageRejectedException {
    Optional<BatchId> batchId = parse(upload.batchId(), BatchId::of, "X-Batch-Id");
    Optional<ClientId> clientId = parse(upload.clientId(), ClientId::of, "X-Client-Id");
    Optional<FileName> fileName = upload.fileName().flatMap(FileName::sanitise);
    Optional<NotifyTarget> notify = notifyTarget(upload, batchId);
    ImageInfo info = inspector.inspect(upload.bytes());
    ImageId imageId = ImageId.sha256Of(upload.bytes());
    String storageKey = images.put(imageId, upload.bytes());
    SubmissionId submissionId = upload.submissionId().orElseGet(SubmissionId::random);
    Submission submission =
        new Submission(
            submissionId,
            batchId,
            clientId,
            fileName,
            info.format().mediaType(),
            info.byteSize(),
            info.width(),
            info.height(),
            upload.source(),
            storageKey,
            upload.debug(),
            notify);
    String correlationId = upload.correlationId().orElse(submissionId.toString());
    return new ClassifyRequest(imageId, submission, clock.instant(), correlationId);
  }

  /**
   * Records the submission of an admitted request without classifying (the S3 path, when another execution holds
   * the image's classification): true when the stream has it afterwards.
   */
  public boolean recordSubmission(ClassifyRequest request) {
    return record(request).submission(request.submission().submissionId()).isPresent();
  }

  /**
   * Appends the submission's {@code ImageReceived} unless the stream has it already (a worker may have been first).
   * Returns the stream's state afterwards. After too many lost races it gives up quietly: the queued request
   * records the submission anyway.
   */
  public ImageState record(ClassifyRequest request) {
    ImageId imageId = request.imageId();
    ImageState state = events.state(imageId);
    for (int round = 0; round <= maxConflictRetries; round++) {
      if (state.submission(request.submission().submissionId()).isPresent()) {
        return state;
      }
      var received = request.toEvent(state.version() + 1);
      try {
        events.append(imageId, state.version(), List.of(received));
        return state.apply(received);
      } catch (ConcurrencyConflictException lostRace) {
        state = events.state(imageId);
      }
    }
    return state;
  }

  private Optional<NotifyTarget> notifyTarget(Upload upload, Optional<BatchId> batchId) {
    Optional<String> url = upload.notifyUrl().filter(value -> !value.isBlank()).map(String::strip);
    if (url.isEmpty()) {
      if (upload.notifyEachImage()) {
        throw InvalidRequestException.invalidParameter("X-Notify-Each-Image", "needs X-Notify-Url");
      }
      return Optional.empty();
    }
    if (batchId.isEmpty() && !upload.notifyEachImage()) {
      throw InvalidRequestException.invalidParameter("X-Notify-Url", "a batch is complete only with an X-Batch-Id;"
          + " without one, ask for X-Notify-Each-Image: true");
    }
    try {
      return Optional.of(notifyAllowList.target(url.get(), upload.notifyEachImage()));
    } catch (IllegalArgumentException e) {
      throw InvalidRequestException.invalidParameter("X-Notify-Url", e.getMessage());
    }
  }

  private static <T> Optional<T> parse(Optional<String> raw, Function<String, T> parser, String what) {
    try {
      return raw.filter(value -> !value.isBlank()).map(String::strip).map(parser);
    } catch (IllegalArgumentException e) {
      throw InvalidRequestException.invalidId(what, e);
    }
  }
}
