package io.catwrangler.classify;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.aws.testing.LambdaLogs;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catwrangler.aws.AwsConfig;
import io.catwrangler.aws.DynamoDbEventStore;
import io.catwrangler.aws.DynamoDbIdempotencyStore;
import io.catwrangler.aws.DynamoDbTables;
import io.catwrangler.aws.IdempotencyStatus;
import io.catwrangler.aws.testing.DynoxideServer;
import io.catwrangler.aws.testing.ElasticMqServer;
import io.catwrangler.aws.testing.S3ProxyServer;
import io.catwrangler.aws.testing.TestContext;
import io.catwrangler.core.detection.CatDetector;
import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.detection.DetectorUnavailableException;
import io.catwrangler.core.detection.StageTimings;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.ClassifyRequestCodec;
import io.catwrangler.events.ClassificationFailed;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.Event;
import io.catwrangler.events.FailureReason;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.Submission;
import io.catwrangler.events.SubmissionId;
import io.catwrangler.events.SubmissionSource;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/** {@link ClassifyHandler} fed the SQS event JSON of src/test/resources, against S3Proxy and Dynoxide. */
class ClassifyHandlerTest {
  @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();
  @RegisterExtension static final DynoxideServer DYNAMO = new DynoxideServer();
  @RegisterExtension static final ElasticMqServer SQS = new ElasticMqServer();

  /** The bucket the fixtures name. */
  private static final String BUCKET = "fixture-bucket";
  private static final AtomicBoolean DETECTOR_DOWN = new AtomicBoolean();
  /** Run by the detector on each image (a test's fake passing of time). */
  private static final AtomicReference<Runnable> ON_DETECT = new AtomicReference<>(() -> {});
  private static ClassifyHandler handler;
  private static DynamoDbEventStore events;
  private static Map<String, String> environment;
  private static ElasticMqServer.QueuePair queues;

  @BeforeAll
  static void wire() {
    S3.client().createBucket(b -> b.bucket(BUCKET));
    String eventTable = DYNAMO.createTable(DynamoDbTables::eventTable, "events");
    queues = SQS.createQueuePair(3);
    environment =
        Map.of(
            "CW_EVENT_TABLE", eventTable,
            "CW_VIEW_TABLE", DYNAMO.createTable(DynamoDbTables::viewTable, "view"),
            "CW_IDEMPOTENCY_TABLE", DYNAMO.createTable(DynamoDbTables::idempotencyTable, "idempotency"),
            "CW_BUCKET", BUCKET,
            "CW_CLASSIFY_QUEUE_URL", queues.queueUrl(),
            "CW_MAX_ATTEMPTS", "3");
    handler = handler(Map.of());
    events = new DynamoDbEventStore(DYNAMO.client(), eventTable);
  }

  /** A handler on the test's tables and bucket, with {@code settings} over the test's environment. */
  static ClassifyHandler handler(Map<String, String> settings) {
    return handler(settings, SQS.client());
  }

  static ClassifyHandler handler(Map<String, String> settings, SqsClient sqs) {
    Map<String, String> env = new HashMap<>(environment);
    env.putAll(settings);
    return new ClassifyHandler(AwsConfig.from(env), DYNAMO.client(), S3.newClient(), sqs, new FixedDetector(),
        Clock.systemUTC());
  }

  @AfterEach
  void detectorBackToNormal() {
    ON_DETECT.set(() -> {});
    DETECTOR_DOWN.set(false);
  }

  @Test
  void anS3TestEventIsDropped() {
    SQSEvent event = EventLoader.loadSQSEvent("sqs-s3-test-event.json");
    assertThat(handler.handleRequest(event, new TestContext("classify")).getBatchItemFailures()).isEmpty();
  }

