package io.catwrangler.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.classify.ClassifyAttempt;
import io.catwrangler.core.classify.ClassifyOutcome;
import io.catwrangler.core.ingest.IngestResult;
import io.catwrangler.core.ingest.Upload;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.Lease;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.core.port.UnitOfWork;
import io.catwrangler.events.ClassificationFailed;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.ClassificationTrigger;
import io.catwrangler.events.Event;
import io.catwrangler.events.EventCodec;
import io.catwrangler.events.FailureReason;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.ImageStatus;
import io.catwrangler.events.SubmissionSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ClassifyImagesTest {
  private final TestPipeline p = new TestPipeline();

  @Test
  void classifiesAQueuedImage() throws Exception {
    byte[] png = TestImages.png(1);
    ImageId id = ImageId.sha256Of(png);
    p.detector.score(id, 0.8);
    p.upload(png, "batch-1", "cat.png");

    List<ClassifyOutcome> outcomes = p.drain();

    assertThat(outcomes).singleElement().isInstanceOf(ClassifyOutcome.Succeeded.class);
    assertThat(p.stream(id)).hasSize(2);
    ClassificationSucceeded success = p.successes(id).get(0);
    assertThat(success.version()).isEqualTo(2);
    assertThat(success.classification().isCat()).isTrue();
    assertThat(success.classification().catScore()).isEqualTo(0.8);
    assertThat(success.classification().model().version()).isEqualTo("v1");
    assertThat(success.classification().trigger()).isEqualTo(ClassificationTrigger.INITIAL);
    assertThat(success.classification().attempt()).isEqualTo(1);
    assertThat(success.classification().timingsMs()).containsKeys("decode", "inference");
    assertThat(success.classification().raw()).containsKey("heatmap_max");
  }

  @Test
  void theSameBytesInTwoBatchesAreClassifiedOnceAndListedInBoth() throws Exception {
    byte[] jpeg = TestImages.jpeg(2);
    ImageId id = ImageId.sha256Of(jpeg);
    p.detector.score(id, 0.1);
    p.upload(jpeg, "batch-1", "first.jpg");
    p.upload(jpeg, "batch-2", "second.jpg");

    List<ClassifyOutcome> outcomes = p.drain();
    p.projectAll();

    assertThat(outcomes).hasSize(2);
    assertThat(outcomes).filteredOn(o -> o instanceof ClassifyOutcome.Succeeded).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o instanceof ClassifyOutcome.AlreadyClassified).hasSize(1);
    assertThat(p.successes(id)).hasSize(1);
    assertThat(p.detector.calls()).isEqualTo(1);
    for (String batch : List.of("batch-1", "batch-2")) {
      var page = p.query.batch(batch, java.util.Optional.empty(), 10);
      assertThat(page.images()).singleElement().satisfies(e -> {
        assertThat(e.imageId()).isEqualTo(id);
        assertThat(e.status()).isEqualTo(ImageStatus.CLASSIFIED);
        assertThat(e.isCat()).contains(false);
      });
    }
  }

  @Test
  void eightConcurrentWorkersOnOneImageRecordExactlyOneAnswer() throws Exception {
    byte[] png = TestImages.png(3);
    ImageId id = ImageId.sha256Of(png);
    p.detector.score(id, 0.7).delay(Duration.ofMillis(20));
    // the S3 path: eight notifications for eight objects with the same bytes, nothing recorded yet
    List<ClassifyRequest> requests = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      requests.add(p.ingest.admit(Upload.of(png, SubmissionSource.S3).withBatchId("batch-" + i)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<ClassifyOutcome> outcomes = new ArrayList<>();
    try {
      List<Future<ClassifyOutcome>> futures = new ArrayList<>();
      for (ClassifyRequest request : requests) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return p.classify.classify(new ClassifyAttempt(request, 1));
                }));
      }
      start.countDown();
      for (Future<ClassifyOutcome> f : futures) {
        outcomes.add(f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(outcomes).allMatch(ClassifyOutcome::settled);
    assertThat(outcomes).filteredOn(o -> o instanceof ClassifyOutcome.Succeeded).hasSize(1);
    assertThat(p.successes(id)).hasSize(1);
    assertThat(p.stream(id)).filteredOn(ImageReceived.class::isInstance).hasSize(8);
    ImageState state = ImageState.fold(id, p.stream(id));
    assertThat(state.status()).isEqualTo(ImageStatus.CLASSIFIED);
    assertThat(state.batchIds()).hasSize(8);
    assertThat(p.events.conflictCount()).as("the workers really raced").isPositive();
  }

  @Test
  void aTransientFailureIsRetriedAndThenSucceeds() throws Exception {
    byte[] png = TestImages.png(4);
    ImageId id = ImageId.sha256Of(png);
    p.detector.score(id, 0.9).failTimes(id, 1);
    p.upload(png, "batch-1", "cat.png");

    List<ClassifyOutcome> outcomes = p.drain();

    assertThat(outcomes).hasSize(2);
    assertThat(outcomes.get(0)).isInstanceOf(ClassifyOutcome.RetryLater.class);
    assertThat(outcomes.get(1)).isInstanceOf(ClassifyOutcome.Succeeded.class);
    List<Event> stream = p.stream(id);
    assertThat(stream).hasSize(3);
    assertThat(stream.get(1)).isInstanceOfSatisfying(ClassificationFailed.class, f -> {
      assertThat(f.failure().reason()).isEqualTo(FailureReason.DETECTOR_ERROR);
      assertThat(f.failure().retryable()).isTrue();
      assertThat(f.failure().attempt()).isEqualTo(1);
    });
    assertThat(stream.get(2)).isInstanceOfSatisfying(
        ClassificationSucceeded.class, s -> assertThat(s.classification().attempt()).isEqualTo(2));
    ImageState state = ImageState.fold(id, stream);
    assertThat(state.status()).isEqualTo(ImageStatus.CLASSIFIED);
    assertThat(state.attempts()).isEqualTo(2);
  }

  @Test
  void theLastAttemptRecordsRetriesExhaustedAndTheImageFails() throws Exception {
    byte[] png = TestImages.png(5);
    ImageId id = ImageId.sha256Of(png);
    p.detector.down(true);
    p.upload(png, "batch-1", "cat.png");

    List<ClassifyOutcome> outcomes = p.drain();

    assertThat(outcomes).hasSize(3);
    assertThat(outcomes.get(2)).isInstanceOfSatisfying(ClassifyOutcome.FailedTerminal.class, f -> {
      assertThat(f.recordedNow()).isTrue();
      assertThat(f.failure().failure().reason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
      assertThat(f.failure().failure().retryable()).isFalse();
      assertThat(f.failure().failure().attempt()).isEqualTo(3);
    });
    ImageState state = ImageState.fold(id, p.stream(id));
    assertThat(state.status()).isEqualTo(ImageStatus.FAILED);
    assertThat(state.attempts()).isEqualTo(3);
    assertThat(p.queue.depth()).isZero();
    assertThat(p.queue.deadLetters(10)).isEmpty();

    // the detector is back: a new submission of the same bytes tries again
    p.detector.down(false);
    p.upload(png, "batch-2", "again.png");
    p.drain();
    assertThat(ImageState.fold(id, p.stream(id)).status()).isEqualTo(ImageStatus.CLASSIFIED);
  }

  @Test
  void bytesTheDetectorRejectsFailAtOnceAndStayFailed() throws Exception {
    byte[] jpeg = TestImages.jpeg(6);
    ImageId id = ImageId.sha256Of(jpeg);
    p.detector.reject(id);
    p.upload(jpeg, "batch-1", "truncated.jpg");

    List<ClassifyOutcome> first = p.drain();
    p.upload(jpeg, "batch-2", "truncated-again.jpg");
    List<ClassifyOutcome> second = p.drain();

    assertThat(first).singleElement().isInstanceOfSatisfying(ClassifyOutcome.FailedTerminal.class, f -> {
      assertThat(f.recordedNow()).isTrue();
      assertThat(f.failure().failure().reason()).isEqualTo(FailureReason.INVALID_IMAGE);
      assertThat(f.failure().failure().message()).contains("truncated");
    });
    assertThat(second).singleElement().isInstanceOfSatisfying(
        ClassifyOutcome.FailedTerminal.class, f -> assertThat(f.recordedNow()).isFalse());
    assertThat(p.detector.calls()).isEqualTo(1);
    ImageState state = ImageState.fold(id, p.stream(id));
    assertThat(state.status()).isEqualTo(ImageStatus.FAILED);
    assertThat(state.submissions()).hasSize(2);
  }

  @Test
  void theWorkerRecordsASubmissionThatIngestDidNotGetToRecord() throws Exception {
    byte[] png = TestImages.png(7);
    // ingest stored and queued, then died before appending
    p.queue.enqueue(p.ingest.admit(Upload.of(png, SubmissionSource.API).withBatchId("batch-1")));

    p.drain();

    List<Event> stream = p.stream(ImageId.sha256Of(png));
    assertThat(stream).hasSize(2);
    assertThat(stream.get(0)).isInstanceOf(ImageReceived.class);
    assertThat(stream.get(1)).isInstanceOf(ClassificationSucceeded.class);
  }

  @Test
  void aRedeliveryAfterSuccessRecordsNothingMore() throws Exception {
    byte[] png = TestImages.png(8);
    IngestResult result = p.upload(png, "batch-1", "cat.png");
    Lease lease = p.queue.lease(1, Duration.ofMinutes(1)).get(0);
    p.classify.classify(new ClassifyAttempt(lease.request(), lease.attempt()));
    int eventsBefore = p.stream(result.imageId()).size();

    // the ack was lost: the same message comes again
    ClassifyOutcome again = p.classify.classify(new ClassifyAttempt(lease.request(), 2));

    assertThat(again).isInstanceOf(ClassifyOutcome.AlreadyClassified.class);
    assertThat(p.stream(result.imageId())).hasSize(eventsBefore);
  }

  @Test
  void theWorkWithTheRecordGetsTheOutcomeRecordedAndNothingWhenNothingIsRecorded() throws Exception {
    byte[] png = TestImages.png(10);
    p.upload(png, "batch-1", "cat.png");
    Lease lease = p.queue.lease(1, Duration.ofMinutes(1)).get(0);
    List<ClassifyOutcome> given = new ArrayList<>();

    ClassifyOutcome first = p.classify.classify(new ClassifyAttempt(lease.request(), 1), given::add);
    ClassifyOutcome again = p.classify.classify(new ClassifyAttempt(lease.request(), 2), given::add);

    assertThat(first).isInstanceOf(ClassifyOutcome.Succeeded.class);
    assertThat(again).isInstanceOf(ClassifyOutcome.AlreadyClassified.class);
    assertThat(given).singleElement().isSameAs(first);
  }

  @Test
  void aStepThatFailsAfterItsWorkKeepsNothingAndReturnsAnotherOutcome() throws Exception {
    byte[] png = TestImages.png(11);
    IngestResult result = p.upload(png, "batch-1", "cat.png");
    Lease lease = p.queue.lease(1, Duration.ofMinutes(1)).get(0);
    // a unit whose commit is refused once the work has run (the in-memory stores cannot roll back: the test only
    // checks what the caller is told)
    UnitOfWork refusingCommits = new UnitOfWork() {
      @Override
      public <T> T atomically(Supplier<T> work) {
        work.get();
        throw new StorageUnavailableException("commit refused, for the test", null);
      }
    };
    List<ClassifyOutcome> given = new ArrayList<>();

    ClassifyOutcome outcome = p.classify.inOneStep(refusingCommits)
        .classify(new ClassifyAttempt(lease.request(), lease.attempt()), given::add);

    assertThat(outcome).isInstanceOf(ClassifyOutcome.RetryLater.class);
    assertThat(given).singleElement().isNotSameAs(outcome);
    assertThat(result.imageId()).isEqualTo(outcome.imageId());
  }

  @Test
  void missingBytesAreTransientUntilTheAttemptsRunOut() throws Exception {
    byte[] png = TestImages.png(9);
    IngestResult result = p.upload(png, "batch-1", "cat.png");
    p.images.lose(result.imageId());

    List<ClassifyOutcome> outcomes = p.drain();

    assertThat(outcomes).hasSize(3);
    assertThat(outcomes.get(0)).isInstanceOf(ClassifyOutcome.RetryLater.class);
    assertThat(outcomes.get(2)).isInstanceOf(ClassifyOutcome.FailedTerminal.class);
    assertThat(p.detector.calls()).isZero();
  }

  @Test
  void aStreamWrittenByANewerReleaseIsLeftForLater() throws Exception {
    byte[] png = TestImages.png(10);
    IngestResult result = p.upload(png, "batch-1", "cat.png");
    var newer = new EventCodec().toTree(p.stream(result.imageId()).get(0));
    newer.put("schema_version", 2).put("version", 2);
    p.events.appendRaw(result.imageId(), newer.toString());
    Lease lease = p.queue.lease(1, Duration.ofMinutes(1)).get(0);

    ClassifyOutcome outcome = p.classify.classify(new ClassifyAttempt(lease.request(), 1));

    assertThat(outcome).isInstanceOfSatisfying(
        ClassifyOutcome.RetryLater.class, r -> assertThat(r.reason()).contains("schema version 2"));
    assertThat(p.detector.calls()).isZero();
  }

  @Test
  void oneBadRequestDoesNotFailTheBatch() throws Exception {
    byte[] good = TestImages.png(11);
    byte[] bad = TestImages.png(12);
    p.detector.reject(ImageId.sha256Of(bad));
    p.upload(good, "batch-1", "good.png");
    p.upload(bad, "batch-1", "bad.png");
    List<Lease> leases = p.queue.lease(10, Duration.ofMinutes(1));

    List<ClassifyOutcome> outcomes =
        p.classify.classify(leases.stream().map(l -> new ClassifyAttempt(l.request(), l.attempt())).toList());

    assertThat(outcomes).hasSize(2).allMatch(ClassifyOutcome::settled);
    assertThat(outcomes.get(0).imageId()).isEqualTo(leases.get(0).request().imageId());
    assertThat(outcomes.get(1).imageId()).isEqualTo(leases.get(1).request().imageId());
  }
}
