package io.catwrangler.ingest;

import io.catwrangler.aws.AwsConfig;
import io.catwrangler.aws.DynamoDbEventStore;
import io.catwrangler.aws.DynamoDbResultView;
import io.catwrangler.aws.S3ImageStore;
import io.catwrangler.core.api.Api;
import io.catwrangler.core.classify.ClassifyImages;
import io.catwrangler.core.detection.CatDetector;
import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.detection.DetectorUnavailableException;
import io.catwrangler.core.detection.ModelInfo;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.ingest.IngestImage;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.DeadLetter;
import io.catwrangler.core.port.Lease;
import io.catwrangler.core.port.WorkQueue;
import io.catwrangler.core.query.QueryResults;
import io.catwrangler.core.replay.ReplayEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The {@link Api} over the AWS adapters, for the Function URL handlers. A function answers only some routes (see
 * {@link FunctionUrlApi}); the collaborators of the routes it does not answer are stand-ins that refuse to work, so
 * that, say, the query function needs neither a queue nor a detector.
 */
public final class ApiWiring {
  private ApiWiring() {}

  /**
   * @param queue the classify queue ({@code POST /images} enqueues), or {@link #NO_QUEUE} for a function without one
   */
  public static Api api(
      AwsConfig config, DynamoDbEventStore events, DynamoDbResultView view, S3ImageStore images, WorkQueue queue,
      Clock clock) {
    IngestImage ingest =
        new IngestImage(new ImageInspector(config.imageLimits()), images, events, queue, clock, config.pipeline());
    QueryResults query = new QueryResults(view, events);
    ClassifyImages noClassifier = new ClassifyImages(events, images, NO_DETECTOR, clock, config.pipeline());
    ReplayEvents replay = new ReplayEvents(events, view, noClassifier, clock, config.pipeline());
    return new Api(ingest, query, replay, queue, config.imageLimits(), Api.Health::ok);
  }

  /** For functions that queue nothing. */
  public static final WorkQueue NO_QUEUE =
      new WorkQueue() {
        @Override
        public void enqueue(ClassifyRequest request) {
          throw new UnsupportedOperationException("this function has no classify queue");
        }

        @Override
        public List<Lease> lease(int max, Duration visibilityTimeout) {
          throw new UnsupportedOperationException("this function has no classify queue");
        }

        @Override
        public void ack(Lease lease) {
          throw new UnsupportedOperationException("this function has no classify queue");
        }

        @Override
        public void release(Lease lease, Duration delay) {
          throw new UnsupportedOperationException("this function has no classify queue");
        }

        @Override
        public void deadLetter(Lease lease, String reason) {
          throw new UnsupportedOperationException("this function has no classify queue");
        }

        @Override
        public List<DeadLetter> deadLetters(int limit) {
          throw new UnsupportedOperationException("this function has no classify queue");
        }

        @Override
        public boolean retry(String deadLetterId) {
          throw new UnsupportedOperationException("this function has no classify queue");
        }

        @Override
        public int retryAll() {
          throw new UnsupportedOperationException("this function has no classify queue");
        }
      };

  /** The HTTP functions run no detector: classify-fn does. */
  private static final CatDetector NO_DETECTOR =
      new CatDetector() {
        @Override
        public ModelInfo model() {
          return new ModelInfo("none", "0");
        }

        @Override
        public CatVerdict detect(byte[] image) {
          throw new DetectorUnavailableException("this function runs no detector", null);
        }
      };
}
