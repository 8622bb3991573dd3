package io.catwrangler.local.runtime;

import io.catwrangler.core.classify.ClassifyImages;
import io.catwrangler.core.detection.CatDetector;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.ingest.IngestImage;
import io.catwrangler.core.label.RecordLabel;
import io.catwrangler.core.port.BatchPage;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.core.port.ResultView;
import io.catwrangler.core.port.StorageFullException;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.core.port.WorkQueue;
import io.catwrangler.core.projection.ProjectEventFeed;
import io.catwrangler.core.quality.MeasureQuality;
import io.catwrangler.core.query.QueryResults;
import io.catwrangler.core.query.ReadImageContent;
import io.catwrangler.core.replay.ReplayEvents;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.EventType;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.ImageStatus;
import io.catwrangler.core.notify.ProjectionNotifications;
import io.catwrangler.local.fs.FileImageStore;
import io.catwrangler.local.notify.NotificationOutbox;
import io.catwrangler.local.notify.NotifyConfig;
import io.catwrangler.local.notify.WebhookDelivery;
import io.catwrangler.local.sqlite.Durability;
import io.catwrangler.local.sqlite.QueueDepth;
import io.catwrangler.local.sqlite.SqliteDatabase;
import io.catwrangler.local.sqlite.SqliteEventStore;
import io.catwrangler.local.sqlite.SqliteResultView;
import io.catwrangler.local.sqlite.SqliteWorkQueue;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The embedded pipeline in one process over one data folder: SQLite event table, work queue and results view, the
 * image files, {@code workers} classify threads and one projector thread, wired to the core use cases.
 *
 * <p>{@link #open} takes the data folder's lock (one runtime per folder), opens the stores, runs start-up recovery
 * (see {@link StartupRecovery}) and starts the threads. {@link #close} stops gracefully: workers stop leasing,
 * finish the image in hand and hand back the rest of their batch, the projector stops after its current batch, the
 * database is checkpointed and closed. The detector belongs to the caller, who closes it after the runtime.
 */
public final class LocalRuntime implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LocalRuntime.class.getName());
  private static final Duration PROJECTOR_UNHEALTHY_AFTER = Duration.ofSeconds(30);

  private final LocalConfig config;
  private final Clock clock;
  private final DataFolderLock folderLock;
  private final SqliteDatabase db;
  private final FileImageStore images;
  private final SqliteEventStore events;
  private final SqliteWorkQueue queue;
  private final SqliteResultView view;
  private final IngestImage ingest;
  private final ClassifyImages classifier;
  private final QueryResults query;
  private final ReplayEvents replay;
  private final RecordLabel labels;
  private final MeasureQuality quality;
  private final StartupRecovery recovery;
  private final ProjectorLoop projector;
  private final Thread projectorThread;
  private final List<ClassifyWorker> workers = new ArrayList<>();
  private final List<Thread> workerThreads = new ArrayList<>();
  private final Thread scanThread;
  private final ClassifyWorker.Counters counters = new ClassifyWorker.Counters();
  private final Wakeup workReady = new Wakeup();
  private final Wakeup appended = new Wakeup();
  private final long openedNanos = System.nanoTime();
  private final DiskSpace space;
  private final Optional<NotificationOutbox> outbox;
  private final Optional<WebhookDelivery> delivery;
  private final Optional<Thread> deliveryThread;
  private volatile boolean closed;

  private LocalRuntime(LocalConfig config, CatDetector detector, Clock clock, DataFolderLock folderLock,
      SqliteDatabase db, DiskSpace space, NotifyConfig notify) {
    this.config = config;
    this.space = space;
    this.clock = clock;
    this.folderLock = folderLock;
    this.db = db;
    Instant startedAt = Instant.now();
    this.images = new FileImageStore(config.imagesDir(), config.imagesDir().getFileName() + "/",
        config.durability() == Durability.FULL);
    this.events = new SqliteEventStore(db);
    this.queue = new SqliteWorkQueue(db, config.maxAttempts(), clock);
    this.view = new SqliteResultView(db);
    events.onAppend(appended::ring);
    queue.onReady(workReady::ring);

    var pipeline = config.pipeline();
    this.ingest = new IngestImage(new ImageInspector(pipeline.imageLimits()), new SpaceCheckedImageStore(images, space),
        events, queue, clock, pipeline).allowingNotificationsTo(notify.allowList()).inOneStep(db.unitOfWork());
    if (notify.enabled()) {
      // webhooks: decided in the view's transaction, sent by a thread of their own (local/notify)
      WebhookDelivery[] sender = new WebhookDelivery[1];
      NotificationOutbox box =
          new NotificationOutbox(db, new ProjectionNotifications(notify.defaults()), clock,
          notify.batchSettle(), () -> sender[0].wake());
      sender[0] = new WebhookDelivery(box, notify, clock);
      view.onProjectionStep(box);
      this.outbox = Optional.of(box);
      this.delivery = Optional.of(sender[0]);
      this.deliveryThread = Optional.of(thread("catwrangler-webhooks", sender[0]));
    } else {
      this.outbox = Optional.empty();
      this.delivery = Optional.empty();
      this.deliveryThread = Optional.empty();
    }
    this.classifier = new ClassifyImages(events, images, detector, clock, pipeline).inOneStep(db.unitOfWork());
    this.query = new QueryResults(view, events);
    this.labels = new RecordLabel(events, clock, pipeline);
    this.quality = new MeasureQuality(view, classifier.model(), pipeline);
    this.recovery = new StartupRecovery(events, queue, view, images, startedAt);
    this.projector =
        new ProjectorLoop(
            new ProjectEventFeed(events, events, view, config.projectorBatchSize(), db.unitOfWork()),
            appended,
            recovery::requeueStrandedImages);
    this.replay = new ReplayEvents(events, new ProjectorSafeView(view, projector, appended), classifier, clock,
        pipeline);

    try {
      recovery.releaseAbandonedLeases();
    } catch (StorageFullException e) {
      // they come back by themselves when their visibility timeout ends
      LOG.log(Level.WARNING, "cannot release the leases of the last run: " + e.getMessage());
    }
    this.projectorThread = thread("catwrangler-projector", projector);
    for (int i = 0; i < config.workers(); i++) {
      ClassifyWorker worker = new ClassifyWorker(queue, classifier, config, workReady, counters, space);
      workers.add(worker);
      workerThreads.add(thread("catwrangler-worker-" + (i + 1), worker));
    }
    this.scanThread = thread("catwrangler-image-scan", this::scanImageFolder);
    projectorThread.start();
    workerThreads.forEach(Thread::start);
    scanThread.start();
    deliveryThread.ifPresent(Thread::start);
  }

  /**
   * Opens the runtime on {@code config.dataDir()} (created if missing) with the detector given.
   *
   * @throws IllegalStateException another runtime has the data folder
   * @throws StorageUnavailableException the folder or the database cannot be opened
   */
  public static LocalRuntime open(LocalConfig config, CatDetector detector) {
    return open(config, detector, Clock.systemUTC());
  }

  /** {@link #open(LocalConfig, CatDetector)} with the clock events and queue timeouts are taken from. */
  public static LocalRuntime open(LocalConfig config, CatDetector detector, Clock clock) {
    return open(config, detector, clock, DiskSpace.of(config.dataDir()));
  }

  /**
   * {@link #open(LocalConfig, CatDetector, Clock)} with the free-space figure taken from {@code space} (tests fill a
   * disk that way).
   */
  public static LocalRuntime open(LocalConfig config, CatDetector detector, Clock clock, DiskSpace space) {
    return open(config, detector, clock, space, NotifyConfig.DISABLED);
  }

  /** {@link #open(LocalConfig, CatDetector)} sending webhook notifications as {@code notify} says. */
  public static LocalRuntime open(LocalConfig config, CatDetector detector, NotifyConfig notify) {
    return open(config, detector, Clock.systemUTC(), DiskSpace.of(config.dataDir()), notify);
  }

  /** {@link #open(LocalConfig, CatDetector, Clock, DiskSpace)} sending webhook notifications as {@code notify} says. */
  public static LocalRuntime open(
      LocalConfig config, CatDetector detector, Clock clock, DiskSpace space, NotifyConfig notify) {
    Objects.requireNonNull(notify, "notify");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(space, "space");
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(clock, "clock");
    DataFolderLock lock;
    try {
      Files.createDirectories(config.dataDir());
      lock = DataFolderLock.acquire(config.dataDir());
    } catch (IOException e) {
      throw new StorageUnavailableException("cannot use the data folder " + config.dataDir() + ": " + e.getMessage(),
          e);
    }
    SqliteDatabase db = null;
    try {
      db = SqliteDatabase.open(config.databaseFile(),
          new SqliteDatabase.Options(config.durability(), SqliteDatabase.Options.DEFAULTS.busyTimeout(),
              Math.max(8, config.workers() + 4)));
      LocalRuntime runtime = new LocalRuntime(config, detector, clock, lock, db, space, notify);
      LOG.log(Level.INFO, "runtime open on " + config.dataDir() + " with " + config.workers() + " worker(s)");
      space.shortage().ifPresent(why -> LOG.log(Level.WARNING, "starting on a full disk: " + why
          + ". Answers can be read; uploads are refused (507) and classification waits until space is freed."));
      return runtime;
    } catch (RuntimeException e) {
      if (db != null) {
        db.close();
      }
      try {
        lock.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  public IngestImage ingest() {
    return ingest;
  }

  public QueryResults query() {
    return query;
  }

  /** The stored image bytes, for the web page. */
  public ReadImageContent imageContent() {
    return new ReadImageContent(images);
  }

  public ReplayEvents replay() {
    return replay;
  }

  /** People's corrections: {@code POST /images/{id}/labels}. */
  public RecordLabel labels() {
    return labels;
  }

  /** The current model against people's labels: {@code GET /quality} and the quality metrics. */
  public MeasureQuality quality() {
    return quality;
  }

  /** The work queue, for the dead-letter list and retry ({@code catwrangler dlq}). */
  public WorkQueue queue() {
    return queue;
  }

  /** The webhook outbox (its dead letters for the admin routes), when notifications are configured. */
  public Optional<NotificationOutbox> notifications() {
    return outbox;
  }

  /** The classify use case the workers run (also what replays re-run). */
  public ClassifyImages classifier() {
    return classifier;
  }

  public LocalConfig config() {
    return config;
  }

  /** What start-up recovery found and did; its later steps fill in while the runtime runs. */
  public RecoveryReport recovery() {
    return recovery.report();
  }

  public RuntimeMetrics metrics() {
    QueueDepth depth = queue.depth();
    Map<ImageStatus, Long> byStatus = view.countsByStatus();
    long lag = Math.max(0, events.lastSequence() - view.checkpoint());
    return new RuntimeMetrics(
        depth.visible(),
        depth.inFlight(),
        depth.delayed(),
        depth.deadLetters(),
        byStatus.getOrDefault(ImageStatus.PENDING, 0L),
        byStatus.getOrDefault(ImageStatus.CLASSIFIED, 0L),
        byStatus.getOrDefault(ImageStatus.FAILED, 0L),
        events.count(EventType.IMAGE_RECEIVED),
        events.count(),
        counters.classified.get(),
        counters.alreadyClassified.get(),
        counters.failed.get(),
        counters.retried.get(),
        counters.deadLettered.get(),
        counters.latency.summary(),
        lag,
        recovery.report().orphanImages(),
        config.workers(),
        Duration.ofNanos(System.nanoTime() - openedNanos));
  }

  /**
   * What the runtime can do now: accept uploads (the database answers, the disk has room) and classify them (every
   * worker and the projector running, the projector not failing for more than 30 s, the disk has room), with the
   * reasons when it cannot.
   */
  public RuntimeHealth health() {
    List<String> problems = new ArrayList<>();
    boolean storeAnswers = true;
    if (closed) {
      problems.add("the runtime is closed");
      storeAnswers = false;
    } else {
      try {
        view.checkpoint();
      } catch (RuntimeException e) {
        problems.add("the database does not answer: " + e.getMessage());
        storeAnswers = false;
      }
    }
    Optional<String> shortage = space.shortage();
    shortage.ifPresent(problems::add);
    boolean accepting = storeAnswers && shortage.isEmpty();
    boolean classifying = accepting;
    long deadWorkers = workerThreads.stream().filter(t -> !t.isAlive()).count();
    if (!closed && deadWorkers > 0) {
      problems.add(deadWorkers + " of " + workerThreads.size() + " workers stopped");
      classifying = false;
    }
    Instant failingSince = projector.failingSince();
    if (!closed && (!projectorThread.isAlive()
        || failingSince != null && failingSince.plus(PROJECTOR_UNHEALTHY_AFTER).isBefore(Instant.now()))) {
      problems.add("the projector has stopped or keeps failing, so answers are not published");
      classifying = false;
    }
    return new RuntimeHealth(accepting, classifying, problems);
  }

  /** True while the runtime can both accept and classify ({@link #health}). */
  public boolean healthy() {
    return health().healthy();
  }

  /**
   * Waits until nothing is queued or in work and the view has every event (dead letters do not count), or the
   * timeout passes. For tests, benchmarks and {@code --wait} style tools.
   *
   * @return true when idle
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      QueueDepth depth = queue.depth();
      boolean idle =
          depth.visible() + depth.inFlight() + depth.delayed() == 0 && events.lastSequence() == view.checkpoint();
      if (idle) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
  }

  /**
   * Writes a consistent copy of the database to {@code target} while the runtime runs ({@code VACUUM INTO}). The
   * images are plain immutable files: copy the {@code images/} folder after this, and the copy holds every image
   * the database refers to.
   */
  public void backupDatabase(Path target) {
    db.backupTo(target);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    long waitMillis = Math.max(1, config.shutdownTimeout().toMillis());
    workers.forEach(ClassifyWorker::stop);
    workReady.ring();
    joinAll(workerThreads, waitMillis);
    projector.stop();
    joinAll(List.of(projectorThread, scanThread), waitMillis);
    delivery.ifPresent(WebhookDelivery::stop);
    joinAll(deliveryThread.stream().toList(), waitMillis);
    db.close();
    try {
      folderLock.close();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot release the data folder lock: " + e.getMessage());
    }
    LOG.log(Level.INFO, "runtime closed");
  }

  private void scanImageFolder() {
    try {
      recovery.scanImageFolder();
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.log(Level.WARNING, "start-up scan of the image folder failed: " + e.getMessage());
      }
    }
  }

  private static void joinAll(List<Thread> threads, long waitMillis) {
    long deadline = System.currentTimeMillis() + waitMillis;
    for (Thread thread : threads) {
      try {
        thread.join(Math.max(1, deadline - System.currentTimeMillis()));
        if (thread.isAlive()) {
          LOG.log(Level.WARNING, thread.getName() + " did not stop in time; interrupting it (its lease is released"
              + " at the next start)");
          thread.interrupt();
          thread.join(1000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static Thread thread(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    // a JVM that exits without close() loses nothing: leases come back at the next start
    thread.setDaemon(true);
    return thread;
  }

  /**
   * The view as replays see it: a reset waits for the projection batch in progress and wakes the projector after,
   * so a rebuild and the projector never interleave half a batch, and the projector re-projects from sequence 0
   * alongside the rebuild (rows are version-guarded, both converge).
   */
  private static final class ProjectorSafeView implements ResultView {
    private final SqliteResultView view;
    private final ProjectorLoop projector;
    private final Wakeup appended;

    ProjectorSafeView(SqliteResultView view, ProjectorLoop projector, Wakeup appended) {
      this.view = view;
      this.projector = projector;
      this.appended = appended;
    }

    @Override
    public boolean save(ImageState state) {
      return view.save(state);
    }

    @Override
    public Optional<ImageState> image(ImageId imageId) {
      return view.image(imageId);
    }

    @Override
    public BatchPage batch(BatchId batchId, PageRequest page) {
      return view.batch(batchId, page);
    }

    @Override
    public void remove(ImageId imageId) {
      projector.exclusive(() -> view.remove(imageId));
    }

    @Override
    public void reset() {
      projector.exclusive(view::reset);
      appended.ring();
    }
  }
}
