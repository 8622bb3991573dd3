package io.catwrangler.ingest;

import io.catwrangler.aws.testing.LambdaLogs;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.catwrangler.aws.ArrivalMetadata;
import io.catwrangler.aws.AwsConfig;
import io.catwrangler.aws.DynamoDbEventStore;
import io.catwrangler.aws.DynamoDbTables;
import io.catwrangler.aws.IncomingObject;
import io.catwrangler.aws.testing.DynoxideServer;
import io.catwrangler.aws.testing.ElasticMqServer;
import io.catwrangler.aws.testing.S3ProxyServer;
import io.catwrangler.aws.testing.TestAws;
import io.catwrangler.aws.testing.TestContext;
import io.catwrangler.core.ingest.Upload;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.SubmissionSource;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** {@link IngestHandler} fed Function URL event JSON, against S3Proxy, ElasticMQ and Dynoxide. */
class IngestHandlerTest {
  @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();
  @RegisterExtension static final ElasticMqServer SQS = new ElasticMqServer();
  @RegisterExtension static final DynoxideServer DYNAMO = new DynoxideServer();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static IngestHandler handler;
  private static DynamoDbEventStore events;
  private static ElasticMqServer.QueuePair queues;
  private static Map<String, String> environment;
  private static String bucket;

  @BeforeAll
  static void wire() {
    bucket = S3.createBucket();
    queues = SQS.createQueuePair(3);
    String eventTable = DYNAMO.createTable(DynamoDbTables::eventTable, "events");
    environment =
        Map.of(
            "CW_EVENT_TABLE", eventTable,
            "CW_VIEW_TABLE", DYNAMO.createTable(DynamoDbTables::viewTable, "view"),
            "CW_IDEMPOTENCY_TABLE", "unused",
            "CW_BUCKET", bucket,
            "CW_CLASSIFY_QUEUE_URL", queues.queueUrl(),
            "CW_MAX_BYTES", "100000");
    AwsConfig config = AwsConfig.from(environment);
    S3Presigner presigner =
        S3Presigner.builder()
            .endpointOverride(S3.endpoint())
            .region(TestAws.REGION)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build();
    handler = new IngestHandler(config, DYNAMO.client(), S3.newClient(), SQS.client(), presigner, Clock.systemUTC());
    events = new DynamoDbEventStore(DYNAMO.client(), eventTable);
  }