  @Test
  void anUrlEncodedKeyIsDecodedAndTheImageClassified() throws IOException {
    byte[] png = png(1);
    S3.client().putObject(p -> p.bucket(BUCKET).key("incoming/my cat(1) été.png"), RequestBody.fromBytes(png));

    SQSBatchResponse response =
        handler.handleRequest(EventLoader.loadSQSEvent("sqs-s3-put-encoded-key.json"), new TestContext("classify"));

    assertThat(response.getBatchItemFailures()).isEmpty();
    List<Event> stream = events.read(ImageId.sha256Of(png));
    assertThat(stream).hasSize(2);
    assertThat(((ImageReceived) stream.get(0)).submission().fileName().orElseThrow().value())
        .isEqualTo("my cat(1) été.png");
    assertThat(stream.get(1)).isInstanceOf(ClassificationSucceeded.class);
    assertThat(S3.client().listObjectsV2(l -> l.bucket(BUCKET).prefix("incoming/my")).contents())
        .as("the arrival is removed once classified").isEmpty();
    assertThat(S3.client().headObject(h -> h.bucket(BUCKET).key("images/" + ImageId.sha256Of(png).value()))
        .contentLength()).isEqualTo(png.length);
  }

  @Test
  void aMalformedMessageFailsAloneAndTheRestOfTheBatchGoesOn() throws IOException {
    byte[] png = png(2);
    S3.client().putObject(p -> p.bucket(BUCKET).key("incoming/batch mate.png"), RequestBody.fromBytes(png));

    SQSBatchResponse response =
        handler.handleRequest(EventLoader.loadSQSEvent("sqs-malformed-bodies.json"), new TestContext("classify"));

    assertThat(response.getBatchItemFailures())
        .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("msg-2", "msg-3", "msg-4");
    assertThat(events.read(ImageId.sha256Of(png))).last().isInstanceOf(ClassificationSucceeded.class);
  }

  @Test
  void theLastAllowedDeliveryRecordsFailedAndStillFailsTheMessageSoThatItGoesToTheDlq() throws IOException {
    byte[] png = png(3);
    S3.client().putObject(p -> p.bucket(BUCKET).key("incoming/flaky.png"), RequestBody.fromBytes(png));
    DETECTOR_DOWN.set(true);
    try {
      SQSBatchResponse response =
          handler.handleRequest(EventLoader.loadSQSEvent("sqs-s3-put-last-attempt.json"), new TestContext("classify"));
      assertThat(response.getBatchItemFailures())
          .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
          .containsExactly("msg-1");
    } finally {
      DETECTOR_DOWN.set(false);
    }
    assertThat(events.read(ImageId.sha256Of(png))).last()
        .isInstanceOfSatisfying(ClassificationFailed.class, f -> {
          assertThat(f.failure().reason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
          assertThat(f.failure().attempt()).isEqualTo(3);
        });
    assertThat(S3.client().listObjectsV2(l -> l.bucket(BUCKET).prefix("incoming/flaky")).contents())
        .as("kept for a redrive").hasSize(1);
  }

  @Test
  void noImageIsStartedWithLessTimeLeftThanItsBudgetAndTheRestGoesBackToTheQueue() throws IOException {
    ClassifyHandler fiveSecondBudget = handler(Map.of("CW_CLASSIFY_IMAGE_BUDGET_SECONDS", "5"));
    AtomicInteger remainingMillis = new AtomicInteger(12_000);
    ON_DETECT.set(() -> remainingMillis.addAndGet(-4_000)); // each image takes 4 s of the invocation's time
    List<String> keys = new ArrayList<>();
    List<byte[]> images = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      byte[] png = png(10 + i);
      String key = "incoming/deadline-" + i + ".png";
      S3.client().putObject(p -> p.bucket(BUCKET).key(key), RequestBody.fromBytes(png));
      keys.add(key);
      images.add(png);
    }

    SQSBatchResponse response =
        fiveSecondBudget.handleRequest(s3Puts(1, keys), new TestContext("classify", remainingMillis::get));

    // 12 s left: first image; 8 s: second; 4 s < 5 s: the third and fourth are not started
    assertThat(response.getBatchItemFailures())
        .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("put-" + keys.get(2), "put-" + keys.get(3));
    assertThat(events.read(ImageId.sha256Of(images.get(0)))).last().isInstanceOf(ClassificationSucceeded.class);
    assertThat(events.read(ImageId.sha256Of(images.get(1)))).last().isInstanceOf(ClassificationSucceeded.class);
    assertThat(events.read(ImageId.sha256Of(images.get(2)))).isEmpty();
    assertThat(events.read(ImageId.sha256Of(images.get(3)))).isEmpty();
    assertThat(S3.client().listObjectsV2(l -> l.bucket(BUCKET).prefix("incoming/deadline-")).contents())
        .extracting(o -> o.key()).containsExactly(keys.get(2), keys.get(3));
  }

