package io.catwrangler.classify;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.catwrangler.aws.AwsClients;
import io.catwrangler.aws.AwsConfig;
import io.catwrangler.aws.DynamoDbEventStore;
import io.catwrangler.aws.DynamoDbResultView;
import io.catwrangler.aws.SqsRedelivery;
import io.catwrangler.aws.DynamoDbIdempotencyStore;
import io.catwrangler.aws.RekognitionCatDetector;
import io.catwrangler.aws.S3ImageStore;
import io.catwrangler.core.classify.ClassifyImages;
import io.catwrangler.core.detection.CatDetector;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.ingest.AdmitImage;
import io.catwrangler.detector.Boxes;
import io.catwrangler.detector.DetectorConfig;
import io.catwrangler.detector.ImageNetCatDetector;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * classify-fn: an SQS batch of S3 notifications (and of classify requests from {@code POST /images}) in, an
 * {@link SQSBatchResponse} out whose {@code batchItemFailures} are the messages to deliver again
 * ({@link ClassifyMessages}; the event source mapping needs {@code ReportBatchItemFailures}). Logs carry the
 * correlation id of the events a message leads to: an upload's request id, an S3 arrival's message id.
 */
public final class ClassifyHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private final ClassifyMessages messages;
  private final SqsRedelivery redelivery;

  /** For the Lambda runtime: {@link AwsConfig} from the environment; the detector it names is loaded once. */
  public ClassifyHandler() {
    this(AwsConfig.fromEnvironment());
  }

  private ClassifyHandler(AwsConfig config) {
    this(config, AwsClients.dynamoDb(), AwsClients.s3(), AwsClients.sqs(), detector(config), Clock.systemUTC());
  }

  /** @param sqs for the classify queue's messages that are to come back soon (ChangeMessageVisibility) */
  public ClassifyHandler(
      AwsConfig config, DynamoDbClient dynamo, S3Client s3, SqsClient sqs, CatDetector detector, Clock clock) {
    this.redelivery = new SqsRedelivery(sqs, config.classifyQueueUrl().orElseThrow(
        () -> new IllegalArgumentException("invalid configuration: CW_CLASSIFY_QUEUE_URL is required")));
    // decisions start from the view's row and read only the newer events (decision 0030)
    var events = new DynamoDbEventStore(dynamo, config.eventTable(),
        new DynamoDbResultView(dynamo, config.viewTable())::snapshot);
    var images = new S3ImageStore(s3, config.bucket());
    var inHand = new ImageInHand(images);
    var pipeline = config.pipeline();
    this.messages =
        new ClassifyMessages(
            images,
            inHand,
            new AdmitImage(new ImageInspector(config.imageLimits()), inHand, events, clock, pipeline),
            new ClassifyImages(events, inHand, detector, clock, pipeline),
            new RejectedArrivals(events, clock, pipeline.maxConflictRetries()),
            new DynamoDbIdempotencyStore(dynamo, config.idempotencyTable(), config.idempotencyExpiresAfter(), clock),
            config.imageLimits(),
            config.classifyImageBudget(),
            clock);
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return PowertoolsLogging.withLogging(context, () -> {
      ClassifyMessages.Failures failures = messages.handle(messages(event), context::getRemainingTimeInMillis);
      redeliverSoon(event, failures.soon());
      return response(failures.ids());
    });
  }

  /** The failed messages that are only busy come back in seconds, not at the end of the visibility timeout. */
  private void redeliverSoon(SQSEvent event, Set<String> messageIds) {
    if (messageIds.isEmpty()) {
      return;
    }
    List<String> receipts = event.getRecords().stream().filter(m -> messageIds.contains(m.getMessageId()))
        .map(SQSEvent.SQSMessage::getReceiptHandle).filter(Objects::nonNull).toList();
    redelivery.redeliverAfter(receipts, ClassifyMessages.RETRY_SOON);
  }

  /** The detector {@code CW_DETECTOR} names. */
  public static CatDetector detector(AwsConfig config) {
    return switch (config.detector()) {
      case REKOGNITION -> RekognitionCatDetector.create(config);
      case EMBEDDED -> {
        // the embedded detector answers at its calibrated threshold (0.5: more likely a cat than not);
        // CW_THRESHOLD is the Rekognition threshold. CenterNet runs for boxes only when CW_BOXES=always.
        DetectorConfig d = DetectorConfig.defaults().withLimits(config.imageLimits())
            .withBoxes(config.boxes() ? Boxes.ALWAYS : Boxes.NEVER);
        yield ImageNetCatDetector.load(d);
      }
    };
  }

  private static List<QueueMessage> messages(SQSEvent event) {
    return event.getRecords() == null
        ? List.of()
        : event.getRecords().stream()
            .map(m -> new QueueMessage(m.getMessageId(), m.getBody() == null ? "" : m.getBody(), receiveCount(m),
                sentAt(m)))
            .toList();
  }

  private static int receiveCount(SQSEvent.SQSMessage message) {
    try {
      return Integer.parseInt(message.getAttributes().getOrDefault("ApproximateReceiveCount", "1"));
    } catch (RuntimeException e) {
      return 1;
    }
  }

  private static Optional<Instant> sentAt(SQSEvent.SQSMessage message) {
    try {
      return Optional.ofNullable(message.getAttributes())
          .map(a -> a.get("SentTimestamp"))
          .map(ms -> Instant.ofEpochMilli(Long.parseLong(ms)));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static SQSBatchResponse response(List<String> failedIds) {
    return SQSBatchResponse.builder()
        .withBatchItemFailures(failedIds.stream().map(id -> SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build()).toList())
        .build();
  }
}