  @Test
  void postImagesWithABase64BodyIsIngestedRecordedAndQueued() throws IOException {
    byte[] png = png();
    APIGatewayV2HTTPEvent event =
        EventLoader.loadApiGatewayHttpEvent(
            fill("function-url-post-image-base64.json", "${BODY_BASE64}", Base64.getEncoder().encodeToString(png)));

    APIGatewayV2HTTPResponse response = handler.handleRequest(event, new TestContext("ingest"));

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
    JsonNode body = JSON.readTree(response.getBody());
    ImageId id = ImageId.sha256Of(png);
    assertThat(body.path("image_id").asText()).isEqualTo(id.value());
    assertThat(body.path("batch_id").asText()).isEqualTo("fixture-batch");
    ImageReceived received = (ImageReceived) events.read(id).get(0);
    assertThat(received.correlationId()).isEqualTo("c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
    assertThat(received.submission().fileName().orElseThrow().value()).isEqualTo("tiny cat.png");
    assertThat(SQS.client().receiveMessage(r -> r.queueUrl(queues.queueUrl())).messages())
        .singleElement().satisfies(m -> assertThat(m.body()).contains(id.value()));
  }

  /** A handler whose event table does not exist: a deployment error, which retrying cannot help. */
  private static IngestHandler withAMissingEventTable() {
    AwsConfig missingTable =
        AwsConfig.from(
            Map.of(
                "CW_EVENT_TABLE", "no-such-table",
                "CW_VIEW_TABLE", "unused",
                "CW_IDEMPOTENCY_TABLE", "unused",
                "CW_BUCKET", bucket,
                "CW_CLASSIFY_QUEUE_URL", queues.queueUrl()));
    return new IngestHandler(missingTable, DYNAMO.client(), S3.newClient(), SQS.client(),
        S3Presigner.builder().region(TestAws.REGION).build(), Clock.systemUTC());
  }

  @Test
  void aStoreThatRefusesForGoodIsA500NotA503ThatInvitesRetries() throws IOException {
    IngestHandler broken = withAMissingEventTable();
    APIGatewayV2HTTPEvent event =
        EventLoader.loadApiGatewayHttpEvent(
            fill("function-url-post-image-base64.json", "${BODY_BASE64}", Base64.getEncoder().encodeToString(png())));

    APIGatewayV2HTTPResponse response = broken.handleRequest(event, new TestContext("ingest"));

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(500);
    assertThat(response.getHeaders()).doesNotContainKey("Retry-After");
    assertThat(JSON.readTree(response.getBody()).path("error").asText()).isEqualTo("INTERNAL_ERROR");
  }

  @Test
  void logLinesCarryTheRequestIdTheEventsCarryAsTheirCorrelationId() throws IOException {
    IngestHandler broken = withAMissingEventTable(); // every upload fails and is logged
    Map<String, String> correlationIds = new java.util.LinkedHashMap<>();
    for (String given : new String[] {"client-request-42", null}) {
      APIGatewayV2HTTPEvent event =
          EventLoader.loadApiGatewayHttpEvent(
              fill("function-url-post-image-base64.json", "${BODY_BASE64}", Base64.getEncoder().encodeToString(png())));
      if (given != null) {
        event.getHeaders().put("x-request-id", given);
      }
      List<APIGatewayV2HTTPResponse> responses = new ArrayList<>();
      List<String> lines = LambdaLogs.capture(() -> responses.add(broken.handleRequest(event, new TestContext("ingest"))));

      assertThat(lines).as("the failed request's log").isNotEmpty();
      for (String line : lines) {
        correlationIds.put(JSON.readTree(line).path("correlation_id").asText(),
            responses.get(0).getHeaders().get("X-Request-Id"));
      }
    }

    // a caller's X-Request-Id, else the URL's request id: whichever the request's events would carry
    assertThat(correlationIds).containsExactly(
        Map.entry("client-request-42", "client-request-42"),
        Map.entry("c6af9ac6-7b61-11e6-9a41-93e8deadbeef", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"));
  }

  @Test
  void theCallersRequestIdIsTheEventsCorrelationId() throws IOException {
    byte[] png = png(3);
    APIGatewayV2HTTPEvent event =
        EventLoader.loadApiGatewayHttpEvent(
            fill("function-url-post-image-base64.json", "${BODY_BASE64}", Base64.getEncoder().encodeToString(png)));
    event.getHeaders().put("x-request-id", "client-request-43");
    Map<String, String> ownQueue = new HashMap<>(environment); // the other tests count what is on the shared one
    ownQueue.put("CW_CLASSIFY_QUEUE_URL", SQS.createQueuePair(3).queueUrl());
    IngestHandler ingest = new IngestHandler(AwsConfig.from(ownQueue), DYNAMO.client(), S3.newClient(), SQS.client(),
        S3Presigner.builder().region(TestAws.REGION).build(), Clock.systemUTC());

    APIGatewayV2HTTPResponse response = ingest.handleRequest(event, new TestContext("ingest"));

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
    assertThat(events.read(ImageId.sha256Of(png)).get(0).correlationId()).isEqualTo("client-request-43");
  }

  @Test
  void readRoutesAreNotServedByTheIngestUrl() throws IOException {
    APIGatewayV2HTTPEvent event =
        EventLoader.loadApiGatewayHttpEvent(fill("function-url-post-image-base64.json", "${BODY_BASE64}", ""));
    event.setRawPath("/images/" + "a".repeat(64));
    event.getRequestContext().getHttp().setMethod("GET");
    assertThat(handler.handleRequest(event, new TestContext("ingest")).getStatusCode()).isEqualTo(404);
  }

  @Test
  void postUploadsPresignsAPutThatS3AcceptsOnlyForTheDeclaredLengthAndChecksum() throws Exception {
    byte[] png = png();
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png));
    APIGatewayV2HTTPEvent event = postUploads(png.length, sha256);

    // as on POST /images: the batch, the client and the file name (percent-encoded UTF-8) travel as headers
    Map<String, String> headers = new HashMap<>(event.getHeaders());
    headers.put("x-batch-id", "big-scans-7");
    headers.put("x-client-id", "scanner-2");
    headers.put("x-file-name", "ch%C3%A2teau cat.png");
    event.setHeaders(headers);
    APIGatewayV2HTTPResponse response = handler.handleRequest(event, new TestContext("ingest"));

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    JsonNode upload = JSON.readTree(response.getBody());
    assertThat(upload.path("headers").path("x-amz-meta-batch-id").asText()).isEqualTo("big-scans-7");
    assertThat(upload.path("key").asText()).startsWith("incoming/");
    URI url = URI.create(upload.path("url").asText());
    assertThat(url.getQuery()).contains("X-Amz-SignedHeaders=").contains("content-length")
        .contains("x-amz-checksum-sha256").contains("X-Amz-Expires=300");

    HttpClient http = HttpClient.newHttpClient();
    HttpRequest.Builder put = HttpRequest.newBuilder(url);
    upload.path("headers").fields().forEachRemaining(h -> {
      if (!h.getKey().equalsIgnoreCase("content-length")) {
        put.header(h.getKey(), h.getValue().asText());
      }
    });
    byte[] other = png.clone();
    other[other.length - 1] ^= 1;
    assertThat(http.send(put.copy().PUT(HttpRequest.BodyPublishers.ofByteArray(other)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).as("other bytes, same length").isGreaterThanOrEqualTo(400);
    assertThat(http.send(put.copy().PUT(HttpRequest.BodyPublishers.ofByteArray(png)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    var head = S3.client().headObject(h -> h.bucket(bucket).key(upload.path("key").asText()));
    assertThat(head.contentLength()).isEqualTo(png.length);
    // signed in: S3 stored them as the object's metadata, which classify-fn reads when the object arrives
    assertThat(head.metadata()).containsEntry("batch-id", "big-scans-7").containsEntry("client-id", "scanner-2")
        .containsEntry("file-name", "ch%C3%A2teau cat.png").containsEntry("source", "presigned");
    Upload arrival = ArrivalMetadata.upload(png, new IncomingObject(upload.path("key").asText(), png.length,
        head.eTag(), head.metadata())).upload();
    assertThat(arrival.batchId()).contains("big-scans-7");
    assertThat(arrival.clientId()).contains("scanner-2");
    assertThat(arrival.fileName()).contains("château cat.png");
    assertThat(arrival.source()).isEqualTo(SubmissionSource.PRESIGNED);
  }

  @Test
  void postUploadsRefusesABatchIdThatPostImagesWouldRefuse() throws IOException {
    APIGatewayV2HTTPEvent event = postUploads(100, "a".repeat(64));
    Map<String, String> headers = new HashMap<>(event.getHeaders());
    headers.put("x-batch-id", "no spaces please");
    event.setHeaders(headers);
    APIGatewayV2HTTPResponse response = handler.handleRequest(event, new TestContext("ingest"));
    assertThat(response.getStatusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.getBody()).path("error").asText()).isEqualTo("INVALID_ID");
  }

  /** docs/api.md: a body that is not one JSON object, "a repeated field or text after it included", is INVALID_JSON. */
  @Test
  void postUploadsRefusesARepeatedFieldInsteadOfGuessingWhichWasMeant() throws IOException {
    APIGatewayV2HTTPEvent event = postUploads(100, "a".repeat(64));
    event.setBody("{\"size\": 100, \"sha256\": \"" + "a".repeat(64) + "\", \"size\": 100001}");
    event.setIsBase64Encoded(false);
    APIGatewayV2HTTPResponse response = handler.handleRequest(event, new TestContext("ingest"));
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
    assertThat(response.getHeaders().get("Content-Type")).startsWith("application/json");
    JsonNode body = JSON.readTree(response.getBody());
    assertThat(body.path("error").asText()).isEqualTo("INVALID_JSON");
    assertThat(body.path("message").asText()).isNotBlank();

    event.setBody("{\"size\": 100, \"sha256\": \"" + "a".repeat(64) + "\"} {}");
    response = handler.handleRequest(event, new TestContext("ingest"));
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
    assertThat(JSON.readTree(response.getBody()).path("error").asText()).isEqualTo("INVALID_JSON");
  }

  @Test
  void postUploadsRefusesASizeOverTheLimit() throws IOException {
    APIGatewayV2HTTPEvent event = postUploads(100001, "a".repeat(64));
    assertThat(handler.handleRequest(event, new TestContext("ingest")).getStatusCode()).isEqualTo(413);
  }

  /**
   * docs/openapi.json's {@code POST /uploads} (AWS only, so the embedded server's conformance test leaves it out)
   * against what this function really answers: each documented status from a real request, status, request id and
   * body validated against the document's schema.
   */
  @Test
  void postUploadsAnswersAreTheOnesDocsOpenApiJsonDescribes() throws Exception {
    JsonNode doc = JSON.readTree(Path.of("..", "docs", "openapi.json").toFile());
    JsonNode responses = doc.path("paths").path("/uploads").path("post").path("responses");
    APIGatewayV2HTTPEvent badBatch = postUploads(100, "a".repeat(64));
    Map<String, String> headers = new HashMap<>(badBatch.getHeaders());
    headers.put("x-batch-id", "no spaces please");
    badBatch.setHeaders(headers);
    APIGatewayV2HTTPEvent notJson = postUploads(100, "a".repeat(64));
    notJson.setBody("not json");
    notJson.setIsBase64Encoded(false);
    Map<String, List<APIGatewayV2HTTPEvent>> requests = Map.of(
        "201", List.of(postUploads(1234, "b".repeat(64))),
        "400", List.of(badBatch, notJson, postUploads(0, "a".repeat(64)), postUploads(10, "xyz")),
        "413", List.of(postUploads(100001, "a".repeat(64))));
    assertThat(iterableNames(responses)).containsExactlyInAnyOrderElementsOf(requests.keySet());
    var factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    for (var entry : requests.entrySet()) {
      JsonNode documented = responses.path(entry.getKey());
      ObjectNode wrapper = JSON.createObjectNode();
      wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
      wrapper.put("$ref", "#/$defs/target");
      wrapper.putObject("$defs").set("target", documented.path("content").path("application/json").path("schema"));
      wrapper.set("components", doc.path("components"));
      var schema = factory.getSchema(wrapper, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
      for (APIGatewayV2HTTPEvent event : entry.getValue()) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, new TestContext("ingest"));
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(Integer.parseInt(entry.getKey()));
        assertThat(response.getHeaders()).containsKey("X-Request-Id");
        assertThat(response.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(schema.validate(JSON.readTree(response.getBody()))).as(response.getBody()).isEmpty();
      }
    }
  }

  /**
   * {@code POST /images/{id}/labels} on this function's URL (on AWS the label is a write, so it is ingest's): each
   * status docs/openapi.json lists that a request can bring about here, from real requests, validated against the
   * document's schema. (401 is the URL's own IAM check; 501 is a deployment without labels, which this is not; 500
   * and 503 are outages.)
   */
  @Test
  void postLabelsAppendsALabelRecordedAndAnswersAsDocsOpenApiJsonDescribes() throws Exception {
    byte[] png = png(0x996633); // another image than the other tests'
    ImageId id = ImageId.sha256Of(png);
    APIGatewayV2HTTPResponse sent = handler.handleRequest(EventLoader.loadApiGatewayHttpEvent(
        fill("function-url-post-image-base64.json", "${BODY_BASE64}", Base64.getEncoder().encodeToString(png))),
        new TestContext("ingest"));
    assertThat(sent.getStatusCode()).as(sent.getBody()).isEqualTo(202);
    JsonNode doc = JSON.readTree(Path.of("..", "docs", "openapi.json").toFile());
    JsonNode responses = doc.path("paths").path("/images/{id}/labels").path("post").path("responses");
    String path = "/images/" + id.value() + "/labels";
    Map<String, List<APIGatewayV2HTTPEvent>> requests = new java.util.LinkedHashMap<>();
    requests.put("201", List.of(functionUrl("POST", path, "{\"cat\": true, \"by\": \"ana\"}")));
    requests.put("200", List.of(functionUrl("POST", path, "{\"by\": \"ana\", \"cat\": true}")));
    requests.put("400", List.of(functionUrl("POST", path, "{\"cat\": true, \"by\": \"ana\"} trailing"),
        functionUrl("POST", path, "{\"cat\": \"yes\", \"by\": \"ana\"}"),
        functionUrl("POST", path, "{\"cat\": true}"),
        functionUrl("POST", path, "{\"cat\": true, \"by\": \"ana\", \"score\": 1}"),
        functionUrl("POST", "/images/not-an-id/labels", "{\"cat\": true, \"by\": \"ana\"}")));
    requests.put("404", List.of(functionUrl("POST", "/images/" + "0".repeat(64) + "/labels",
        "{\"cat\": false, \"by\": \"ana\"}")));
    for (var entry : requests.entrySet()) {
      var schema = documentedSchema(doc, responses.path(entry.getKey()));
      for (APIGatewayV2HTTPEvent event : entry.getValue()) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, new TestContext("ingest"));
        assertThat(response.getStatusCode()).as(event.getRawPath() + " " + event.getBody() + ": " + response.getBody())
            .isEqualTo(Integer.parseInt(entry.getKey()));
        assertThat(response.getHeaders()).containsKey("X-Request-Id");
        assertThat(schema.validate(JSON.readTree(response.getBody()))).as(response.getBody()).isEmpty();
      }
    }

    // one label appended (the 200 was the same label again), after the submission, with this request's id
    List<io.catwrangler.events.Event> stream = events.read(id);
    assertThat(stream).hasSize(2);
    io.catwrangler.events.LabelRecorded label = (io.catwrangler.events.LabelRecorded) stream.get(1);
    assertThat(label.label().cat()).isTrue();
    assertThat(label.label().by()).isEqualTo("ana");
    assertThat(label.version()).isEqualTo(2);
    // another person says otherwise: appended after it; the first says the same again: nothing
    APIGatewayV2HTTPResponse bob = handler.handleRequest(functionUrl("POST", path, "{\"cat\": false, \"by\": \"bob\"}"),
        new TestContext("ingest"));
    assertThat(bob.getStatusCode()).isEqualTo(201);
    assertThat(JSON.readTree(bob.getBody()).path("recorded").asBoolean()).isTrue();
    assertThat(events.read(id)).hasSize(3);
  }

  /** The documented response's JSON schema, with the document's components to resolve its references. */
  private static com.networknt.schema.JsonSchema documentedSchema(JsonNode doc, JsonNode documented) {
    ObjectNode wrapper = JSON.createObjectNode();
    wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    wrapper.put("$ref", "#/$defs/target");
    wrapper.putObject("$defs").set("target", documented.path("content").path("application/json").path("schema"));
    wrapper.set("components", doc.path("components"));
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(wrapper, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
  }

  /** A JSON request as a Function URL delivers it (payload format 2.0). */
  private static APIGatewayV2HTTPEvent functionUrl(String method, String path, String body) {
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey("$default")
        .withRawPath(path)
        .withRawQueryString("")
        .withHeaders(Map.of("host", "abc.lambda-url.us-east-1.on.aws", "content-type", "application/json"))
        .withBody(body)
        .withIsBase64Encoded(false)
        .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
            .withRequestId(java.util.UUID.randomUUID().toString())
            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path)
                .withProtocol("HTTP/1.1").withSourceIp("203.0.113.7").build())
            .build())
        .build();
  }

  private static List<String> iterableNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** A Function URL event for {@code POST /uploads} asking to upload {@code size} bytes with that sha256. */
  private static APIGatewayV2HTTPEvent postUploads(long size, String sha256) throws IOException {
    String body = "{\"size\": " + size + ", \"sha256\": \"" + sha256 + "\"}";
    // the body sits inside a JSON string of the event file: escaped as JSON text, without the outer quotes
    return EventLoader.loadApiGatewayHttpEvent(fill("function-url-post-uploads.json", "${BODY_JSON}",
        JSON.writeValueAsString(body).replaceAll("^\"|\"$", "")));
  }

  private static String fill(String name, String placeholder, String value) throws IOException {
    String text = new String(IngestHandlerTest.class.getResourceAsStream("/" + name).readAllBytes(),
        StandardCharsets.UTF_8).replace(placeholder, value);
    Path file = Files.createTempFile("fixture-", ".json");
    Files.writeString(file, text);
    file.toFile().deleteOnExit();
    return file.toString();
  }

  static byte[] png() throws IOException {
    return png(0x336699);
  }

  private static byte[] png(int rgb) throws IOException {
    BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    image.setRGB(3, 4, rgb);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  @Test
  void whatCoreLogsThroughSystemLoggerIsAJsonLineLikeTheHandlersOwn() {
    JsonNode line = LambdaLogs.systemLoggerLine("io.catwrangler.core.ingest.IngestImage", "core says");
    assertThat(line.path("level").asText()).isEqualTo("WARN");
    assertThat(line.path("message").asText()).isEqualTo("core says");
  }
}