  @Test
  void anArrivalWhoseObjectExpiredBeforeItWasClassifiedIsLoggedAsLostForTheAlarm() {
    List<String> lines = LambdaLogs.capture(() -> assertThat(
        handler.handleRequest(s3Puts(2, List.of("incoming/expired.png"), Instant.now().minus(Duration.ofDays(8))),
            new TestContext("classify")).getBatchItemFailures()).isEmpty());

    assertThat(lines).singleElement().satisfies(line -> {
      JsonNode json = new ObjectMapper().readTree(line);
      assertThat(json.path("level").asText()).isEqualTo("ERROR");
      assertThat(json.path("message").asText()).startsWith("arrival lost"); // the metric filter's pattern
      assertThat(json.path("key").asText()).isEqualTo("incoming/expired.png");
      assertThat(json.path("age_hours").asLong()).isEqualTo(8 * 24);
    });
  }

  @Test
  void anArrivalHandledMinutesAgoIsNotLost() {
    List<String> lines = LambdaLogs.capture(() -> assertThat(
        handler.handleRequest(s3Puts(1, List.of("incoming/handled-before.png"), Instant.now().minusSeconds(600)),
            new TestContext("classify")).getBatchItemFailures()).isEmpty());

    assertThat(lines).noneMatch(line -> line.contains("arrival lost"));
  }

  @Test
  void theSameBytesWhileAnotherExecutionClassifiesThemJoinTheImageAtOnceInsteadOfWaitingForTheVisibilityTimeout()
      throws IOException {
    byte[] png = png(14);
    ImageId image = ImageId.sha256Of(png);
    var idempotency = new DynamoDbIdempotencyStore(DYNAMO.client(), environment.get("CW_IDEMPOTENCY_TABLE"),
        Duration.ofHours(1), Clock.systemUTC());
    idempotency.begin("classify#" + image.value() + "#fixed@1", 600_000); // another execution, 10 minutes left
    S3.client().putObject(p -> p.bucket(BUCKET).key("incoming/twin.png"), RequestBody.fromBytes(png));

    SQSBatchResponse response = handler.handleRequest(s3Puts(1, List.of("incoming/twin.png")),
        new TestContext("classify"));

    assertThat(response.getBatchItemFailures()).as("settled now, not redelivered in 721 s").isEmpty();
    assertThat(events.read(image)).singleElement().isInstanceOfSatisfying(ImageReceived.class,
        r -> assertThat(r.submission().fileName().orElseThrow().value()).isEqualTo("twin.png"));
    assertThat(S3.client().listObjectsV2(l -> l.bucket(BUCKET).prefix("incoming/twin")).contents()).isEmpty();
    assertThat(idempotency.get("classify#" + image.value() + "#fixed@1").orElseThrow().storedStatus())
        .as("the holder's claim is left alone").isEqualTo(IdempotencyStatus.INPROGRESS);
  }

