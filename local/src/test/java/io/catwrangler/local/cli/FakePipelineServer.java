package io.catwrangler.local.cli;

import io.catwrangler.api.Api;
import io.catwrangler.core.classify.ClassifyAttempt;
import io.catwrangler.core.classify.ClassifyImages;
import io.catwrangler.core.classify.ClassifyOutcome;
import io.catwrangler.core.config.PipelineConfig;
import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.core.fake.InMemoryEventStore;
import io.catwrangler.core.fake.InMemoryImageStore;
import io.catwrangler.core.fake.InMemoryResultView;
import io.catwrangler.core.fake.InMemoryWorkQueue;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.ingest.IngestImage;
import io.catwrangler.core.label.RecordLabel;
import io.catwrangler.core.port.Lease;
import io.catwrangler.core.projection.ProjectEventFeed;
import io.catwrangler.core.quality.MeasureQuality;
import io.catwrangler.core.query.QueryResults;
import io.catwrangler.core.replay.ReplayEvents;
import io.catwrangler.local.http.EmbeddedHttpServer;
import io.catwrangler.local.http.HttpServerConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real HTTP server over the API wired to core's in-memory fakes, with a worker thread that classifies with the
 * fake detector and projects: the CLI's commands see a working pipeline in milliseconds, no model needed.
 */
final class FakePipelineServer implements AutoCloseable {
  final InMemoryEventStore events = new InMemoryEventStore();
  final InMemoryImageStore images = new InMemoryImageStore();
  final InMemoryWorkQueue queue = new InMemoryWorkQueue(3, Clock.systemUTC());
  final InMemoryResultView view = new InMemoryResultView();
  final FakeCatDetector detector = new FakeCatDetector(0.3);
  final EmbeddedHttpServer http;
  private final Thread worker;
  private volatile boolean running = true;
  private volatile boolean paused;
  private final Object turn = new Object();

  FakePipelineServer(Optional<String> token) throws IOException {
    this(token, Integer.MAX_VALUE);
  }

  /** @param resultsPerResponse rows of a batch's export a response holds, as on AWS ({@link Api.Builder#resultsPerResponse}) */
  FakePipelineServer(Optional<String> token, int resultsPerResponse) throws IOException {
    PipelineConfig config = PipelineConfig.DEFAULTS.withMaxAttempts(3);
    Clock clock = Clock.systemUTC();
    IngestImage ingest = new IngestImage(new ImageInspector(config.imageLimits()), images, events, queue, clock,
        config);
    ClassifyImages classify = new ClassifyImages(events, images, detector, clock, config);
    ProjectEventFeed feed = new ProjectEventFeed(events, events, view, 100);
    Api.Builder api = Api.builder().ingest(ingest).query(new QueryResults(view, events))
        .replay(new ReplayEvents(events, view, classify, clock, config)).deadLetters(queue)
        .labelRecording(new RecordLabel(events, clock, config)).quality(new MeasureQuality(view, classify.model(), config));
    if (resultsPerResponse < Integer.MAX_VALUE) {
      api.resultsPerResponse(resultsPerResponse);
    }
    http = EmbeddedHttpServer.start(api.build(), new HttpServerConfig("127.0.0.1", 0, token, false), out -> {});
    worker = new Thread(() -> {
      while (running) {
        List<Lease> leases = List.of();
        synchronized (turn) {
          if (!paused) {
            leases = queue.lease(10, Duration.ofMinutes(1));
            for (Lease lease : leases) {
              ClassifyOutcome outcome = classify.classify(new ClassifyAttempt(lease.request(), lease.attempt()));
              if (outcome.settled()) {
                queue.ack(lease);
              } else {
                queue.release(lease, Duration.ZERO);
              }
            }
          }
          feed.catchUp();
        }
        if (leases.isEmpty()) {
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }, "fake-worker");
    worker.setDaemon(true);
    worker.start();
  }

  /** Stops (or resumes) the worker; returns once its current round is over. */
  void pause(boolean value) {
    synchronized (turn) {
      paused = value;
    }
  }

  URI url() {
    return http.url();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    worker.join(5000);
    http.close();
  }
}
