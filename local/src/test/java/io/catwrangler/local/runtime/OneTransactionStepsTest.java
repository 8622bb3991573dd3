package io.catwrangler.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.classify.ClassifyAttempt;
import io.catwrangler.core.classify.ClassifyImages;
import io.catwrangler.core.classify.ClassifyOutcome;
import io.catwrangler.core.config.PipelineConfig;
import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.ingest.IngestImage;
import io.catwrangler.core.ingest.Upload;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.Lease;
import io.catwrangler.core.port.Page;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.core.port.UnitOfWork;
import io.catwrangler.core.projection.ProjectEventFeed;
import io.catwrangler.events.Event;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageStatus;
import io.catwrangler.events.SubmissionSource;
import io.catwrangler.local.fs.FileImageStore;
import io.catwrangler.local.sqlite.SqliteDatabase;
import io.catwrangler.local.sqlite.SqliteEventStore;
import io.catwrangler.local.sqlite.SqliteResultView;
import io.catwrangler.local.sqlite.SqliteWorkQueue;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded runtime's one-transaction steps on a real SQLite database: an upload's queue message and its
 * {@code ImageReceived} (both or neither), an answer and its ack, and a projection batch's reads and save.
 */
class OneTransactionStepsTest {
  @TempDir Path dir;
  private SqliteDatabase db;
  private SqliteEventStore events;
  private SqliteWorkQueue queue;
  private FileImageStore images;
  private final PipelineConfig config = PipelineConfig.DEFAULTS;

  @BeforeEach
  void open() {
    db = SqliteDatabase.open(dir.resolve(SqliteDatabase.FILE_NAME));
    events = new SqliteEventStore(db);
    queue = new SqliteWorkQueue(db, 3, Clock.systemUTC());
    images = FileImageStore.in(dir.resolve("images"));
  }

  @AfterEach
  void close() {
    db.close();
  }

  private IngestImage ingest(EventStore store, UnitOfWork unit) {
    return new IngestImage(new ImageInspector(config.imageLimits()), images, store, queue, Clock.systemUTC(), config)
        .inOneStep(unit);
  }

  private static Upload upload(int seed) {
    return Upload.of(TestImages.png(seed), SubmissionSource.API).withBatchId("one-step");
  }

  @Test
  void anUploadIsQueuedAndRecordedTogether() throws Exception {
    var result = ingest(events, db.unitOfWork()).ingest(upload(1));

    assertThat(result.status()).isEqualTo(ImageStatus.PENDING);
    assertThat(events.read(result.imageId())).hasSize(1);
    assertThat(queue.lease(10, Duration.ofMinutes(1)))
        .singleElement()
        .satisfies(lease -> assertThat(lease.request().imageId()).isEqualTo(result.imageId()));
  }

  @Test
  void anAppendThatFailsTakesTheQueueMessageWithIt() {
    var refusing = new RefusingAppends(events);

    assertThatThrownBy(() -> ingest(refusing, db.unitOfWork()).ingest(upload(2)))
        .isInstanceOf(StorageUnavailableException.class);
    assertThat(queue.lease(10, Duration.ofMinutes(1))).as("the message rolled back with the event").isEmpty();
    assertThat(events.count()).isZero();
  }

  @Test
  void eachOnItsOwnTheMessageStaysForTheWorkerToRecord() {
    var refusing = new RefusingAppends(events);

    assertThatThrownBy(() -> ingest(refusing, UnitOfWork.EACH_ON_ITS_OWN).ingest(upload(3)))
        .isInstanceOf(StorageUnavailableException.class);
    // queued first, so the worker records the submission itself (decision 0004)
    assertThat(queue.lease(10, Duration.ofMinutes(1))).hasSize(1);
  }

  @Test
  void aProjectionBatchInOneTransactionSavesRowsAndCheckpoint() throws Exception {
    var first = ingest(events, db.unitOfWork()).ingest(upload(4));
    var second = ingest(events, db.unitOfWork()).ingest(upload(5));
    var view = new SqliteResultView(db);
    var feed = new ProjectEventFeed(events, events, view, 10, db.unitOfWork());

    assertThat(feed.catchUpOnce()).isEqualTo(2);
    assertThat(feed.catchUpOnce()).isZero();
    assertThat(view.checkpoint()).isEqualTo(events.lastSequence());
    assertThat(view.image(first.imageId())).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(1));
    assertThat(view.image(second.imageId())).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(1));
  }

  private ClassifyImages classifier() {
    return new ClassifyImages(events, images, new FakeCatDetector(0.5), Clock.systemUTC(), config)
        .inOneStep(db.unitOfWork());
  }

  /** What {@link #classifyAcking} saw: the outcome returned and the ones the work with the record was given. */
  private record Acked(ImageId imageId, ClassifyOutcome outcome, List<ClassifyOutcome> given) {}

  /** Uploads image {@code seed}, leases it and classifies it, acking with the record; then {@code afterAck} runs. */
  private Acked classifyAcking(int seed, Runnable afterAck) throws Exception {
    var uploaded = ingest(events, db.unitOfWork()).ingest(upload(seed));
    Lease lease = queue.lease(1, Duration.ofMinutes(1)).get(0);
    List<ClassifyOutcome> given = new ArrayList<>();
    ClassifyOutcome outcome = classifier().classify(new ClassifyAttempt(lease.request(), lease.attempt()), recorded -> {
      queue.ack(lease);
      given.add(recorded);
      afterAck.run();
    });
    return new Acked(uploaded.imageId(), outcome, given);
  }

  @Test
  void anAnswerIsRecordedAndAckedTogether() throws Exception {
    Acked acked = classifyAcking(6, () -> {});

    assertThat(acked.outcome()).isInstanceOf(ClassifyOutcome.Succeeded.class);
    assertThat(acked.given()).singleElement().isSameAs(acked.outcome());
    assertThat(events.read(acked.imageId())).hasSize(2);
    assertThat(queue.depth().inFlight()).isZero();
    assertThat(queue.depth().visible()).isZero();
  }

  @Test
  void anAckThatFailsTakesTheAnswerWithItAndTheRequestStaysLeased() throws Exception {
    Acked acked = classifyAcking(7, () -> {
      throw new StorageUnavailableException("the ack's commit refused, for the test", null);
    });

    assertThat(acked.outcome()).isInstanceOf(ClassifyOutcome.RetryLater.class).isNotSameAs(acked.given().get(0));
    assertThat(events.read(acked.imageId())).as("the answer rolled back with the ack").hasSize(1);
    assertThat(queue.depth().inFlight()).as("the message is still there, leased").isEqualTo(1);
  }

  /** The real store, except that every append fails as an unreachable store's would. */
  private record RefusingAppends(SqliteEventStore store) implements EventStore {
    @Override
    public void append(ImageId imageId, long expectedVersion, List<? extends Event> appended) {
      throw new StorageUnavailableException("refused for the test", null);
    }

    @Override
    public List<Event> read(ImageId imageId) {
      return store.read(imageId);
    }

    @Override
    public Page<ImageId> imageIds(PageRequest page) {
      return store.imageIds(page);
    }
  }
}
