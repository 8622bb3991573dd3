package io.catwrangler.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import io.catwrangler.aws.AwsConfig;
import io.catwrangler.aws.DynamoDbResultView;
import io.catwrangler.aws.DynamoDbTables;
import io.catwrangler.aws.internal.ItemSize;
import io.catwrangler.aws.testing.DynoxideServer;
import io.catwrangler.aws.testing.ElasticMqServer;
import io.catwrangler.aws.testing.RecordedOperations;
import io.catwrangler.aws.testing.S3ProxyServer;
import io.catwrangler.aws.testing.TestAws;
import io.catwrangler.classify.ClassifyHandler;
import io.catwrangler.detector.ImageNetCatDetector;
import io.catwrangler.events.ImageId;
import io.catwrangler.ingest.IngestHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * What one image costs in requests, counted per function and operation on the emulators (an SDK interceptor on
 * each function's clients), and what its items weigh (the event and view items as stored, measured with
 * DynamoDB's size rules): the inputs of the cost table in docs/deploy-aws.md. Ten dev images through each path,
 * with the real embedded detector, so the items have the size real answers give them. The figures are written to
 * {@code target/cost-inputs.txt}.
 */
class RequestsPerImageTest {
  @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();
  @RegisterExtension static final ElasticMqServer SQS = new ElasticMqServer();
  @RegisterExtension static final DynoxideServer DYNAMO = new DynoxideServer();

  private static final int IMAGES = 10;

  private static ImageNetCatDetector embedded;
  private static AwsConfig config;
  private static String bucket;
  private static ElasticMqServer.QueuePair queues;
  private static EventSourceHarness harness;
  private static EventSourceHarness.StreamReader stream;
  private static String eventTable;
  private static String viewTable;
  private static final StringBuilder report = new StringBuilder();

  @BeforeAll
  static void wire() {
    bucket = S3.createBucket();
    queues = SQS.createQueuePair(3);
    eventTable = DYNAMO.createTable(DynamoDbTables::eventTable, "events");
    viewTable = DYNAMO.createTable(DynamoDbTables::viewTable, "view");
    config =
        AwsConfig.from(
            Map.of(
                "CW_EVENT_TABLE", eventTable,
                "CW_VIEW_TABLE", viewTable,
                "CW_IDEMPOTENCY_TABLE", DYNAMO.createTable(DynamoDbTables::idempotencyTable, "idempotency"),
                "CW_BUCKET", bucket,
                "CW_CLASSIFY_QUEUE_URL", queues.queueUrl(),
                "CW_CLASSIFY_MODEL_NAME", ImageNetCatDetector.MODEL.name(),
                "CW_CLASSIFY_MODEL_VERSION", ImageNetCatDetector.MODEL.version()));
    // classify-fn's embedded detector as the deployment configures it by default (CW_BOXES unset: never)
    embedded = (ImageNetCatDetector) ClassifyHandler.detector(config);
    harness = new EventSourceHarness(S3.newClient(), SQS.client(), DYNAMO.streams());
    stream = harness.streamOf(
        DYNAMO.client().describeTable(d -> d.tableName(eventTable)).table().latestStreamArn());
  }

  @AfterAll
  static void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
    Files.writeString(Path.of("target", "cost-inputs.txt"), report);
  }

  /** One function's clients, each counting its calls. */
  record Counted(RecordedOperations s3, RecordedOperations dynamo, RecordedOperations sqs) {
    static Counted make() {
      return new Counted(new RecordedOperations(), new RecordedOperations(), new RecordedOperations());
    }

    /** Calls per image, by "Service.Operation". */
    Map<String, Double> perImage() {
      Map<String, Double> per = new TreeMap<>();
      s3.counts().forEach((op, n) -> per.put("S3." + op, n / (double) IMAGES));
      dynamo.counts().forEach((op, n) -> per.put("DynamoDB." + op, n / (double) IMAGES));
      sqs.counts().forEach((op, n) -> per.put("SQS." + op, n / (double) IMAGES));
      return per;
    }
  }

  @Test
  void anS3ArrivalCostsFourS3RequestsOneDownloadAndOneViewWritePerImage() throws IOException {
    projectWhatOtherTestsLeft();
    Counted classify = Counted.make();
    Counted projector = Counted.make();
    Counted query = Counted.make();
    ClassifyHandler classifier = new ClassifyHandler(config, DYNAMO.newClient(classify.dynamo()),
        S3.newClient(classify.s3()), SQS.newClient(classify.sqs()), embedded, Clock.systemUTC());
    ProjectorHandler projection = new ProjectorHandler(config, DYNAMO.newClient(projector.dynamo()));
    QueryHandler answers = new QueryHandler(config, DYNAMO.newClient(query.dynamo()));
    List<ImageId> ids = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, byte[]> image : EndToEndTest.devImages(IMAGES).entrySet()) {
      String key = "incoming/arrival-" + i++ + ".jpg";
      S3.client().putObject(p -> p.bucket(bucket).key(key).metadata(Map.of("batch-id", "night-1")),
          RequestBody.fromBytes(image.getValue()));
      harness.notifyCreated(queues.queueUrl(), bucket, key, 1);
      ids.add(ImageId.sha256Of(image.getValue()));
    }

    // one batch of ten, as the SQS mapping hands it over
    assertThat(harness.pollQueueOnce(queues.queueUrl(), (e, c) -> {
      SQSBatchResponse r = classifier.handleRequest(e, c);
      assertThat(r.getBatchItemFailures()).isEmpty();
      return r;
    }, 30)).isEqualTo(IMAGES);
    while (stream.pollOnce(projection) > 0) {
      // every record of the classifications
    }
    for (ImageId id : ids) {
      EndToEndTest.call(answers, "GET", "/images/" + id.value(), "", 200);
    }

    report("S3 arrival: classify", classify.perImage());
    report("S3 arrival: projector", projector.perImage());
    report("S3 arrival: query GET /images/{id}", query.perImage());
    assertThat(classify.perImage()).isEqualTo(Map.of(
        "S3.HeadObject", 1.0, "S3.GetObject", 1.0, "S3.CopyObject", 1.0, "S3.DeleteObject", 1.0,
        "DynamoDB.PutItem", 1.0, // idempotency claim
        "DynamoDB.GetItem", 1.0, // the view row the image's state starts from (decision 0030)
        "DynamoDB.Query", 1.0, // the image's events after it
        "DynamoDB.TransactWriteItems", 1.0, // ImageReceived + ClassificationSucceeded in one append
        "DynamoDB.UpdateItem", 1.0)); // idempotency completed
    // the stream batch holds both events of all ten images: one read and one save per image; the ten batch items go
    // in one transaction with their batch's counter (decision 0042), each image row is a plain conditional PutItem
    assertThat(projector.perImage()).isEqualTo(Map.of("DynamoDB.GetItem", 1.0, "DynamoDB.PutItem", 1.0,
        "DynamoDB.TransactWriteItems", 0.1));
    assertThat(query.perImage()).isEqualTo(Map.of("DynamoDB.GetItem", 1.0));
    reportItemSizes(ids);
  }

  @Test
  void aPostedImageCostsOneHeadOnePutOneSendAndOneDownload() throws IOException {
    Counted ingest = Counted.make();
    Counted classify = Counted.make();
    IngestHandler ingestion = new IngestHandler(config, DYNAMO.newClient(ingest.dynamo()),
        S3.newClient(ingest.s3()), SQS.newClient(ingest.sqs()), presigner(), Clock.systemUTC());
    ClassifyHandler classifier = new ClassifyHandler(config, DYNAMO.newClient(classify.dynamo()),
        S3.newClient(classify.s3()), SQS.newClient(classify.sqs()), embedded, Clock.systemUTC());
    for (Map.Entry<String, byte[]> image : EndToEndTest.devImages(IMAGES + 10).entrySet().stream().skip(10).toList()) {
      post(ingestion, image.getValue(), "posted-1", image.getKey(), 202);
    }
    assertThat(harness.pollQueueOnce(queues.queueUrl(), classifier::handleRequest, 30)).isEqualTo(IMAGES);

    report("POST /images: ingest", ingest.perImage());
    report("POST /images: classify", classify.perImage());
    assertThat(ingest.perImage()).isEqualTo(Map.of(
        "S3.HeadObject", 1.0, "S3.PutObject", 1.0, "SQS.SendMessage", 1.0, "DynamoDB.Query", 1.0,
        "DynamoDB.GetItem", 1.0, // the view row the state starts from (none yet: 0.5 read unit)
        "DynamoDB.PutItem", 1.0)); // the new stream's ImageReceived: a conditional put, not a transaction
    // the answer appended after the stream was read: a conditional PutItem, not a transaction (SeenVersions)
    assertThat(classify.perImage()).isEqualTo(Map.of(
        "S3.GetObject", 1.0, "DynamoDB.PutItem", 2.0, "DynamoDB.GetItem", 1.0, "DynamoDB.Query", 1.0,
        "DynamoDB.UpdateItem", 1.0));
  }

  /**
   * One image sent a thousand times (three batches, a new file name each time): what its thousandth submission costs
   * ingest, classify and the projector — calls and the read and write units DynamoDB bills (item sizes) — is what
   * its tenth cost (the second was the first in its batch, which also moves the batch's counter: decision 0042) once
   * the view row keeps its newest submissions only ({@code RETAINED_SUBMISSIONS}), and the
   * API still answers: the image with its first and newest submissions, each batch with its newest file names,
   * the whole history in the events (decision 0030).
   */
  @Test
  void aHotImageCostsTheSameAtItsThousandthSubmissionAsAtItsSecond() throws IOException {
    projectWhatOtherTestsLeft();
    Counted ingest = Counted.make();
    Counted classify = Counted.make();
    Counted projector = Counted.make();
    ConsumedCapacity ingestUnits = new ConsumedCapacity();
    ConsumedCapacity classifyUnits = new ConsumedCapacity();
    ConsumedCapacity projectorUnits = new ConsumedCapacity();
    IngestHandler ingestion = new IngestHandler(config, DYNAMO.newClient(ingest.dynamo(), ingestUnits),
        S3.newClient(ingest.s3()), SQS.newClient(ingest.sqs()), presigner(), Clock.systemUTC());
    ClassifyHandler classifier = new ClassifyHandler(config, DYNAMO.newClient(classify.dynamo(), classifyUnits),
        S3.newClient(classify.s3()), SQS.newClient(classify.sqs()), embedded, Clock.systemUTC());
    ProjectorHandler projection =
        new ProjectorHandler(config, DYNAMO.newClient(projector.dynamo(), projectorUnits));
    QueryHandler answers = new QueryHandler(config, DYNAMO.client());
    Map.Entry<String, byte[]> hot = EndToEndTest.devImages(IMAGES + 11).entrySet().stream().skip(IMAGES + 10)
        .findFirst().orElseThrow();
    ImageId id = ImageId.sha256Of(hot.getValue());
    int submissions = 1000;
    Map<Integer, Map<String, Object>> measured = new TreeMap<>();
    for (int n = 1; n <= submissions; n++) {
      List.of(ingest, classify, projector).forEach(c -> {
        c.s3().clear();
        c.dynamo().clear();
        c.sqs().clear();
      });
      List.of(ingestUnits, classifyUnits, projectorUnits).forEach(ConsumedCapacity::clear);
      post(ingestion, hot.getValue(), "hot-" + (n % 3), "hot-" + n + ".jpg", 202);
      assertThat(harness.pollQueueOnce(queues.queueUrl(), classifier::handleRequest, 30)).isEqualTo(1);
      assertThat(stream.pollOnce(projection)).isPositive();
      if (n == 2 || n == 10 || n == submissions) {
        measured.put(n, Map.of(
            "calls", Map.of("ingest", ingest.dynamo().counts(), "classify", classify.dynamo().counts(),
                "projector", projector.dynamo().counts()),
            "units", Map.of("ingest", ingestUnits.units(), "classify", classifyUnits.units(),
                "projector", projectorUnits.units()),
            "view row bytes", viewItemSize("image#" + id.value(), "state"),
            "batch item bytes", viewItemSize("batch#hot-" + (n % 3), id.value())));
      }
    }
    measured.forEach((n, figures) -> report.append("hot image, submission ").append(n).append(": ")
        .append(figures).append('\n'));

    // the same calls and the same billed units at the thousandth submission as at the tenth, both in a batch the
    // image is in already (the second is the first in its batch: its batch item goes in a transaction with the
    // batch's counter, decision 0042)
    assertThat(measured.get(submissions).get("calls")).isEqualTo(measured.get(10).get("calls"));
    assertThat(measured.get(submissions).get("units")).isEqualTo(measured.get(10).get("units"));
    assertThat(((Map<?, ?>) measured.get(2).get("calls")).get("projector"))
        .isEqualTo(Map.of("GetItem", 1L, "PutItem", 1L, "TransactWriteItems", 1L));
    assertThat(((Map<?, ?>) measured.get(submissions).get("calls")).get("projector"))
        .isEqualTo(Map.of("GetItem", 1L, "PutItem", 2L));
    // and the items as large as once the row holds its newest submissions (a longer file name, another gzip: bytes)
    assertThat((Long) measured.get(submissions).get("view row bytes"))
        .isCloseTo((Long) measured.get(10).get("view row bytes"), org.assertj.core.data.Offset.offset(32L));
    assertThat((Long) measured.get(submissions).get("batch item bytes"))
        .isCloseTo((Long) measured.get(10).get("batch item bytes"), org.assertj.core.data.Offset.offset(32L));

    // the image: its answer, its first and newest submissions
    var image = EndToEndTest.call(answers, "GET", "/images/" + id.value(), "", 200);
    assertThat(image.get("status").asText()).isEqualTo("CLASSIFIED");
    assertThat(image.get("version").asLong()).isEqualTo(submissions + 1);
    List<String> names = new ArrayList<>();
    image.get("submissions").forEach(sub -> names.add(sub.get("file_name").asText()));
    assertThat(names).containsExactly("hot-1.jpg", "hot-994.jpg", "hot-995.jpg", "hot-996.jpg", "hot-997.jpg",
        "hot-998.jpg", "hot-999.jpg", "hot-1000.jpg");
    // every submission is in the history, once
    var history = EndToEndTest.call(answers, "GET", "/images/" + id.value() + "/events", "", 200);
    List<String> received = new ArrayList<>();
    history.get("events").forEach(e -> {
      if (e.get("type").asText().equals("ImageReceived")) {
        received.add(e.get("payload").get("file_name").asText());
      }
    });
    assertThat(received).hasSize(submissions).doesNotHaveDuplicates();
    // each batch lists the image once, with its newest file names there, answered; paged with another image
    Map.Entry<String, byte[]> other = EndToEndTest.devImages(IMAGES + 12).entrySet().stream().skip(IMAGES + 11)
        .findFirst().orElseThrow();
    post(ingestion, other.getValue(), "hot-1", "other.jpg", 202);
    assertThat(harness.pollQueueOnce(queues.queueUrl(), classifier::handleRequest, 30)).isEqualTo(1);
    while (stream.pollOnce(projection) > 0) {
      // both events of the other image
    }
    var batch = EndToEndTest.call(answers, "GET", "/batches/hot-1", "", 200);
    assertThat(batch.get("total").asInt()).isEqualTo(2);
    var entry = java.util.stream.StreamSupport.stream(batch.get("images").spliterator(), false)
        .filter(e -> e.get("image_id").asText().equals(id.value())).findFirst().orElseThrow();
    assertThat(entry.get("status").asText()).isEqualTo("CLASSIFIED");
    assertThat(entry.get("answer").asText()).isEqualTo(image.get("answer").asText());
    List<String> batchNames = new ArrayList<>();
    entry.get("file_names").forEach(f -> batchNames.add(f.asText()));
    // the names of the row's submissions in that batch: its first and those among the newest
    assertThat(batchNames).containsExactly("hot-1.jpg", "hot-994.jpg", "hot-997.jpg", "hot-1000.jpg");
    var first = EndToEndTest.call(answers, "GET", "/batches/hot-1?limit=1", "", 200);
    assertThat(first.get("images")).hasSize(1);
    var second = EndToEndTest.call(answers, "GET",
        "/batches/hot-1?limit=1&cursor=" + first.get("next_cursor").asText(), "", 200);
    assertThat(second.get("images")).hasSize(1);
    assertThat(second.get("next_cursor").isNull()).isTrue();
    assertThat(List.of(first.get("images").get(0).get("image_id").asText(),
        second.get("images").get(0).get("image_id").asText()))
        .containsExactlyInAnyOrder(id.value(), ImageId.sha256Of(other.getValue()).value());
  }

  /**
   * What a person's label costs (decision 0045): ingest reads the image's state as for a submission and appends one
   * event; the projector writes the image row and the image's small label item; {@code GET /quality} reads the
   * view's labels partition only. Then the read units of {@code GET /quality} over 1,000 labelled images in a view
   * of their own.
   */
  @Test
  void aLabelCostsOneAppendAndOneSmallItemAndQualityReadsOnlyTheLabelItems() throws IOException {
    projectWhatOtherTestsLeft();
    IngestHandler uncountedIngest = new IngestHandler(config, DYNAMO.client(), S3.client(), SQS.client(), presigner(),
        Clock.systemUTC());
    ClassifyHandler classifier = new ClassifyHandler(config, DYNAMO.client(), S3.client(), SQS.client(), embedded,
        Clock.systemUTC());
    List<ImageId> ids = new ArrayList<>();
    for (Map.Entry<String, byte[]> image : EndToEndTest.devImages(IMAGES + 22).entrySet().stream().skip(22).toList()) {
      post(uncountedIngest, image.getValue(), "labelled-1", image.getKey(), 202);
      ids.add(ImageId.sha256Of(image.getValue()));
    }
    assertThat(harness.pollQueueOnce(queues.queueUrl(), classifier::handleRequest, 30)).isEqualTo(IMAGES);
    projectWhatOtherTestsLeft();

    Counted ingest = Counted.make();
    Counted projector = Counted.make();
    Counted query = Counted.make();
    ConsumedCapacity ingestUnits = new ConsumedCapacity();
    ConsumedCapacity projectorUnits = new ConsumedCapacity();
    ConsumedCapacity queryUnits = new ConsumedCapacity();
    IngestHandler ingestion = new IngestHandler(config, DYNAMO.newClient(ingest.dynamo(), ingestUnits),
        S3.newClient(ingest.s3()), SQS.newClient(ingest.sqs()), presigner(), Clock.systemUTC());
    ProjectorHandler projection = new ProjectorHandler(config, DYNAMO.newClient(projector.dynamo(), projectorUnits));
    QueryHandler answers = new QueryHandler(config, DYNAMO.newClient(query.dynamo(), queryUnits));
    for (ImageId id : ids) {
      EndToEndTest.call(ingestion, "POST", "/images/" + id.value() + "/labels",
          "{\"cat\": true, \"by\": \"ana\"}", 201);
    }
    while (stream.pollOnce(projection) > 0) {
      // the labels
    }
    var quality = EndToEndTest.call(answers, "GET", "/quality", "", 200);

    report("POST /images/{id}/labels: ingest", ingest.perImage());
    report("POST /images/{id}/labels: ingest units (all ten)", ingestUnits.units());
    report("POST /images/{id}/labels: projector", projector.perImage());
    report("POST /images/{id}/labels: projector units (all ten)", projectorUnits.units());
    report("GET /quality, " + quality.path("labelled").asLong() + " labelled: calls", query.dynamo().counts()
        .entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> (double) e.getValue())));
    report("GET /quality: units", queryUnits.units());
    assertThat(quality.path("labelled").asLong()).isGreaterThanOrEqualTo(IMAGES);
    assertThat(ingest.perImage()).isEqualTo(Map.of(
        "DynamoDB.GetItem", 1.0, // the view row the state starts from (decision 0030)
        "DynamoDB.Query", 1.0, // the events after it
        "DynamoDB.PutItem", 1.0)); // LabelRecorded
    // the row eventually consistent (0.5), the tail strongly (1, though empty), the event under 1 KB (1)
    assertThat(ingestUnits.units()).isEqualTo(Map.of("GetItem", 0.5 * IMAGES, "Query", 1.0 * IMAGES,
        "PutItem", 1.0 * IMAGES));
    // the stored row, then the label item (1 unit) and the row (2 units: a real answer's gzipped state); the batch
    // item keeps its answer: not written
    assertThat(projector.perImage()).isEqualTo(Map.of("DynamoDB.GetItem", 1.0, "DynamoDB.PutItem", 2.0));
    assertThat(projectorUnits.units()).isEqualTo(Map.of("GetItem", 1.0 * IMAGES, "PutItem", 3.0 * IMAGES));
    assertThat(query.dynamo().counts()).isEqualTo(Map.of("Query", 1L));
    assertThat(queryUnits.units()).isEqualTo(Map.of("Query", 0.5));

    // GET /quality over 1,000 labelled images: a view of their own, written as the projector writes it
    String labelled = DYNAMO.createTable(DynamoDbTables::viewTable, "labelled-view");
    DynamoDbResultView many = new DynamoDbResultView(DYNAMO.client(), labelled);
    io.catwrangler.events.DetectorModel model = new io.catwrangler.events.DetectorModel(
        ImageNetCatDetector.MODEL.name(), ImageNetCatDetector.MODEL.version());
    java.util.stream.IntStream.range(0, 1000).parallel().forEach(n -> {
      ImageId id = io.catwrangler.core.port.contract.ContractEvents.image(n);
      many.save(io.catwrangler.events.ImageState.fold(id, List.of(
          io.catwrangler.core.port.contract.ContractEvents.received(id, 1, "many", "m.jpg"),
          io.catwrangler.core.port.contract.ContractEvents.scored(id, 2, (n % 100) / 100.0, 0.5, model),
          io.catwrangler.core.port.contract.ContractEvents.labelled(id, 3, n % 3 != 0, "ana"))));
    });
    Map<String, String> env = new java.util.HashMap<>(Map.of("CW_EVENT_TABLE", eventTable, "CW_VIEW_TABLE", labelled,
        "CW_IDEMPOTENCY_TABLE", "unused", "CW_BUCKET", bucket));
    env.put("CW_CLASSIFY_MODEL_NAME", model.name());
    env.put("CW_CLASSIFY_MODEL_VERSION", model.version());
    Counted thousandCalls = Counted.make();
    ConsumedCapacity thousandUnits = new ConsumedCapacity();
    QueryHandler thousand = new QueryHandler(AwsConfig.from(env),
        DYNAMO.newClient(thousandCalls.dynamo(), thousandUnits));
    var figures = EndToEndTest.call(thousand, "GET", "/quality", "", 200);
    long labelItemBytes = viewItemSize(labelled, "labels", io.catwrangler.core.port.contract.ContractEvents.image(7)
        .value());
    report.append("GET /quality, 1,000 labelled: calls ").append(thousandCalls.dynamo().counts()).append(", units ")
        .append(thousandUnits.units()).append(", label item ").append(labelItemBytes).append(" bytes\n");
    assertThat(figures.path("n").asLong()).isEqualTo(1000);
    assertThat(thousandCalls.dynamo().counts()).isEqualTo(Map.of("Query", 1L));
    // eventually consistent: half a unit per 4 KB of label items, never a unit of the images' rows
    assertThat(thousandUnits.units().get("Query"))
        .isCloseTo(Math.ceil(1000 * labelItemBytes / 4096.0) / 2, org.assertj.core.data.Offset.offset(1.0));
  }

  /** Projects, uncounted, what the other tests left in the event table's stream. */
  private static void projectWhatOtherTestsLeft() {
    ProjectorHandler uncounted = new ProjectorHandler(config, DYNAMO.client());
    while (stream.pollOnce(uncounted) > 0) {
      // not this test's
    }
  }

  private static S3Presigner presigner() {
    return S3Presigner.builder().region(TestAws.REGION)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
  }

  private static void post(IngestHandler ingestion, byte[] bytes, String batch, String fileName, int status) {
    var event = com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0").withRawPath("/images").withIsBase64Encoded(true)
        .withBody(Base64.getEncoder().encodeToString(bytes))
        .withHeaders(Map.of("content-type", "image/jpeg", "x-batch-id", batch, "x-file-name", fileName))
        .withRequestContext(com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext
            .builder().withRequestId("r-" + batch + "-" + fileName)
            .withHttp(com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext.Http
                .builder().withMethod("POST").withPath("/images").build()).build())
        .build();
    assertThat(ingestion.handleRequest(event, new io.catwrangler.aws.testing.TestContext("ingest"))
        .getStatusCode()).isEqualTo(status);
  }

  private static long viewItemSize(String pk, String sk) {
    return viewItemSize(viewTable, pk, sk);
  }

  private static long viewItemSize(String table, String pk, String sk) {
    Map<String, AttributeValue> item = DYNAMO.client().getItem(g -> g.tableName(table)
        .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))).item();
    assertThat(item).isNotEmpty();
    return ItemSize.of(item);
  }

  private static void report(String what, Map<String, Double> perImage) {
    report.append(what).append(": ").append(perImage).append('\n');
  }

  /** Event and view items as stored, in bytes as DynamoDB counts them: mean and largest per kind. */
  private static void reportItemSizes(List<ImageId> ids) {
    Map<String, List<Long>> sizes = new TreeMap<>();
    for (Map<String, AttributeValue> item : DYNAMO.client().scan(s -> s.tableName(eventTable)).items()) {
      if (ids.contains(ImageId.of(item.get("image_id").s()))) {
        sizes.computeIfAbsent("event " + item.get("type").s(), k -> new ArrayList<>()).add(ItemSize.of(item));
      }
    }
    for (Map<String, AttributeValue> item : DYNAMO.client().scan(s -> s.tableName(viewTable)).items()) {
      String kind = item.get("pk").s().startsWith("batch#") ? "view batch item" : "view image row";
      sizes.computeIfAbsent(kind, k -> new ArrayList<>()).add(ItemSize.of(item));
    }
    sizes.forEach((kind, list) -> report.append("item size, ").append(kind).append(": mean ")
        .append(list.stream().mapToLong(Long::longValue).average().orElse(0)).append(" B, max ")
        .append(list.stream().mapToLong(Long::longValue).max().orElse(0)).append(" B, n ").append(list.size())
        .append('\n'));
    assertThat(sizes).containsKeys("event ImageReceived", "event ClassificationSucceeded", "view image row");
    // write units are per started KB: a submission is one, a view row (gzipped document) at most three
    assertThat(sizes.get("event ImageReceived")).allMatch(bytes -> bytes <= 1024);
    assertThat(sizes.get("view image row")).allMatch(bytes -> bytes <= 3 * 1024);
    assertThat(sizes.get("view batch item")).allMatch(bytes -> bytes <= 1024);
  }
}
