package io.catwrangler.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catwrangler.aws.AwsConfig;
import io.catwrangler.aws.DynamoDbEventStore;
import io.catwrangler.aws.DynamoDbResultView;
import io.catwrangler.aws.DynamoDbTables;
import io.catwrangler.aws.testing.DynoxideServer;
import io.catwrangler.aws.testing.ElasticMqServer;
import io.catwrangler.aws.testing.S3ProxyServer;
import io.catwrangler.aws.testing.TestAws;
import io.catwrangler.aws.testing.TestContext;
import io.catwrangler.classify.ClassifyHandler;
import io.catwrangler.core.detection.CatDetector;
import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.detection.DetectorUnavailableException;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.core.testdata.TestData;
import io.catwrangler.detector.ImageNetCatDetector;
import io.catwrangler.events.ClassificationFailed;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.Event;
import io.catwrangler.events.ImageId;
import io.catwrangler.ingest.AdminHandler;
import io.catwrangler.ingest.IngestHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The AWS pipeline end to end on the emulators, with the real handlers and the real embedded detector: S3 PutObject
 * to {@code incoming/} → (harness) S3 notification to SQS → SQS poller honouring {@code batchItemFailures} →
 * {@link ClassifyHandler} → event table → (harness) stream poller → {@link ProjectorHandler} → view →
 * {@link QueryHandler} through Function URL events.
 */
class EndToEndTest {
  @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();
  @RegisterExtension static final ElasticMqServer SQS = new ElasticMqServer();
  @RegisterExtension static final DynoxideServer DYNAMO = new DynoxideServer();

  private static final int MAX_ATTEMPTS = 3;
  private static final int VISIBILITY_SECONDS = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static S3Client s3;
  private static String bucket;
  private static ElasticMqServer.QueuePair queues;
  private static AwsConfig config;
  private static ImageNetCatDetector embedded;
  private static SwitchableDetector detector;
  private static List<ClassifyHandler> classifiers;
  private static ProjectorHandler projector;
  private static QueryHandler query;
  private static AdminHandler admin;
  private static IngestHandler ingest;
  private static DynamoDbResultView view;
  private static EventSourceHarness harness;
  private static EventSourceHarness.StreamReader stream;
  private static String streamArn;
  private static DynamoDbEventStore events;
  private static final AtomicInteger reportedFailures = new AtomicInteger();

