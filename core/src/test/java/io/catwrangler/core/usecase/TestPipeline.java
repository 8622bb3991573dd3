package io.catwrangler.core.usecase;

import io.catwrangler.core.classify.ClassifyImages;
import io.catwrangler.core.classify.ClassifyOutcome;
import io.catwrangler.core.config.PipelineConfig;
import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.core.fake.InMemoryEventStore;
import io.catwrangler.core.fake.InMemoryImageStore;
import io.catwrangler.core.fake.InMemoryResultView;
import io.catwrangler.core.fake.InMemoryWorkQueue;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.core.ingest.IngestImage;
import io.catwrangler.core.ingest.IngestResult;
import io.catwrangler.core.ingest.Upload;
import io.catwrangler.core.projection.ProjectEventFeed;
import io.catwrangler.core.projection.ProjectEvents;
import io.catwrangler.core.port.contract.MutableClock;
import io.catwrangler.core.query.QueryResults;
import io.catwrangler.core.replay.ReplayEvents;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.Event;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.SubmissionSource;
import java.time.Duration;
import java.util.List;

/** The use cases wired to the in-memory adapters, with a worker loop like the embedded runtime's. */
final class TestPipeline {
  static final double THRESHOLD = 0.3;

  final MutableClock clock = MutableClock.startingAt("2025-05-01T12:00:00Z");
  final PipelineConfig config = PipelineConfig.DEFAULTS.withThreshold(THRESHOLD).withMaxAttempts(3);
  final InMemoryEventStore events = new InMemoryEventStore();
  final InMemoryImageStore images = new InMemoryImageStore();
  final InMemoryWorkQueue queue = new InMemoryWorkQueue(config.maxAttempts(), clock);
  final InMemoryResultView view = new InMemoryResultView();
  final FakeCatDetector detector = new FakeCatDetector(THRESHOLD);

  final IngestImage ingest =
      new IngestImage(new ImageInspector(config.imageLimits()), images, events, queue, clock, config);
  final ClassifyImages classify = new ClassifyImages(events, images, detector, clock, config);
  final ProjectEvents project = new ProjectEvents(events, view);
  final ProjectEventFeed feed = new ProjectEventFeed(events, events, view, 7);
  final QueryResults query = new QueryResults(view, events);
  final ReplayEvents replay = new ReplayEvents(events, view, classify, clock, config);

  IngestResult upload(byte[] bytes, String batch, String fileName) throws ImageRejectedException {
    clock.advance(Duration.ofSeconds(1));
    return ingest.ingest(Upload.of(bytes, SubmissionSource.API).withBatchId(batch).withFileName(fileName));
  }

  /**
   * Works the queue like the embedded worker until it is empty: settled outcomes are acked, the others released
   * for a retry at once. Returns every outcome in order.
   */
  List<ClassifyOutcome> drain() {
    return queue.drainWith(classify, clock);
  }

  /** Brings the view up to date through the embedded feed. */
  void projectAll() {
    feed.catchUp();
  }

  List<ClassificationSucceeded> successes(ImageId id) {
    return events.read(id).stream()
        .filter(ClassificationSucceeded.class::isInstance)
        .map(ClassificationSucceeded.class::cast)
        .toList();
  }

  List<Event> stream(ImageId id) {
    return events.read(id);
  }
}
