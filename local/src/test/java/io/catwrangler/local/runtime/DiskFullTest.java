package io.catwrangler.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.api.Api;
import io.catwrangler.api.ApiRequest;
import io.catwrangler.api.ApiResponse;
import io.catwrangler.core.classify.ClassifyImages;
import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.core.fake.InMemoryEventStore;
import io.catwrangler.core.fake.InMemoryImageStore;
import io.catwrangler.core.fake.InMemoryWorkQueue;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.ingest.IngestImage;
import io.catwrangler.core.ingest.Upload;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.DeadLetter;
import io.catwrangler.core.port.Lease;
import io.catwrangler.core.port.StorageFullException;
import io.catwrangler.core.port.WorkQueue;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageStatus;
import io.catwrangler.events.SubmissionSource;
import io.catwrangler.local.http.EmbeddedApi;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, simulated by the free-space figure the runtime reads ({@link DiskSpace.Probe}): uploads are refused
 * whole, health says what the service cannot do and why, workers wait without using up attempts, and everything
 * resumes within seconds once space returns.
 */
class DiskFullTest {
  private static final Duration IDLE = Duration.ofSeconds(30);
  private static final long ROOM = 10L * 1024 * 1024 * 1024;

  @TempDir Path dataDir;
  private final AtomicLong free = new AtomicLong(ROOM);

  private LocalConfig config() {
    return LocalConfig.defaults(dataDir).withWorkers(2).withMaxAttempts(3)
        .withRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
  }

  private LocalRuntime open(FakeCatDetector detector) {
    return LocalRuntime.open(config(), detector, Clock.systemUTC(),
        new DiskSpace(dataDir, DiskSpace.DEFAULT_MIN_FREE, free::get));
  }

  private static Upload upload(int seed) {
    return Upload.of(TestImages.png(seed), SubmissionSource.API).withBatchId("full");
  }

  @Test
  void uploadsAreRefusedAsFullAndHealthSaysWhyThenAllResumesWhenSpaceReturns() throws Exception {
    FakeCatDetector detector = new FakeCatDetector(0.5);
    try (LocalRuntime runtime = open(detector)) {
      ImageId before = runtime.ingest().ingest(upload(1)).imageId();
      assertThat(runtime.awaitIdle(IDLE)).isTrue();

      free.set(10 * 1024 * 1024); // 10 MiB left

      assertThatThrownBy(() -> runtime.ingest().ingest(upload(2)))
          .isInstanceOf(StorageFullException.class)
          .hasMessageContaining("is full: 10.0 MiB free, 64 MiB needed");
      RuntimeHealth health = runtime.health();
      assertThat(health.accepting()).isFalse();
      assertThat(health.classifying()).isFalse();
      assertThat(health.problems()).singleElement().asString().contains("is full");
      assertThat(runtime.healthy()).isFalse();
      Api api = EmbeddedApi.of(runtime);
      ApiResponse healthz = api.handle(ApiRequest.builder("GET", "/healthz").build());
      assertThat(healthz.status()).isEqualTo(503);
      assertThat(healthz.jsonBody().path("accepting").asBoolean(true)).isFalse();
      assertThat(healthz.jsonBody().path("classifying").asBoolean(true)).isFalse();
      assertThat(healthz.jsonBody().path("problems").get(0).asText()).contains("is full");
      ApiResponse refused = api.handle(ApiRequest.builder("POST", "/images").body(TestImages.png(2)).build());
      assertThat(refused.status()).isEqualTo(507);
      assertThat(refused.jsonBody().path("error").asText()).isEqualTo("INSUFFICIENT_STORAGE");
      // what is stored can still be read
      assertThat(runtime.query().image(before.value(), false).status()).isEqualTo(ImageStatus.CLASSIFIED);

      // an upload stored just before the disk filled waits, unleased: no attempt is used up
      free.set(ROOM);
      ImageId waiting = runtime.ingest().ingest(upload(3)).imageId();
      free.set(0);
      Thread.sleep(1_500);
      int callsWhileFull = detector.calls();
      Thread.sleep(1_500);
      assertThat(detector.calls()).isEqualTo(callsWhileFull);

      free.set(ROOM);
      assertThat(runtime.awaitIdle(IDLE)).as("settled well before a 2-minute lease would have ended").isTrue();
      var answer = runtime.query().image(waiting.value(), false);
      assertThat(answer.status()).isEqualTo(ImageStatus.CLASSIFIED);
      assertThat(runtime.health()).isEqualTo(new RuntimeHealth(true, true, List.of()));
      assertThat(api.handle(ApiRequest.builder("GET", "/healthz").build()).status()).isEqualTo(200);
    }
  }