  @BeforeAll
  static void wire() {
    s3 = S3.newClient();
    bucket = S3.createBucket();
    queues = SQS.createQueuePair(MAX_ATTEMPTS);
    String eventTable = DYNAMO.createTable(DynamoDbTables::eventTable, "events");
    String viewTable = DYNAMO.createTable(DynamoDbTables::viewTable, "view");
    String idempotencyTable = DYNAMO.createTable(DynamoDbTables::idempotencyTable, "idempotency");
    config =
        AwsConfig.from(
            Map.of(
                "CW_EVENT_TABLE", eventTable,
                "CW_VIEW_TABLE", viewTable,
                "CW_IDEMPOTENCY_TABLE", idempotencyTable,
                "CW_BUCKET", bucket,
                "CW_CLASSIFY_QUEUE_URL", queues.queueUrl(),
                "CW_MAX_ATTEMPTS", Integer.toString(MAX_ATTEMPTS),
                "CW_CLASSIFY_MODEL_NAME", ImageNetCatDetector.MODEL.name(),
                "CW_CLASSIFY_MODEL_VERSION", ImageNetCatDetector.MODEL.version()));
    // classify-fn's embedded detector as CW_DETECTOR=embedded, CW_BOXES unset configure it
    embedded = (ImageNetCatDetector) ClassifyHandler.detector(config);
    detector = new SwitchableDetector(embedded);
    // three concurrent "instances" of the function, as Lambda scales out on a busy queue
    classifiers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      classifiers.add(new ClassifyHandler(config, DYNAMO.client(), s3, SQS.client(), detector, Clock.systemUTC()));
    }
    projector = new ProjectorHandler(config, DYNAMO.client());
    query = new QueryHandler(config, DYNAMO.client());
    admin = new AdminHandler(config, DYNAMO.client(), SQS.client(), Clock.systemUTC());
    // only to show it does not serve POST /admin/replay: a presigner that never signs anything here
    S3Presigner presigner = S3Presigner.builder().region(TestAws.REGION)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    ingest = new IngestHandler(config, DYNAMO.client(), s3, SQS.client(), presigner, Clock.systemUTC());
    view = new DynamoDbResultView(DYNAMO.client(), viewTable);
    harness = new EventSourceHarness(s3, SQS.client(), DYNAMO.streams());
    streamArn = DYNAMO.client().describeTable(d -> d.tableName(eventTable)).table().latestStreamArn();
    stream = harness.streamOf(streamArn);
    events = new DynamoDbEventStore(DYNAMO.client(), eventTable);
  }

  @AfterAll
  static void close() {
    if (embedded != null) {
      embedded.close();
    }
  }

  @Test
  void devImagesDeliveredThreeTimesConcurrentlyAreClassifiedOnceAndAnsweredByTheQueryFunction() throws Exception {
    Map<String, byte[]> images = devImages(6);
    Map<ImageId, Boolean> expected = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> image : images.entrySet()) {
      // a key S3 URL-encodes in its notification: spaces, parentheses
      String key = "incoming/dev set/" + image.getKey().replace('/', '_').replace(".", " (1).");
      // an upstream PutObject naming its batch and client in the object's metadata, as POST /images's headers do
      s3.putObject(p -> p.bucket(bucket).key(key).metadata(Map.of("batch-id", "dev-set-1", "client-id", "upstream-a")),
          RequestBody.fromBytes(image.getValue()));
      harness.notifyCreated(queues.queueUrl(), bucket, key, 3);
      expected.put(ImageId.sha256Of(image.getValue()), embedded.detect(image.getValue()).isCat());
    }

    runPollersUntil(Duration.ofSeconds(120), () -> harness.depth(queues.queueUrl()) == 0);
    projectUntilQuiet();

    for (Map.Entry<ImageId, Boolean> image : expected.entrySet()) {
      List<Event> stream = events.read(image.getKey());
      assertThat(stream.stream().filter(e -> e instanceof ClassificationSucceeded))
          .as("one classification for %s however often it was delivered", image.getKey())
          .hasSize(1);
      JsonNode answer = get("/images/" + image.getKey().value());
      assertThat(answer.path("status").asText()).isEqualTo("CLASSIFIED");
      assertThat(answer.path("answer").asText()).isEqualTo(image.getValue() ? "yes" : "no");
      assertThat(answer.path("submissions")).hasSize(1);
      assertThat(answer.path("submissions").get(0).path("file_name").asText()).contains(" (1).");
      assertThat(get("/images/" + image.getKey().value() + "/events").path("count").asInt())
          .isEqualTo(stream.size());
    }
    assertThat(harness.depth(queues.deadLetterQueueUrl())).isZero();
    assertThat(s3.listObjectsV2(l -> l.bucket(bucket).prefix("incoming/")).contents())
        .as("arrivals are removed once settled").isEmpty();
    JsonNode batch = get("/batches/dev-set-1");
    assertThat(batch.path("total").asInt()).isEqualTo(expected.size());
    assertThat(batch.path("counts").path("CLASSIFIED").asInt()).isEqualTo(expected.size());
    JsonNode submission = get("/images/" + expected.keySet().iterator().next().value()).path("submissions").get(0);
    assertThat(submission.path("batch_id").asText()).isEqualTo("dev-set-1");
    assertThat(submission.path("client_id").asText()).isEqualTo("upstream-a");
    assertThat(submission.path("source").asText()).isEqualTo("s3");

    // the stream again, from the start, out of order and with duplicates: the view never moves backwards
    Map<ImageId, Long> versions = new LinkedHashMap<>();
    for (ImageId id : expected.keySet()) {
      versions.put(id, get("/images/" + id.value()).path("version").asLong());
    }
    var all = harness.streamOf(streamArn).read();
    List<software.amazon.awssdk.services.dynamodb.model.Record> shuffled = new ArrayList<>(all);
    shuffled.addAll(all.subList(0, all.size() / 2));
    Collections.reverse(shuffled);
    var response = projector.handleRequest(EventSourceHarness.lambdaEvent(shuffled), new TestContext("projector"));
    assertThat(response.getBatchItemFailures()).isEmpty();
    for (ImageId id : expected.keySet()) {
      JsonNode answer = get("/images/" + id.value());
      assertThat(answer.path("version").asLong()).isEqualTo(versions.get(id));
      assertThat(answer.path("status").asText()).isEqualTo("CLASSIFIED");
    }
  }

  @Test
  void aMessageThatKeepsFailingEndsInTheDlqWithAFailedEventAndARedriveAfterTheFixClassifiesIt() throws Exception {
    byte[] image = devImages(7).values().stream().skip(6).findFirst().orElseThrow();
    ImageId id = ImageId.sha256Of(image);
    detector.failFor(id);
    String key = "incoming/" + UUID.randomUUID() + ".jpg";
    s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromBytes(image));
    harness.notifyCreated(queues.queueUrl(), bucket, key, 1);

    runPollersUntil(Duration.ofSeconds(60), () -> harness.depth(queues.deadLetterQueueUrl()) == 1
        && harness.depth(queues.queueUrl()) == 0);
    projectUntilQuiet();

    assertThat(events.read(id)).filteredOn(e -> e instanceof ClassificationFailed)
        .extracting(e -> ((ClassificationFailed) e).failure().reason().name())
        .endsWith("RETRIES_EXHAUSTED");
    JsonNode failed = get("/images/" + id.value());
    assertThat(failed.path("status").asText()).isEqualTo("FAILED");
    assertThat(failed.path("failure").path("reason").asText()).isEqualTo("RETRIES_EXHAUSTED");

    detector.heal();
    SQS.client().startMessageMoveTask(s -> s.sourceArn(queues.deadLetterQueueArn()));
    runPollersUntil(Duration.ofSeconds(60), () -> harness.depth(queues.deadLetterQueueUrl()) == 0
        && harness.depth(queues.queueUrl()) == 0 && events.read(id).stream()
            .anyMatch(e -> e instanceof ClassificationSucceeded));
    projectUntilQuiet();
    JsonNode answer = get("/images/" + id.value());
    assertThat(answer.path("status").asText()).isEqualTo("CLASSIFIED");
    assertThat(answer.path("answer").asText()).isEqualTo(embedded.detect(image).isCat() ? "yes" : "no");
  }

  @Test
  void badInputsThroughS3EndFailedWithTheirReasonAndNeverBlockTheirBatch() throws Exception {
    byte[] good = devImages(8).values().stream().skip(7).findFirst().orElseThrow();
    byte[] jpeg = devImages(1).values().iterator().next();
    Map<String, byte[]> inputs = new LinkedHashMap<>();
    inputs.put("incoming/bad/webp renamed.jpg", webp());
    inputs.put("incoming/bad/truncated.jpg", Arrays.copyOf(jpeg, jpeg.length / 2));
    inputs.put("incoming/bad/bomb.png", pngHeader(30_000, 30_000));
    byte[] oversized = Arrays.copyOf(jpeg, (int) config.imageLimits().maxBytes() + 1);
    inputs.put("incoming/bad/oversized.jpg", oversized);
    inputs.put("incoming/bad/good.jpg", good);
    for (Map.Entry<String, byte[]> input : inputs.entrySet()) {
      s3.putObject(p -> p.bucket(bucket).key(input.getKey()), RequestBody.fromBytes(input.getValue()));
    }
    // all five in one SQS batch, delivered to one function instance
    for (String key : inputs.keySet()) {
      harness.notifyCreated(queues.queueUrl(), bucket, key, 1);
    }
    int before = reportedFailures.get();
    runPollersUntil(Duration.ofSeconds(60), () -> harness.depth(queues.queueUrl()) == 0);
    projectUntilQuiet();
    assertThat(reportedFailures.get()).as("no message of the batch was failed").isEqualTo(before);

    assertThat(failureReason(inputs.get("incoming/bad/webp renamed.jpg"))).isEqualTo("UNSUPPORTED_FORMAT");
    assertThat(failureReason(inputs.get("incoming/bad/truncated.jpg"))).isEqualTo("INVALID_IMAGE");
    assertThat(failureReason(inputs.get("incoming/bad/bomb.png"))).isEqualTo("INVALID_IMAGE");
    assertThat(get("/images/" + ImageId.sha256Of(good).value()).path("status").asText()).isEqualTo("CLASSIFIED");
    // oversized: refused from its HeadObject size, never downloaded, so no image id: dropped with a log
    assertThat(events.read(ImageId.sha256Of(oversized))).isEmpty();
    assertThat(s3.listObjectsV2(l -> l.bucket(bucket).prefix("incoming/bad/")).contents()).isEmpty();
  }

  @Test
  void anOperatorReplaysThroughTheAdminFunctionUrlAndReclassificationsGoThroughClassify() throws Exception {
    Map<String, byte[]> images = new LinkedHashMap<>();
    devImages(12).entrySet().stream().skip(8).forEach(e -> images.put(e.getKey(), e.getValue()));
    List<ImageId> ids = new ArrayList<>();
    for (Map.Entry<String, byte[]> image : images.entrySet()) {
      String key = "incoming/replay/" + image.getKey().replace('/', '_');
      s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromBytes(image.getValue()));
      harness.notifyCreated(queues.queueUrl(), bucket, key, 1);
      ids.add(ImageId.sha256Of(image.getValue()));
    }
    runPollersUntil(Duration.ofSeconds(60), () -> harness.depth(queues.queueUrl()) == 0);
    projectUntilQuiet();
    // the image with the lowest score whose answer is yes: a threshold between its score and 1 turns it to no (a
    // calibrated score can be 0.99999, so "score + 0.001" would not do)
    ImageId first = ids.get(0);
    double score = 1;
    for (ImageId id : ids) {
      JsonNode image = get("/images/" + id.value());
      if (image.path("answer").asText().equals("yes") && image.path("cat_score").asDouble() < score) {
        first = id;
        score = image.path("cat_score").asDouble();
      }
    }
    assertThat(score).as("some yes below 1").isLessThan(1.0);

    // re-decide one image at a threshold above its score: appended here, projected by the stream as usual
    double threshold = (score + 1) / 2;
    JsonNode redecided = call(admin, "POST", "/admin/replay",
        "{\"image_id\": \"" + first.value() + "\", \"threshold\": " + threshold + "}", 200);
    assertThat(redecided.path("action").asText()).isEqualTo("redecide");
    assertThat(redecided.path("events_appended").asInt()).isEqualTo(1);
    projectUntilQuiet();
    JsonNode answer = get("/images/" + first.value());
    assertThat(answer.path("answer").asText()).isEqualTo("no");
    assertThat(answer.path("threshold").asDouble()).isEqualTo(threshold);
    assertThat(answer.path("decided_by").asText()).isEqualTo("redecide");

    // rebuild everything: a row lost from the view comes back, every answer as it was
    Map<ImageId, JsonNode> before = new LinkedHashMap<>();
    for (ImageId id : ids) {
      before.put(id, get("/images/" + id.value()));
    }
    view.remove(ids.get(1));
    assertThat(view.image(ids.get(1))).isEmpty();
    JsonNode rebuilt = call(admin, "POST", "/admin/replay", "", 200);
    assertThat(rebuilt.path("action").asText()).isEqualTo("rebuild");
    assertThat(rebuilt.path("images").asInt()).isGreaterThanOrEqualTo(ids.size());
    for (ImageId id : ids) {
      assertThat(get("/images/" + id.value())).as("after the rebuild: %s", id).isEqualTo(before.get(id));
    }

    // re-classify with a new model: the admin function only queues; classify-fn runs the model
    detector.renameModel("replay-test-v2");
    try {
      long appendedBefore = events.read(ids.get(2)).size();
      JsonNode queued = call(admin, "POST", "/admin/replay?image_id=" + ids.get(2).value() + "&reclassify=true", "",
          200);
      assertThat(queued.path("action").asText()).isEqualTo("reclassify");
      assertThat(queued.path("queued").asInt()).isEqualTo(1);
      assertThat(queued.path("events_appended").asInt()).isZero();
      assertThat(events.read(ids.get(2))).hasSize((int) appendedBefore);
      assertThat(harness.depth(queues.queueUrl())).isEqualTo(1);

      runPollersUntil(Duration.ofSeconds(60), () -> harness.depth(queues.queueUrl()) == 0);
      projectUntilQuiet();
      JsonNode reclassified = get("/images/" + ids.get(2).value());
      assertThat(reclassified.path("decided_by").asText()).isEqualTo("reclassify");
      assertThat(reclassified.path("model").path("version").asText()).isEqualTo("replay-test-v2");
      assertThat(reclassified.path("submissions")).as("a re-classification is no new submission").hasSize(1);
      assertThat(events.read(ids.get(2))).filteredOn(e -> e instanceof ClassificationSucceeded).hasSize(2);

      // the same model again: classify-fn finds its answer and records nothing
      call(admin, "POST", "/admin/replay", "{\"image_id\": \"" + ids.get(2).value() + "\", \"reclassify\": true}",
          200);
      runPollersUntil(Duration.ofSeconds(60), () -> harness.depth(queues.queueUrl()) == 0);
      assertThat(events.read(ids.get(2))).filteredOn(e -> e instanceof ClassificationSucceeded).hasSize(2);
    } finally {
      detector.renameModel(null);
    }
    assertThat(harness.depth(queues.deadLetterQueueUrl())).isZero();

    // each route on exactly one URL; the admin URL answers its errors like the embedded server
    call(admin, "GET", "/images/" + first.value(), "", 404);
    call(query, "POST", "/admin/replay", "", 404);
    call(ingest, "POST", "/admin/replay", "", 404);
    assertThat(call(admin, "POST", "/admin/replay", "{\"threshold\": 0.5, \"reclassify\": true}", 400)
        .path("error").asText()).isEqualTo("INVALID_PARAMETER");
    call(admin, "POST", "/admin/replay?image_id=" + "0".repeat(64), "", 404);
  }

  /**
   * People's labels on AWS (decisions 0039, 0045): posted to ingest's URL (a LabelRecorded in the image's stream),
   * projected by the stream like every other event, shown beside the model's answer by the query URL and counted by
   * its {@code GET /quality} (classify's model); a row removed and a rebuild through the admin URL give the same
   * figures back. The {@code GET /quality} answers are held to docs/openapi.json's schema.
   */
  @Test
  void labelsPostedToIngestAreProjectedShownAndCountedByQualityAndSurviveARebuild() throws Exception {
    Map<String, byte[]> images = new LinkedHashMap<>();
    devImages(16).entrySet().stream().skip(12).forEach(e -> images.put(e.getKey(), e.getValue()));
    List<ImageId> ids = new ArrayList<>();
    for (Map.Entry<String, byte[]> image : images.entrySet()) {
      String key = "incoming/labels/" + image.getKey().replace('/', '_');
      s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromBytes(image.getValue()));
      harness.notifyCreated(queues.queueUrl(), bucket, key, 1);
      ids.add(ImageId.sha256Of(image.getValue()));
    }
    runPollersUntil(Duration.ofSeconds(60), () -> harness.depth(queues.queueUrl()) == 0);
    projectUntilQuiet();
    // the first and third labelled as answered (right), the second the other way (wrong), the fourth not at all
    Map<ImageId, Boolean> answers = new LinkedHashMap<>();
    for (ImageId id : ids) {
      answers.put(id, get("/images/" + id.value()).path("answer").asText().equals("yes"));
    }
    Map<ImageId, Boolean> labels = new LinkedHashMap<>();
    labels.put(ids.get(0), answers.get(ids.get(0)));
    labels.put(ids.get(1), !answers.get(ids.get(1)));
    labels.put(ids.get(2), answers.get(ids.get(2)));

    for (Map.Entry<ImageId, Boolean> label : labels.entrySet()) {
      JsonNode recorded = call(ingest, "POST", "/images/" + label.getKey().value() + "/labels",
          "{\"cat\": " + label.getValue() + ", \"by\": \"ana\"}", 201);
      assertThat(recorded.path("recorded").asBoolean()).isTrue();
    }
    JsonNode again = call(ingest, "POST", "/images/" + ids.get(0).value() + "/labels",
        "{\"cat\": " + labels.get(ids.get(0)) + ", \"by\": \"ana\"}", 200);
    assertThat(again.path("recorded").asBoolean()).as("the same label again appends nothing").isFalse();
    call(ingest, "POST", "/images/" + "0".repeat(64) + "/labels", "{\"cat\": true, \"by\": \"ana\"}", 404);
    // each route on one URL: the write on ingest's, the read on query's
    call(query, "POST", "/images/" + ids.get(0).value() + "/labels", "{\"cat\": true, \"by\": \"ana\"}", 404);
    call(ingest, "GET", "/quality", "", 404);
    call(admin, "GET", "/quality", "", 404);
    projectUntilQuiet();

    for (ImageId id : ids) {
      JsonNode image = get("/images/" + id.value());
      assertThat(image.path("answer").asText()).as("the answer stays the model's")
          .isEqualTo(answers.get(id) ? "yes" : "no");
      if (labels.containsKey(id)) {
        assertThat(image.path("label").path("cat").asBoolean()).isEqualTo(labels.get(id));
        assertThat(image.path("label").path("by").asText()).isEqualTo("ana");
      } else {
        assertThat(image.path("label").isNull()).isTrue();
      }
    }
    long tp = labels.entrySet().stream().filter(e -> answers.get(e.getKey()) && e.getValue()).count();
    long fp = labels.entrySet().stream().filter(e -> answers.get(e.getKey()) && !e.getValue()).count();
    long tn = labels.entrySet().stream().filter(e -> !answers.get(e.getKey()) && !e.getValue()).count();
    long fn = labels.entrySet().stream().filter(e -> !answers.get(e.getKey()) && e.getValue()).count();
    JsonNode quality = get("/quality");
    assertThat(quality.path("model").path("name").asText()).isEqualTo(embedded.model().name());
    assertThat(quality.path("model").path("version").asText()).isEqualTo(embedded.model().version());
    assertThat(quality.path("labelled").asLong()).isEqualTo(3);
    assertThat(quality.path("n").asLong()).isEqualTo(3);
    assertThat(quality.path("counts").path("tp").asLong()).isEqualTo(tp);
    assertThat(quality.path("counts").path("fp").asLong()).isEqualTo(fp);
    assertThat(quality.path("counts").path("tn").asLong()).isEqualTo(tn);
    assertThat(quality.path("counts").path("fn").asLong()).isEqualTo(fn);
    assertThat(quality.path("accuracy").path("value").asDouble()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
    // at threshold 0 every labelled answer would be yes
    JsonNode atZero = get("/quality?thresholds=0").path("thresholds").get(0);
    assertThat(atZero.path("counts").path("tp").asLong()).isEqualTo(tp + fn);
    assertThat(atZero.path("counts").path("fp").asLong()).isEqualTo(fp + tn);
    assertThat(atZero.path("answers_changed").asLong()).isEqualTo(tn + fn);
    JsonNode doc = JSON.readTree(Path.of("..", "docs", "openapi.json").toFile());
    JsonNode responses = doc.path("paths").path("/quality").path("get").path("responses");
    assertThat(documentedSchema(doc, responses.path("200")).validate(quality)).isEmpty();
    JsonNode bad = call(query, "GET", "/quality?thresholds=high", "", 400);
    assertThat(documentedSchema(doc, responses.path("400")).validate(bad)).isEmpty();

    // a labelled row lost from the view takes its label item with it; a rebuild brings both back
    view.remove(ids.get(1));
    assertThat(get("/quality").path("labelled").asLong()).isEqualTo(2);
    call(admin, "POST", "/admin/replay", "", 200);
    assertThat(get("/quality")).as("the figures after a rebuild").isEqualTo(quality);
    assertThat(get("/images/" + ids.get(1).value()).path("label").path("cat").asBoolean())
        .isEqualTo(labels.get(ids.get(1)));
  }

  /** The documented response's JSON schema, with the document's components to resolve its references. */
  private static com.networknt.schema.JsonSchema documentedSchema(JsonNode doc, JsonNode documented) {
    com.fasterxml.jackson.databind.node.ObjectNode wrapper = JSON.createObjectNode();
    wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    wrapper.put("$ref", "#/$defs/target");
    wrapper.putObject("$defs").set("target", documented.path("content").path("application/json").path("schema"));
    wrapper.set("components", doc.path("components"));
    return com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012)
        .getSchema(wrapper, com.networknt.schema.SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
  }

  private static String failureReason(byte[] bytes) throws IOException {
    String id = ImageId.sha256Of(bytes).value();
    JsonNode image = get("/images/" + id);
    assertThat(image.path("status").asText()).isEqualTo("FAILED");
    // bytes that are no JPEG/PNG have no submission; the answer still says why, as the history does
    JsonNode history = get("/images/" + id + "/events").path("events");
    JsonNode last = history.get(history.size() - 1);
    assertThat(last.path("type").asText()).isEqualTo("ClassificationFailed");
    String reason = last.path("payload").path("reason").asText();
    assertThat(image.path("failure").path("reason").asText()).isEqualTo(reason);
    return reason;
  }

  /** Three pollers, one per function instance, until {@code done} (checked between rounds) or the time is up. */
  private static void runPollersUntil(Duration max, BooleanSupplier done) throws Exception {
    Instant deadline = Instant.now().plus(max);
    ExecutorService pool = Executors.newFixedThreadPool(classifiers.size());
    try {
      while (!done.getAsBoolean()) {
        assertThat(Instant.now()).as("pipeline did not settle in %s", max).isBefore(deadline);
        List<Future<Integer>> polls = new ArrayList<>();
        for (ClassifyHandler handler : classifiers) {
          polls.add(pool.submit(() -> harness.pollQueueOnce(queues.queueUrl(), counting(handler), VISIBILITY_SECONDS)));
        }
        int received = 0;
        for (Future<Integer> poll : polls) {
          received += poll.get();
        }
        if (received == 0) {
          Thread.sleep(200); // failed messages come back after the visibility timeout
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static RequestHandler<SQSEvent, SQSBatchResponse> counting(ClassifyHandler handler) {
    return (event, context) -> {
      SQSBatchResponse response = handler.handleRequest(event, context);
      reportedFailures.addAndGet(response.getBatchItemFailures().size());
      return response;
    };
  }

  private static void projectUntilQuiet() {
    synchronized (EndToEndTest.class) {
      while (stream.pollOnce(projector) > 0) {
        // next page
      }
    }
  }

  /** GET through the query function's URL, as the URL would deliver it; expects 200. */
  static JsonNode get(String path) throws IOException {
    return call(query, "GET", path, "", 200);
  }

  /** A request through a function's URL (payload format 2.0), as the URL would deliver it. */
  static JsonNode call(
      RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function, String method, String pathAndQuery,
      String body, int expectedStatus) throws IOException {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    APIGatewayV2HTTPEvent event =
        APIGatewayV2HTTPEvent.builder()
            .withVersion("2.0")
            .withRouteKey("$default")
            .withRawPath(path)
            .withRawQueryString(q < 0 ? "" : pathAndQuery.substring(q + 1))
            .withHeaders(Map.of("accept", "application/json", "host", "abc.lambda-url.us-east-1.on.aws",
                "content-type", "application/json"))
            .withBody(body)
            .withIsBase64Encoded(false)
            .withRequestContext(
                APIGatewayV2HTTPEvent.RequestContext.builder()
                    .withRequestId(UUID.randomUUID().toString())
                    .withHttp(
                        APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                            .withMethod(method)
                            .withPath(path)
                            .withProtocol("HTTP/1.1")
                            .withSourceIp("127.0.0.1")
                            .build())
                    .build())
            .build();
    APIGatewayV2HTTPResponse response = function.handleRequest(event, new TestContext("function"));
    assertThat(response.getStatusCode()).as("%s %s: %s", method, pathAndQuery, response.getBody())
        .isEqualTo(expectedStatus);
    return JSON.readTree(response.getBody());
  }

  /** The first {@code n} test photos (testdata/photos), cats and non-cats alternating, by manifest path. */
  static Map<String, byte[]> devImages(int n) throws IOException {
    Path dev = TestData.photos();
    List<String> cats = new ArrayList<>();
    List<String> others = new ArrayList<>();
    List<String> manifest = Files.readAllLines(dev.resolve("manifest.csv"));
    for (String line : manifest.subList(1, manifest.size())) {
      String[] cells = line.split(",");
      (cells[1].equals("cat") ? cats : others).add(cells[0]);
    }
    Map<String, byte[]> images = new LinkedHashMap<>();
    for (int i = 0; images.size() < n; i++) {
      String file = (i % 2 == 0 ? cats : others).get(i / 2);
      images.put(file, Files.readAllBytes(dev.resolve(file)));
    }
    return images;
  }

  /** A small WebP (RIFF/WEBP) header: what a .jpg name sometimes hides. */
  static byte[] webp() {
    ByteBuffer b = ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(56).put("WEBPVP8 ".getBytes(StandardCharsets.US_ASCII));
    b.putInt(44);
    return b.array();
  }

  /** A PNG whose header claims {@code width} × {@code height}: a decompression bomb's first bytes. */
  static byte[] pngHeader(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    b.putInt(13);
    int crcStart = b.position();
    b.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height);
    b.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(b.array(), crcStart, 17);
    b.putInt((int) crc.getValue());
    b.putInt(0).put("IEND".getBytes(StandardCharsets.US_ASCII));
    CRC32 end = new CRC32();
    end.update("IEND".getBytes(StandardCharsets.US_ASCII));
    b.putInt((int) end.getValue());
    return b.array();
  }

  /** The real detector, made to fail (as if unavailable) for chosen images until healed, or renamed. */
  static final class SwitchableDetector implements CatDetector {
    private final CatDetector delegate;
    private final Set<ImageId> failing = ConcurrentHashMap.newKeySet();
    private volatile String version;

    SwitchableDetector(CatDetector delegate) {
      this.delegate = delegate;
    }

    void failFor(ImageId id) {
      failing.add(id);
    }

    void heal() {
      failing.clear();
    }

    @Override
    public CatVerdict detect(byte[] image) throws ImageRejectedException {
      if (failing.contains(ImageId.sha256Of(image))) {
        throw new DetectorUnavailableException("switched off by the test", null);
      }
      return delegate.detect(image);
    }

    /** Answers as another model version (a model upgrade), or as the real one again with null. */
    void renameModel(String newVersion) {
      version = newVersion;
    }

    @Override
    public DetectorModel model() {
      DetectorModel real = delegate.model();
      return version == null ? real : new DetectorModel(real.name(), version);
    }
  }
}
