package io.catwrangler.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.core.ingest.IngestResult;
import io.catwrangler.core.ingest.Upload;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.contract.MutableClock;
import io.catwrangler.core.query.Answer;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.ClassificationFailed;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.Event;
import io.catwrangler.events.FailureReason;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.ImageStatus;
import io.catwrangler.events.Submission;
import io.catwrangler.events.SubmissionId;
import io.catwrangler.events.SubmissionSource;
import io.catwrangler.local.fs.FileImageStore;
import io.catwrangler.local.sqlite.SqliteDatabase;
import io.catwrangler.local.sqlite.SqliteEventStore;
import io.catwrangler.local.sqlite.SqliteWorkQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRuntimeTest {
  private static final Duration IDLE = Duration.ofSeconds(60);

  @TempDir Path dataDir;

  private LocalConfig config() {
    return LocalConfig.defaults(dataDir)
        .withWorkers(2)
        .withMaxAttempts(3)
        .withRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
  }

  private FakeCatDetector detector() {
    return new FakeCatDetector(config().detector().threshold());
  }

  private static Upload upload(int seed, String batch) {
    return Upload.of(TestImages.png(seed), SubmissionSource.API).withBatchId(batch).withFileName("cat-" + seed + ".png");
  }

  private static long classifications(List<Event> stream) {
    return stream.stream().filter(e -> e instanceof ClassificationSucceeded).count();
  }

  @Test
  void anUploadIsClassifiedAndItsBatchListsIt() throws Exception {
    FakeCatDetector detector = detector();
    try (LocalRuntime runtime = LocalRuntime.open(config(), detector)) {
      IngestResult accepted = runtime.ingest().ingest(upload(1, "batch-1"));
      detector.score(ImageId.sha256Of(TestImages.png(2)), 0.05);
      IngestResult dog = runtime.ingest().ingest(upload(2, "batch-1"));

      assertThat(runtime.awaitIdle(IDLE)).isTrue();

      var answer = runtime.query().image(accepted.imageId().value(), false);
      assertThat(answer.status()).isEqualTo(ImageStatus.CLASSIFIED);
      assertThat(answer.answer()).contains(Answer.of(true));
      assertThat(runtime.query().image(dog.imageId().value(), false).answer()).contains(Answer.of(false));
      var batch = runtime.query().batch("batch-1", Optional.empty(), 10);
      assertThat(batch.images()).hasSize(2);
      assertThat(batch.counts().get(ImageStatus.CLASSIFIED)).isEqualTo(2);
      assertThat(Files.isRegularFile(dataDir.resolve("images").resolve(accepted.imageId().value().substring(0, 2))
          .resolve(accepted.imageId().value().substring(2, 4)).resolve(accepted.imageId().value()))).isTrue();
      assertThat(runtime.healthy()).isTrue();
    }
  }

  @Test
  void theSameBytesInTwoBatchesAreClassifiedOnce() throws Exception {
    FakeCatDetector detector = detector();
    try (LocalRuntime runtime = LocalRuntime.open(config(), detector)) {
      IngestResult first = runtime.ingest().ingest(upload(7, "batch-a"));
      IngestResult second = runtime.ingest().ingest(upload(7, "batch-b"));
      assertThat(runtime.awaitIdle(IDLE)).isTrue();

      assertThat(second.imageId()).isEqualTo(first.imageId());
      List<Event> stream = runtime.query().history(first.imageId().value());
      assertThat(classifications(stream)).isEqualTo(1);
      assertThat(stream.stream().filter(e -> e instanceof ImageReceived)).hasSize(2);
      for (String batch : List.of("batch-a", "batch-b")) {
        var page = runtime.query().batch(batch, Optional.empty(), 10);
        assertThat(page.images()).singleElement().satisfies(entry -> {
          assertThat(entry.imageId()).isEqualTo(first.imageId());
          assertThat(entry.isCat()).contains(true);
        });
      }
      RuntimeMetrics metrics = runtime.metrics();
      assertThat(metrics.submissions()).isEqualTo(2);
      assertThat(metrics.imagesClassified()).isEqualTo(1);
      assertThat(metrics.classifiedSinceStart() + metrics.alreadyClassifiedSinceStart()).isEqualTo(2);
      assertThat(metrics.classifyLatency().count()).isEqualTo(2);
      assertThat(metrics.queueDepth()).isZero();
      assertThat(metrics.projectorLag()).isZero();
    }
  }

  @Test
  void transientDetectorErrorsAreRetriedThenTheImageFailsForGood() throws Exception {
    FakeCatDetector detector = detector();
    ImageId flaky = ImageId.sha256Of(TestImages.png(3));
    ImageId broken = ImageId.sha256Of(TestImages.png(4));
    detector.failTimes(flaky, 2).failTimes(broken, 100);
    try (LocalRuntime runtime = LocalRuntime.open(config(), detector)) {
      runtime.ingest().ingest(upload(3, "retries"));
      runtime.ingest().ingest(upload(4, "retries"));
      assertThat(runtime.awaitIdle(IDLE)).isTrue();

      assertThat(runtime.query().image(flaky.value(), false).status()).isEqualTo(ImageStatus.CLASSIFIED);
      assertThat(runtime.query().image(broken.value(), false).status()).isEqualTo(ImageStatus.FAILED);
      List<Event> history = runtime.query().history(broken.value());
      assertThat(history.get(history.size() - 1)).isInstanceOfSatisfying(ClassificationFailed.class,
          f -> assertThat(f.failure().reason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED));
      assertThat(runtime.metrics().retriedSinceStart()).isEqualTo(4); // 2 for each
      assertThat(runtime.queue().deadLetters(10)).isEmpty();
    }
  }

  @Test
  void aRestartKeepsEverything() throws Exception {
    ImageId id;
    try (LocalRuntime runtime = LocalRuntime.open(config(), detector())) {
      id = runtime.ingest().ingest(upload(5, "keep")).imageId();
      assertThat(runtime.awaitIdle(IDLE)).isTrue();
    }
    try (LocalRuntime runtime = LocalRuntime.open(config(), detector())) {
      assertThat(runtime.query().image(id.value(), false).status()).isEqualTo(ImageStatus.CLASSIFIED);
      assertThat(runtime.query().history(id.value())).hasSize(2);
      assertThat(runtime.query().batch("keep", Optional.empty(), 10).images()).hasSize(1);
      assertThat(runtime.metrics().projectorLag()).isZero();
    }
  }

  @Test
  void oneRuntimePerDataFolder() {
    try (LocalRuntime runtime = LocalRuntime.open(config(), detector())) {
      assertThatThrownBy(() -> LocalRuntime.open(config(), detector()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use");
    }
    LocalRuntime.open(config(), detector()).close(); // the lock went with close()
  }

  @Test
  void aRequestOutOfAttemptsIsADeadLetterUntilRetried() throws Exception {
    ImageId id = ImageId.sha256Of(TestImages.png(6));
    ClassifyRequest request = requestFor(6);
    // a request whose leases all ran out (a poison pill that killed the process three times, say)
    try (SqliteDatabase database = SqliteDatabase.open(config().databaseFile())) {
      FileImageStore.in(dataDir.resolve("images")).put(id, TestImages.png(6));
      new SqliteEventStore(database).append(id, 0, List.of(request.toEvent(1)));
      MutableClock clock = new MutableClock(Instant.now().minus(Duration.ofHours(1)));
      SqliteWorkQueue queue = new SqliteWorkQueue(database, 3, clock);
      queue.enqueue(request);
      for (int attempt = 1; attempt <= 3; attempt++) {
        assertThat(queue.lease(1, Duration.ofMinutes(1))).hasSize(1);
        clock.advance(Duration.ofMinutes(2));
      }
    }

    try (LocalRuntime runtime = LocalRuntime.open(config(), detector())) {
      long deadline = System.nanoTime() + IDLE.toNanos();
      while (runtime.metrics().deadLetters() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(runtime.queue().deadLetters(10)).singleElement().satisfies(dead -> {
        assertThat(dead.request()).isEqualTo(request);
        assertThat(dead.attempts()).isEqualTo(3);
        assertThat(dead.reason()).isEqualTo("max attempts reached");
      });
      awaitRecovery(runtime);
      assertThat(runtime.recovery().requeued()).isZero(); // a dead letter waits for the operator
      assertThat(runtime.query().image(id.value(), false).status()).isEqualTo(ImageStatus.PENDING);

      assertThat(runtime.queue().retryAll()).isEqualTo(1);
      assertThat(runtime.awaitIdle(IDLE)).isTrue();
      assertThat(runtime.query().image(id.value(), false).status()).isEqualTo(ImageStatus.CLASSIFIED);
      assertThat(runtime.metrics().deadLetters()).isZero();
    }
  }

  @Test
  void startUpReleasesLeasesOfThePreviousRunAtOnce() throws Exception {
    Path db = config().databaseFile();
    ImageId id = ImageId.sha256Of(TestImages.png(8));
    // a previous run queued the request and leased it for a long time, then died
    ClassifyRequest request = requestFor(8);
    try (SqliteDatabase database = SqliteDatabase.open(db)) {
      FileImageStore.in(dataDir.resolve("images")).put(id, TestImages.png(8));
      SqliteWorkQueue queue = new SqliteWorkQueue(database, 3, Clock.systemUTC());
      queue.enqueue(request);
      assertThat(queue.lease(1, Duration.ofHours(1))).hasSize(1);
    }

    try (LocalRuntime runtime = LocalRuntime.open(config(), detector())) {
      assertThat(runtime.recovery().leasesReleased()).isEqualTo(1);
      assertThat(runtime.awaitIdle(IDLE)).isTrue();
      assertThat(runtime.query().image(id.value(), false).status()).isEqualTo(ImageStatus.CLASSIFIED);
    }
  }

  @Test
  void startUpQueuesAgainAPendingImageThatHasNoRequest() throws Exception {
    ImageId id = ImageId.sha256Of(TestImages.png(9));
    Files.createDirectories(dataDir);
    // an ImageReceived recorded with no queued request (say, the queue row was lost with a restored backup)
    try (SqliteDatabase database = SqliteDatabase.open(config().databaseFile())) {
      FileImageStore.in(dataDir.resolve("images")).put(id, TestImages.png(9));
      new SqliteEventStore(database).append(id, 0, List.of(requestFor(9).toEvent(1)));
    }

    try (LocalRuntime runtime = LocalRuntime.open(config(), detector())) {
      awaitRecovery(runtime);
      assertThat(runtime.recovery().requeued()).isEqualTo(1);
      assertThat(runtime.awaitIdle(IDLE)).isTrue();
      assertThat(runtime.query().image(id.value(), false).status()).isEqualTo(ImageStatus.CLASSIFIED);
      assertThat(classifications(runtime.query().history(id.value()))).isEqualTo(1);
    }
  }

  @Test
  void startUpCountsImageFilesNobodySubmittedAndDeletesUnfinishedWrites() throws Exception {
    ImageId orphan = ImageId.sha256Of(TestImages.png(10));
    FileImageStore store = FileImageStore.in(dataDir.resolve("images"));
    store.put(orphan, TestImages.png(10));
    Path unfinished = store.path(orphan).resolveSibling(".incoming-123.tmp");
    Files.write(unfinished, new byte[] {1, 2, 3});
    Instant past = Instant.now().minusSeconds(60);
    Files.setLastModifiedTime(unfinished, java.nio.file.attribute.FileTime.from(past));
    Files.setLastModifiedTime(store.path(orphan), java.nio.file.attribute.FileTime.from(past));

    try (LocalRuntime runtime = LocalRuntime.open(config(), detector())) {
      awaitRecovery(runtime);
      assertThat(runtime.recovery().orphanImages()).isEqualTo(1);
      assertThat(runtime.recovery().unfinishedWritesDeleted()).isEqualTo(1);
      assertThat(runtime.metrics().orphanImages()).isEqualTo(1);
    }
    assertThat(unfinished).doesNotExist();
    assertThat(store.path(orphan)).exists(); // kept
  }

  @Test
  void closeLetsTheImageInHandFinish() throws Exception {
    FakeCatDetector detector = detector().delay(Duration.ofMillis(200));
    ImageId id;
    try (LocalRuntime runtime = LocalRuntime.open(config().withWorkers(1), detector)) {
      id = runtime.ingest().ingest(upload(11, "close")).imageId();
      long deadline = System.nanoTime() + IDLE.toNanos();
      while (detector.calls() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    }
    try (SqliteDatabase database = SqliteDatabase.open(config().databaseFile())) {
      assertThat(classifications(new SqliteEventStore(database).read(id))).isEqualTo(1);
      assertThat(new SqliteWorkQueue(database, 3, Clock.systemUTC()).depth().queued()).isZero();
    }
  }

  @Test
  void configIsValidated() {
    assertThatThrownBy(() -> config().withWorkers(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> config().withVisibilityTimeout(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> config().withBatchSize(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> config().withRetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(config().withRetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5)).backoffAfter(1))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(config().withRetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5)).backoffAfter(3))
        .isEqualTo(Duration.ofSeconds(4));
    assertThat(config().withRetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5)).backoffAfter(9))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(config().pipeline().maxAttempts()).isEqualTo(3);
  }

  private static void awaitRecovery(LocalRuntime runtime) throws InterruptedException {
    long deadline = System.nanoTime() + IDLE.toNanos();
    while (!runtime.recovery().complete() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(runtime.recovery().complete()).isTrue();
  }

  private static ClassifyRequest requestFor(int seed) {
    byte[] bytes = TestImages.png(seed);
    ImageId id = ImageId.sha256Of(bytes);
    Submission submission = new Submission(
        SubmissionId.random(), Optional.of(BatchId.of("recovered")), Optional.empty(), Optional.empty(),
        "image/png", bytes.length, 8, 6, SubmissionSource.API,
        "images/" + id.value().substring(0, 2) + "/" + id.value().substring(2, 4) + "/" + id.value(), false);
    return new ClassifyRequest(id, submission, Instant.now(), "test-" + seed);
  }
}
