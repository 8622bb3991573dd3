package io.catwrangler.ingest;

import io.catwrangler.aws.AwsConfig;
import io.catwrangler.aws.DynamoDbEventStore;
import io.catwrangler.aws.DynamoDbResultView;
import io.catwrangler.aws.SqsWorkQueue;
import io.catwrangler.core.api.Api;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.ingest.IngestImage;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.DeadLetter;
import io.catwrangler.core.port.ImageStore;
import io.catwrangler.core.port.Lease;
import io.catwrangler.core.port.ReplayCheckpoints;
import io.catwrangler.core.port.WorkQueue;
import io.catwrangler.core.query.QueryResults;
import io.catwrangler.core.replay.ReplayEvents;
import io.catwrangler.events.ImageId;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The {@link Api} over the AWS adapters, for the Function URL handlers. A function answers only some routes (see
 * {@link FunctionUrlApi}); the collaborators of the routes it does not answer are stand-ins that refuse to work, so
 * that, say, the query function needs no queue. No function runs a detector for the API: re-classifications of
 * {@code POST /admin/replay} go to the classify queue, for classify-fn.
 */
public final class ApiWiring {
  private ApiWiring() {}

  /**
   * @param images the image store ({@code POST /images} stores), or {@link #NO_IMAGES} for a function without one
   * @param queue the classify queue ({@code POST /images} and re-classifications enqueue), or {@link #NO_QUEUE} for
   *     a function without one
   */
  public static Api api(
      AwsConfig config, DynamoDbEventStore events, DynamoDbResultView view, ImageStore images, WorkQueue queue,
      Clock clock) {
    return api(config, events, view, images, queue, ReplayCheckpoints.NONE, clock);
  }

  /** @param checkpoints where a re-classification of every image records how far it got (admin) */
  public static Api api(
      AwsConfig config, DynamoDbEventStore events, DynamoDbResultView view, ImageStore images, WorkQueue queue,
      ReplayCheckpoints checkpoints, Clock clock) {
    IngestImage ingest =
        new IngestImage(new ImageInspector(config.imageLimits()), images, events, queue, clock, config.pipeline());
    QueryResults query = new QueryResults(view, events);
    ReplayEvents replay = ReplayEvents.queueing(events, view, queue, clock, config.pipeline(), checkpoints);
    return new Api(ingest, query, replay, queue, config.imageLimits(), Api.Health::ok);
  }

  /** The classify queue and its dead-letter queue from the configuration, which must name both. */
  public static SqsWorkQueue classifyQueue(AwsConfig config, SqsClient sqs, Clock clock) {
    String queueUrl = config.classifyQueueUrl()
        .orElseThrow(() -> new IllegalArgumentException("invalid configuration: CW_CLASSIFY_QUEUE_URL is required"));
    String dlqUrl = config.deadLetterQueueUrl()
        .orElseThrow(() -> new IllegalArgumentException("invalid configuration: CW_DEAD_LETTER_QUEUE_URL is required"));
    return new SqsWorkQueue(sqs, queueUrl, dlqUrl, config.maxAttempts(), clock);
  }

  /** For functions that store and read no image bytes. */
  public static final ImageStore NO_IMAGES =
      new ImageStore() {
        @Override
        public String put(ImageId imageId, byte[] bytes) {
          throw new UnsupportedOperationException("this function stores no images");
        }

        @Override
        public Optional<byte[]> get(ImageId imageId) {
          throw new UnsupportedOperationException("this function reads no images");
        }

        @Override
        public boolean exists(ImageId imageId) {
          throw new UnsupportedOperationException("this function reads no images");
        }
      };

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
}
