package io.catwrangler.core.ingest;

import io.catwrangler.core.config.PipelineConfig;
import io.catwrangler.core.error.InvalidRequestException;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.image.ImageLimits;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.core.notify.NotifyAllowList;
import io.catwrangler.core.port.ClassifyQueue;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.ImageStore;
import io.catwrangler.events.ImageState;
import java.time.Clock;
import java.util.Objects;

/**
 * Takes an upload in: {@link AdmitImage admit} it (check, sha256, store) → queue the classification → record
 * {@code ImageReceived} for this submission. A rejected upload stores and records nothing.
 *
 * <p>The request is queued <em>before</em> the event is appended: if the process dies in between, the worker
 * records the submission itself (the request carries it), so no image is left PENDING with no work queued. The
 * reverse order could leave exactly that.
 */
public final class IngestImage {
  private final AdmitImage admission;
  private final ClassifyQueue queue;

  public IngestImage(
      ImageInspector inspector,
      ImageStore images,
      EventStore events,
      ClassifyQueue queue,
      Clock clock,
      PipelineConfig config) {
    this(new AdmitImage(inspector, images, events, clock, config), queue);
  }

  private IngestImage(AdmitImage admission, ClassifyQueue queue) {
    this.admission = admission;
    this.queue = Objects.requireNonNull(queue, "queue");
  }

  /** The limits an upload is checked against. */
  public ImageLimits limits() {
    return admission.limits();
  }

  /** {@link AdmitImage#allowingNotificationsTo}. */
  public IngestImage allowingNotificationsTo(NotifyAllowList allowList) {
    return new IngestImage(admission.allowingNotificationsTo(allowList), queue);
  }

  /**
   * The whole ingest: {@link #admit}, queue, record.
   *
   * @throws ImageRejectedException the bytes are not an acceptable image (415/413/422 by subtype); nothing stored
   * @throws InvalidRequestException a malformed batch or client id (400); nothing stored
   * @throws io.catwrangler.core.port.StorageUnavailableException a store or the queue failed (503)
   */
  public IngestResult ingest(Upload upload) throws ImageRejectedException {
    ClassifyRequest request = admission.admit(upload);
    queue.enqueue(request);
    ImageState state = admission.record(request);
    return new IngestResult(request.imageId(), request.submission().submissionId(), state.status(), state.isCat());
  }

  /** {@link AdmitImage#admit}: checks and stores, queues and records nothing. */
  public ClassifyRequest admit(Upload upload) throws ImageRejectedException {
    return admission.admit(upload);
  }
}