  @Test
  void aReClassificationThatMeetsAnotherExecutionsClaimComesBackInSecondsNotAfterTheVisibilityTimeout() {
    ImageId image = ImageId.sha256Of("busy elsewhere".getBytes(StandardCharsets.UTF_8));
    var idempotency = new DynamoDbIdempotencyStore(DYNAMO.client(), environment.get("CW_IDEMPOTENCY_TABLE"),
        Duration.ofHours(1), Clock.systemUTC());
    idempotency.begin("classify#" + image.value() + "#fixed@1", 600_000); // another execution, 10 minutes left
    Submission submission = new Submission(SubmissionId.fromName(image.value()), Optional.empty(),
        Optional.empty(), Optional.empty(), "image/png", 100, 8, 8, SubmissionSource.API, "images/" + image.value(),
        false);
    ClassifyRequest request = ClassifyRequest.reclassify(
        ImageReceived.of(image, 1, Instant.now(), "test", submission), "reclassify-test");
    SQS.client().sendMessage(m -> m.queueUrl(queues.queueUrl()).messageBody(new ClassifyRequestCodec().encode(request)));
    // received as the event source mapping receives it: for the queue's visibility timeout (721 s deployed)
    Message received = SQS.client().receiveMessage(r -> r.queueUrl(queues.queueUrl()).visibilityTimeout(721)
        .messageSystemAttributeNamesWithStrings("All")).messages().get(0);
    List<ChangeMessageVisibilityBatchRequestEntry> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
    SqsClient watched = SQS.newClient(new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof ChangeMessageVisibilityBatchRequest r) {
          changes.addAll(r.entries());
        }
      }
    });
    SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
    record.setMessageId(received.messageId());
    record.setReceiptHandle(received.receiptHandle());
    record.setBody(received.body());
    record.setAttributes(Map.of("ApproximateReceiveCount", "1"));
    SQSEvent event = new SQSEvent();
    event.setRecords(List.of(record));

    SQSBatchResponse response = handler(Map.of(), watched).handleRequest(event, new TestContext("classify"));

    assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly(received.messageId());
    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.receiptHandle()).isEqualTo(received.receiptHandle());
      assertThat(c.visibilityTimeout()).isEqualTo((int) ClassifyMessages.RETRY_SOON.toSeconds());
    });
    // and SQS took it: the message is back within the short timeout, not after 721 s
    List<Message> again = SQS.client().receiveMessage(r -> r.queueUrl(queues.queueUrl())
        .waitTimeSeconds((int) ClassifyMessages.RETRY_SOON.toSeconds() + 5)).messages();
    assertThat(again).singleElement().satisfies(m -> assertThat(m.messageId()).isEqualTo(received.messageId()));
    SQS.client().deleteMessage(d -> d.queueUrl(queues.queueUrl()).receiptHandle(again.get(0).receiptHandle()));
  }

  @Test
  void aCompletedIdempotencyRecordIsTheAnswerTheDetectorDoesNotRunAndTheSubmissionJoinsTheImage() throws IOException {
    byte[] png = png(15);
    ImageId image = ImageId.sha256Of(png);
    String key = "classify#" + image.value() + "#fixed@1";
    var idempotency = new DynamoDbIdempotencyStore(DYNAMO.client(), environment.get("CW_IDEMPOTENCY_TABLE"),
        Duration.ofHours(1), Clock.systemUTC());
    idempotency.begin(key, 60_000);
    idempotency.complete(key, "Succeeded"); // settled by this model within the hour
    AtomicInteger detectorRuns = new AtomicInteger();
    ON_DETECT.set(detectorRuns::incrementAndGet);
    S3.client().putObject(p -> p.bucket(BUCKET).key("incoming/answered.png"), RequestBody.fromBytes(png));

    SQSBatchResponse response = handler.handleRequest(s3Puts(1, List.of("incoming/answered.png")),
        new TestContext("classify"));

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(detectorRuns).hasValue(0);
    assertThat(events.read(image)).singleElement().isInstanceOf(ImageReceived.class);
    assertThat(S3.client().listObjectsV2(l -> l.bucket(BUCKET).prefix("incoming/answered")).contents()).isEmpty();
  }

  /** An SQS event of one S3 {@code ObjectCreated:Put} notification per key, message ids {@code put-<key>}. */
  static SQSEvent s3Puts(int receiveCount, List<String> keys) {
    return s3Puts(receiveCount, keys, Instant.now());
  }

  /** The same, first sent at {@code sentAt}. */
  static SQSEvent s3Puts(int receiveCount, List<String> keys, Instant sentAt) {
    List<SQSEvent.SQSMessage> messages = new ArrayList<>();
    for (String key : keys) {
      SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
      message.setMessageId("put-" + key);
      message.setReceiptHandle("handle-" + key);
      message.setEventSource("aws:sqs");
      message.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(receiveCount),
          "SentTimestamp", Long.toString(sentAt.toEpochMilli())));
      message.setBody(
          "{\"Records\": [{\"eventVersion\": \"2.1\", \"eventSource\": \"aws:s3\", \"eventName\": \"ObjectCreated:Put\", "
              + "\"s3\": {\"bucket\": {\"name\": \"" + BUCKET + "\"}, \"object\": {\"key\": \""
              + URLEncoder.encode(key, StandardCharsets.UTF_8) + "\", \"size\": 1, \"eTag\": \"e-" + key + "\"}}}]}");
      messages.add(message);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(messages);
    return event;
  }

  /** A small PNG, different for each seed. */
  static byte[] png(int seed) throws IOException {
    BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
    image.setRGB(seed, seed, 0xFFFFFF);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /** Says "cat" to everything, quickly, unless switched off. */
  static final class FixedDetector implements CatDetector {
    @Override
    public CatVerdict detect(byte[] image) {
      ON_DETECT.get().run();
      if (DETECTOR_DOWN.get()) {
        throw new DetectorUnavailableException("down for the test", null);
      }
      return new CatVerdict(true, 0.9, 0.3, List.of(), model(), new StageTimings(Map.of("total", 1.0)), 32, 24,
          Map.of());
    }

    @Override
    public DetectorModel model() {
      return new DetectorModel("fixed", "1");
    }
  }

  @Test
  void logLinesCarryTheCorrelationIdOfTheEventsTheMessageLeadsTo() throws IOException {
    // an upload's classify request, which carries its request id
    byte[] uploaded = png(20);
    ImageId upload = ImageId.sha256Of(uploaded);
    S3.client().putObject(p -> p.bucket(BUCKET).key("images/" + upload.value()), RequestBody.fromBytes(uploaded));
    Submission submission = new Submission(SubmissionId.fromName("upload " + upload.value()), Optional.empty(),
        Optional.empty(), Optional.empty(), "image/png", uploaded.length, 32, 24, SubmissionSource.API,
        "images/" + upload.value(), false);
    SQSEvent.SQSMessage request = new SQSEvent.SQSMessage();
    request.setMessageId("request-message");
    request.setBody(new ClassifyRequestCodec().encode(
        new ClassifyRequest(upload, submission, Instant.now(), "upload-request-7")));
    request.setAttributes(Map.of("ApproximateReceiveCount", "1"));
    // an S3 arrival, whose events carry the message id
    byte[] arrived = png(21);
    ImageId arrival = ImageId.sha256Of(arrived);
    S3.client().putObject(p -> p.bucket(BUCKET).key("incoming/correlated.png"), RequestBody.fromBytes(arrived));
    SQSEvent event = s3Puts(1, List.of("incoming/correlated.png"));
    event.setRecords(List.of(request, event.getRecords().get(0)));
    DETECTOR_DOWN.set(true); // each logs a warning and records a retryable failure

    List<String> lines = LambdaLogs.capture(() -> handler.handleRequest(event, new TestContext("classify")));

    Map<String, String> correlationByImage = new HashMap<>();
    for (String line : lines) {
      JsonNode json = new ObjectMapper().readTree(line);
      correlationByImage.put(json.path("image_id").asText(), json.path("correlation_id").asText());
    }
    assertThat(correlationByImage).containsEntry(upload.value(), "upload-request-7")
        .containsEntry(arrival.value(), "put-incoming/correlated.png");
    assertThat(events.read(upload)).isNotEmpty().allSatisfy(e -> assertThat(e.correlationId())
        .isEqualTo("upload-request-7"));
    assertThat(events.read(arrival)).isNotEmpty().allSatisfy(e -> assertThat(e.correlationId())
        .isEqualTo("put-incoming/correlated.png"));
  }

  @Test
  void whatCoreLogsThroughSystemLoggerIsAJsonLineLikeTheHandlersOwn() {
    JsonNode line = LambdaLogs.systemLoggerLine("io.catwrangler.core.classify.ClassifyImages", "core says");
    assertThat(line.path("level").asText()).isEqualTo("WARN");
    assertThat(line.path("message").asText()).isEqualTo("core says");
  }
}
