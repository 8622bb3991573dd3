package io.catwrangler.api;

import io.catwrangler.core.classify.ClassifyImages;
import io.catwrangler.core.config.PipelineConfig;
import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.core.fake.InMemoryEventStore;
import io.catwrangler.core.fake.InMemoryImageStore;
import io.catwrangler.core.fake.InMemoryResultView;
import io.catwrangler.core.fake.InMemoryWorkQueue;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.image.ImageLimits;
import io.catwrangler.core.ingest.IngestImage;
import io.catwrangler.core.label.RecordLabel;
import io.catwrangler.core.notify.NotifyAllowList;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.contract.MutableClock;
import io.catwrangler.core.projection.ProjectEventFeed;
import io.catwrangler.core.quality.MeasureQuality;
import io.catwrangler.core.query.QueryResults;
import io.catwrangler.core.replay.ReplayEvents;
import java.util.concurrent.atomic.AtomicBoolean;

/** The API over the use cases wired to core's in-memory fakes, with a worker loop and the projector at hand. */
final class ApiFixture {
  static final double THRESHOLD = 0.3;

  final MutableClock clock = MutableClock.startingAt("2025-05-01T12:00:00Z");
  final PipelineConfig config;
  final InMemoryEventStore events = new InMemoryEventStore();
  final InMemoryImageStore images = new InMemoryImageStore();
  final InMemoryWorkQueue queue;
  final InMemoryResultView view = new InMemoryResultView();
  final FakeCatDetector detector = new FakeCatDetector(THRESHOLD);
  final ClassifyImages classify;
  final ProjectEventFeed feed;
  final AtomicBoolean healthy = new AtomicBoolean(true);
  final Api api;
  /** The same routes without the label routes. */
  final Api withoutLabels;

  ApiFixture() {
    this(ImageLimits.DEFAULT);
  }

  ApiFixture(ImageLimits limits) {
    this(limits, null);
  }

  /** @param readEvents the event store the query reads through (to inject failures); the fake when null */
  ApiFixture(ImageLimits limits, EventStore readEvents) {
    this(limits, readEvents, NotifyAllowList.NONE);
  }

  /** @param notifyAllowList where uploads may ask to be notified */
  ApiFixture(ImageLimits limits, EventStore readEvents, NotifyAllowList notifyAllowList) {
    config = new PipelineConfig(limits, THRESHOLD, 3, 10);
    queue = new InMemoryWorkQueue(config.maxAttempts(), clock);
    IngestImage ingest = new IngestImage(new ImageInspector(limits), images, events, queue, clock, config)
        .allowingNotificationsTo(notifyAllowList);
    classify = new ClassifyImages(events, images, detector, clock, config);
    feed = new ProjectEventFeed(events, events, view, 50);
    QueryResults query = new QueryResults(view, readEvents == null ? events : readEvents);
    ReplayEvents replay = new ReplayEvents(events, view, classify, clock, config);
    withoutLabels = Api.builder().ingest(ingest).query(query).replay(replay).deadLetters(queue)
        .health(() -> new Api.Health(healthy.get(), java.util.Map.of("queue_depth", queue.depth()))).build();
    api = withoutLabels.toBuilder().labelRecording(new RecordLabel(events, clock, config))
        .quality(new MeasureQuality(view, classify.model(), config)).build();
  }

  ApiResponse call(ApiRequest.Builder request) {
    return api.handle(request.build());
  }

  /** Works the queue until it is empty (settled → ack, else release), then projects everything. */
  void settle() {
    queue.drainWith(classify, clock);
    feed.catchUp();
  }
}
