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
import io.catwrangler.core.port.UnitOfWork;
import io.catwrangler.events.ImageState;
import java.time.Clock;
import java.util.Objects;

/**
 * Takes an upload in: {@link AdmitImage admit} it (check, sha256, store) → queue the classification → record
 * {@code ImageReceived} for this submission. A rejected upload stores and records nothing.
 *
 * <p>The request is queued <em>before</em> the event is appended: if the process dies in between, the worker
 * records the submission itself (the request carries it), so no image is left PENDING with no work queued. The
 * reverse order could leave exactly that. Where the stores can ({@link #inOneStep}: embedded, one SQLite transaction)
 * the two are also one atomic step: both happen or neither.
 */
public final class IngestImage {
  private final AdmitImage admission;
  private final ClassifyQueue queue;
  private final UnitOfWork unit;

  public IngestImage(
      ImageInspector inspector,
      ImageStore images,
      EventStore events,
      ClassifyQueue queue,
      Clock clock,
      PipelineConfig config) {
    this(new AdmitImage(inspector, images, events, clock, config), queue, UnitOfWork.EACH_ON_ITS_OWN);
  }

  private IngestImage(AdmitImage admission, ClassifyQueue queue, UnitOfWork unit) {
    this.admission = admission;
    this.queue = Objects.requireNonNull(queue, "queue");
    this.unit = Objects.requireNonNull(unit, "unit of work");
  }

  /** The limits an upload is checked against. */
  public ImageLimits limits() {
    return admission.limits();
  }

  /** {@link AdmitImage#allowingNotificationsTo}. */
  public IngestImage allowingNotificationsTo(NotifyAllowList allowList) {
    return new IngestImage(admission.allowingNotificationsTo(allowList), queue, unit);
  }

  /**
   * This use case queueing and recording each upload in one step of {@code unit} (the bytes are stored before, outside
   * it): one database transaction instead of two where the queue and the events share a database.
   */
  public IngestImage inOneStep(UnitOfWork unit) {
    return new IngestImage(admission, queue, unit);
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
    ImageState state =
        unit.atomically(
            () -> {
              queue.enqueue(request);
              return admission.record(request);
            });
    return new IngestResult(request.imageId(), request.submission().submissionId(), state.status(), state.isCat());
  }

  /** {@link AdmitImage#admit}: checks and stores, queues and records nothing. */
  public ClassifyRequest admit(Upload upload) throws ImageRejectedException {
    return admission.admit(upload);
  }
}
