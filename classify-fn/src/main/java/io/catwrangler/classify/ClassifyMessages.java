package io.catwrangler.classify;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import io.catwrangler.aws.ArrivalMetadata;
import io.catwrangler.aws.DynamoDbIdempotencyStore;
import io.catwrangler.aws.IdempotencyAlreadyInProgressException;
import io.catwrangler.aws.IdempotencyClaim;
import io.catwrangler.aws.IncomingObject;
import io.catwrangler.aws.S3ImageStore;
import io.catwrangler.core.classify.ClassifyAttempt;
import io.catwrangler.core.classify.ClassifyImages;
import io.catwrangler.core.classify.ClassifyOutcome;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.image.ImageLimits;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.core.ingest.AdmitImage;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.FailureReason;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.SubmissionId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Classifies the messages of one SQS batch and says which must be delivered again (the handler's
 * {@code batchItemFailures}). Nothing here knows Lambda.
 *
 * <p>Per S3 object under {@code incoming/}: HeadObject (gone already → nothing to do; over the size limit → dropped,
 * see below) → read → sha256 → header checks (a rejected image gets a terminal {@code ClassificationFailed}, no
 * bytes are kept) → copy to {@code images/{sha256}} → the classify use case, guarded by the idempotency store on the
 * image and model → the arrival is deleted once settled. Four S3 requests (HeadObject, GetObject, CopyObject,
 * DeleteObject) and one download: the use cases get the bytes in hand ({@link ImageInHand}).
 *
 * <p>When another execution holds the image's classification, a new submission of the same bytes is recorded and
 * settled at once (the holder's answer is the image's answer); a re-classification waits for its next delivery,
 * {@link #RETRY_SOON} later.
 *
 * <p>A message fails (is delivered again) when any of its objects needs another try: a store or the detector was
 * unavailable, another execution holds the image (a re-classification, or a submission that could not be recorded:
 * those come back in {@link #RETRY_SOON}, as do messages not started for lack of time), or this was the last allowed
 * delivery and the use case recorded
 * {@code RETRIES_EXHAUSTED}: then the message is failed on purpose so that SQS moves it to the DLQ, where an operator
 * can redrive it once the cause is fixed (the arrival is kept for that). A malformed message fails alone.
 *
 * <p>Decision (docs: classify-fn/README.md): an object over {@code CW_MAX_BYTES} is refused from its HeadObject size,
 * without a download, so there are no bytes to name an image by; it is logged (key, size, limit), deleted, and the
 * message settled. Every other bad input has an image id and ends FAILED with its reason.
 *
 * <p>No image is started with less Lambda time left than the per-image budget: the messages not started are
 * reported as failures and come back from the queue, instead of the whole batch timing out and being delivered
 * again whole (which would, on the last allowed delivery, leave the image PENDING with nothing recorded).
 */
public final class ClassifyMessages {
  private static final Logger LOG = LoggerFactory.getLogger(ClassifyMessages.class);
  static final String CORRELATION_ID = "correlation_id";

  private final S3ImageStore images;
  private final ImageInHand inHand;
  private final AdmitImage admission;
  private final ClassifyImages classifier;
  private final RejectedArrivals rejections;
  private final DynamoDbIdempotencyStore idempotency;
  private final ImageInspector inspector;
  private final ImageLimits limits;
  private final Duration imageBudget;
  private final Clock clock;

  /**
   * An arrival whose notification is older than this and whose object is gone was not settled by a delivery of
   * that notification (a settled one is deleted within minutes): it expired, or was deleted, unclassified.
   */
  static final Duration ARRIVAL_LOST_AFTER = Duration.ofDays(1);

  public ClassifyMessages(
      S3ImageStore images,
      ImageInHand inHand,
      AdmitImage admission,
      ClassifyImages classifier,
      RejectedArrivals rejections,
      DynamoDbIdempotencyStore idempotency,
      ImageLimits limits,
      Duration imageBudget,
      Clock clock) {
    this.images = Objects.requireNonNull(images, "images");
    this.inHand = Objects.requireNonNull(inHand, "image in hand");
    this.admission = Objects.requireNonNull(admission, "admission");
    this.classifier = Objects.requireNonNull(classifier, "classifier");
    this.rejections = Objects.requireNonNull(rejections, "rejections");
    this.idempotency = Objects.requireNonNull(idempotency, "idempotency");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.inspector = new ImageInspector(limits);
    this.imageBudget = Objects.requireNonNull(imageBudget, "image budget");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * How long a message waits that is failed only for now: it met another execution's claim on its image, or the
   * invocation ran out of time before starting it. Nothing is wrong with it, so it comes back after this
   * ({@code ChangeMessageVisibility}) instead of after the queue's visibility timeout (12 minutes by default).
   */
  public static final Duration RETRY_SOON = Duration.ofSeconds(10);

  /**
   * The messages of a batch to deliver again, in batch order, and which of them are to come back
   * {@link #RETRY_SOON} rather than at the end of their visibility timeout.
   */
  public record Failures(List<String> ids, Set<String> soon) {
    public Failures {
      ids = List.copyOf(ids);
      soon = Set.copyOf(soon);
    }
  }

  /**
   * @param remainingMillis the invocation's remaining time, asked before each message (none is started with less
   *     than the image budget left) and each image (the idempotency record of an execution that dies is taken over
   *     once that time has passed)
   */
  public Failures handle(List<QueueMessage> messages, LongSupplier remainingMillis) {
    List<String> failed = new ArrayList<>();
    Set<String> soon = new LinkedHashSet<>();
    for (int i = 0; i < messages.size(); i++) {
      QueueMessage message = messages.get(i);
      long left = remainingMillis.getAsLong();
      if (left < imageBudget.toMillis()) {
        List<QueueMessage> notStarted = messages.subList(i, messages.size());
        LOG.warn("out of time: messages not started go back to the queue", entry("remaining_ms", left),
            entry("image_budget_ms", imageBudget.toMillis()), entry("messages", notStarted.size()),
            entry("message_ids", notStarted.stream().map(QueueMessage::messageId).toList()));
        notStarted.forEach(m -> failed.add(m.messageId()));
        notStarted.forEach(m -> soon.add(m.messageId()));
        break;
      }
      // until the message is read, its id: the correlation id an S3 arrival's events carry
      MDC.put(CORRELATION_ID, message.messageId());
      try {
        Settled settled = handle(message, remainingMillis);
        if (settled != Settled.YES) {
          failed.add(message.messageId());
        }
        if (settled == Settled.SOON) {
          soon.add(message.messageId());
        }
      } catch (RuntimeException e) {
        LOG.error("message failed unexpectedly", entry("message_id", message.messageId()), e);
        failed.add(message.messageId());
      } finally {
        MDC.remove(CORRELATION_ID);
      }
    }
    return new Failures(failed, soon);
  }

  /** What became of a message: settled, to deliver again, or to deliver again soon. */
  private enum Settled {
    YES,
    NO,
    SOON;

    static Settled of(boolean settled) {
      return settled ? YES : NO;
    }

    /** Both: settled only when both are; soon when the one not settled is only busy. */
    Settled and(Settled other) {
      if (this == YES) {
        return other;
      }
      return other == YES ? this : (this == NO || other == NO ? NO : SOON);
    }
  }

  private Settled handle(QueueMessage message, LongSupplier remainingMillis) {
    Notification notification;
    try {
      notification = Notification.parse(message.body());
    } catch (Notification.MalformedNotificationException e) {
      LOG.warn("malformed message", entry("message_id", message.messageId()), entry("problem", e.getMessage()));
      return Settled.NO;
    }
    if (notification instanceof Notification.TestEvent) {
      LOG.info("s3:TestEvent dropped", entry("message_id", message.messageId()));
      return Settled.YES;
    }
    if (notification instanceof Notification.Request r) {
      // a classify request carries its upload's request id (or a replay's): the events' correlation id
      MDC.put(CORRELATION_ID, r.request().correlationId());
      return classify(r.request(), message, remainingMillis);
    }
    Notification.ObjectsCreated created = (Notification.ObjectsCreated) notification;
    Settled settled = Settled.YES;
    for (Notification.S3Object object : created.objects()) {
      settled = settled.and(arrival(object, message, remainingMillis));
    }
    return settled;
  }

  private Settled arrival(Notification.S3Object object, QueueMessage message, LongSupplier remainingMillis) {
    if (!object.bucket().equals(images.bucket()) || !object.key().startsWith(S3ImageStore.INCOMING_PREFIX)
        || object.key().length() == S3ImageStore.INCOMING_PREFIX.length()) {
      LOG.warn("not an arrival of this deployment; dropped", entry("bucket", object.bucket()),
          entry("key", object.key()));
      return Settled.YES;
    }
    Optional<IncomingObject> head = images.headIncoming(object.key());
    if (head.isEmpty()) {
      Optional<Duration> age = message.sentAt().map(sent -> Duration.between(sent, clock.instant()));
      if (age.isPresent() && age.get().compareTo(ARRIVAL_LOST_AFTER) >= 0) {
        // counted by the ArrivalsLost metric filter and alarm (terraform/modules/alarms); decision 0022
        LOG.error("arrival lost: its object is gone and it was never classified", entry("key", object.key()),
            entry("bucket", object.bucket()), entry("etag", object.eTag()),
            entry("sent_at", message.sentAt().get().toString()), entry("age_hours", age.get().toHours()),
            entry("receive_count", message.receiveCount()));
      } else {
        LOG.info("arrival gone (handled before); nothing to do", entry("key", object.key()));
      }
      return Settled.YES;
    }
    IncomingObject incoming = head.get();
    if (incoming.size() > limits.maxBytes() || incoming.size() == 0) {
      LOG.warn("arrival refused from its size, not downloaded; dropped", entry("key", object.key()),
          entry("reason", incoming.size() == 0 ? FailureReason.INVALID_IMAGE : FailureReason.TOO_LARGE),
          entry("size_bytes", incoming.size()), entry("limit_bytes", limits.maxBytes()));
      images.deleteIncoming(object.key());
      return Settled.YES;
    }
    byte[] bytes;
    try {
      bytes = images.readIncoming(incoming, limits.maxBytes());
    } catch (ImageRejectedException tooLarge) { // grew between HeadObject and GetObject: look again next time
      LOG.warn("arrival changed while read", entry("key", object.key()));
      return Settled.NO;
    }
    ImageId imageId = ImageId.sha256Of(bytes);
    try {
      inspector.inspect(bytes);
    } catch (ImageRejectedException rejected) {
      DetectorModel model = classifier.model();
      boolean recorded = rejections.record(imageId, rejected, message.receiveCount(), message.messageId(), model);
      LOG.info("arrival rejected: FAILED", entry("image_id", imageId.value()), entry("key", object.key()),
          entry("reason", rejected.code()), entry("recorded_now", recorded));
      images.deleteIncoming(object.key());
      return Settled.YES;
    }
    String key = images.promote(incoming, imageId);
    // the bytes in hand answer ingest's put and the classifier's get: one download per arrival
    Settled settled = inHand.hold(imageId, bytes, key, () -> admitAndClassify(object, incoming, bytes, message,
        remainingMillis));
    if (settled == Settled.YES) {
      images.deleteIncoming(object.key());
    }
    return settled;
  }

  private Settled admitAndClassify(Notification.S3Object object, IncomingObject incoming, byte[] bytes,
      QueueMessage message, LongSupplier remainingMillis) {
    ArrivalMetadata.Applied arrival = ArrivalMetadata.upload(bytes, incoming);
    if (!arrival.ignored().isEmpty()) {
      LOG.warn("arrival metadata not valid, left out", entry("key", object.key()),
          entry("metadata", arrival.ignored()));
    }
    ClassifyRequest request;
    try {
      request =
          admission.admit(
              arrival.upload()
                  .withSubmissionId(
                      SubmissionId.fromName(object.bucket() + "/" + object.key() + "#" + incoming.eTag()))
                  .withCorrelationId(message.messageId()));
    } catch (ImageRejectedException cannotHappen) { // inspected above with the same limits
      throw new IllegalStateException("admitted bytes rejected on the second look", cannotHappen);
    }
    return classify(request, message, remainingMillis);
  }

  /** Runs the use case under the idempotency record of (image, model). */
  private Settled classify(ClassifyRequest request, QueueMessage message, LongSupplier remainingMillis) {
    DetectorModel model = classifier.model();
    String key = "classify#" + request.imageId().value() + "#" + model.name() + "@" + model.version();
    IdempotencyClaim claim;
    try {
      claim = idempotency.begin(key, Math.max(1, remainingMillis.getAsLong()));
    } catch (IdempotencyAlreadyInProgressException busy) {
      if (request.reclassify()) {
        // soon: the holder finishes in seconds, and then this model has answered or the claim is free
        LOG.info("image in progress elsewhere; re-classify soon", entry("image_id", request.imageId().value()),
            entry("retry_in_s", RETRY_SOON.toSeconds()));
        return Settled.SOON;
      }
      // The classification belongs to the image, and the holder is producing it (or, if it fails, its own message
      // comes back): this submission only has to join the image. Waiting for a visibility timeout (12 minutes)
      // would answer nothing else.
      boolean recorded = admission.recordSubmission(request);
      LOG.info("image in progress elsewhere; submission recorded, the answer comes from there",
          entry("image_id", request.imageId().value()), entry("recorded", recorded));
      return recorded ? Settled.YES : Settled.SOON;
    }
    if (claim instanceof IdempotencyClaim.Completed done) {
      // this model settled the image before (decision 0007): its answer is in the stream, and the use case would
      // only find it there; the detector does not run, a new submission joins the image
      boolean recorded = request.reclassify() || admission.recordSubmission(request);
      LOG.info("answered before (idempotency record)", entry("image_id", request.imageId().value()),
          entry("outcome", done.result()), entry("submission_recorded", recorded));
      return Settled.of(recorded);
    }
    ClassifyOutcome outcome;
    try {
      outcome = classifier.classify(new ClassifyAttempt(request, message.receiveCount()));
    } catch (RuntimeException e) {
      idempotency.delete(key);
      throw e;
    }
    boolean exhausted =
        outcome instanceof ClassifyOutcome.FailedTerminal f
            && f.failure().failure().reason() == FailureReason.RETRIES_EXHAUSTED;
    boolean settled = outcome.settled() && !exhausted;
    if (settled) {
      idempotency.complete(key, outcome.getClass().getSimpleName());
    } else {
      idempotency.delete(key); // a retry, or a redrive from the DLQ, may run it again
    }
    log(outcome, message);
    return Settled.of(settled);
  }

  private static void log(ClassifyOutcome outcome, QueueMessage message) {
    String image = outcome.imageId().value();
    if (outcome instanceof ClassifyOutcome.Succeeded s) {
      LOG.info("classified", entry("image_id", image), entry("is_cat", s.event().classification().isCat()),
          entry("cat_score", s.event().classification().catScore()));
    } else if (outcome instanceof ClassifyOutcome.AlreadyClassified) {
      LOG.info("already classified", entry("image_id", image));
    } else if (outcome instanceof ClassifyOutcome.FailedTerminal f) {
      LOG.warn("FAILED", entry("image_id", image), entry("reason", f.failure().failure().reason()),
          entry("receive_count", message.receiveCount()));
    } else if (outcome instanceof ClassifyOutcome.RetryLater r) {
      LOG.warn("retry later", entry("image_id", image), entry("why", r.reason()),
          entry("receive_count", message.receiveCount()));
    }
  }
}