  @Test
  void aRuntimeStartsOnAFullDiskAndSaysSo() throws Exception {
    try (LocalRuntime runtime = open(new FakeCatDetector(0.5))) {
      runtime.ingest().ingest(upload(4));
      assertThat(runtime.awaitIdle(IDLE)).isTrue();
    }
    free.set(1024);
    try (LocalRuntime runtime = open(new FakeCatDetector(0.5))) {
      assertThat(runtime.health().accepting()).isFalse();
      assertThat(runtime.health().problems()).singleElement().asString().contains("is full: 0.0 MiB free");
      assertThat(runtime.query().image(ImageId.sha256Of(TestImages.png(4)).value(), false).status())
          .isEqualTo(ImageStatus.CLASSIFIED);
    }
  }

  @Test
  void aSettleThatFailsIsTriedAgainWithinSecondsNotAfterTheVisibilityTimeout() throws Exception {
    var config = config().withWorkers(1); // visibility timeout: 2 minutes
    var events = new InMemoryEventStore();
    var images = new InMemoryImageStore();
    var queue = new FailingAcks(new InMemoryWorkQueue(3, Clock.systemUTC()), 3);
    var pipeline = config.pipeline();
    var ingest = new IngestImage(new ImageInspector(pipeline.imageLimits()), images, events, queue,
        Clock.systemUTC(), pipeline);
    var classifier = new ClassifyImages(events, images, new FakeCatDetector(0.5), Clock.systemUTC(), pipeline);
    ingest.ingest(upload(5));
    ClassifyWorker worker = new ClassifyWorker(queue, classifier, config, new Wakeup(), new ClassifyWorker.Counters(),
        new DiskSpace(dataDir, 0, () -> ROOM));
    Thread thread = new Thread(worker, "test-worker");
    long start = System.nanoTime();
    thread.start();
    try {
      while (queue.acked.get() == 0 && System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) {
        Thread.sleep(20);
      }
      assertThat(queue.acked.get()).as("acked after %d failed tries", queue.failures.get()).isEqualTo(1);
      assertThat(queue.failures.get()).isEqualTo(3);
      assertThat(queue.depth()).isZero();
    } finally {
      worker.stop();
      thread.join(5_000);
    }
  }

  /** A queue whose first acks fail as on a full disk. */
  private static final class FailingAcks implements WorkQueue {
    private final InMemoryWorkQueue queue;
    private final int failFirst;
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger acked = new AtomicInteger();

    FailingAcks(InMemoryWorkQueue queue, int failFirst) {
      this.queue = queue;
      this.failFirst = failFirst;
    }

    int depth() {
      return queue.depth();
    }

    @Override
    public void enqueue(ClassifyRequest request) {
      queue.enqueue(request);
    }

    @Override
    public List<Lease> lease(int max, Duration visibilityTimeout) {
      return queue.lease(max, visibilityTimeout);
    }

    @Override
    public void ack(Lease lease) {
      if (failures.get() < failFirst) {
        failures.incrementAndGet();
        throw new StorageFullException("database or disk is full", null);
      }
      queue.ack(lease);
      acked.incrementAndGet();
    }

    @Override
    public void release(Lease lease, Duration delay) {
      queue.release(lease, delay);
    }

    @Override
    public void deadLetter(Lease lease, String reason) {
      queue.deadLetter(lease, reason);
    }

    @Override
    public List<DeadLetter> deadLetters(int limit) {
      return queue.deadLetters(limit);
    }

    @Override
    public boolean retry(String deadLetterId) {
      return queue.retry(deadLetterId);
    }

    @Override
    public int retryAll() {
      return queue.retryAll();
    }
  }
}
