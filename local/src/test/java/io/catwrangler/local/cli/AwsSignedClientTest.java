package io.catwrangler.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catwrangler.aws.AwsConfig;
import io.catwrangler.aws.DynamoDbEventStore;
import io.catwrangler.aws.DynamoDbResultView;
import io.catwrangler.aws.DynamoDbTables;
import io.catwrangler.aws.testing.DynoxideServer;
import io.catwrangler.core.projection.ProjectEvents;
import io.catwrangler.events.ImageId;
import io.catwrangler.ingest.AdminHandler;
import io.catwrangler.ingest.IngestHandler;
import io.catwrangler.query.QueryHandler;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * {@code catwrangler submit/status/history --aws} against the real {@link IngestHandler} and {@link QueryHandler}
 * behind {@link FunctionUrlAdapter}s that verify each request's SigV4 signature, as the {@code AWS_IAM} Function URLs
 * do. The event and view tables are Dynoxide's; S3 and SQS are in-memory stand-ins of the SDK clients (the
 * emulators are exercised by the aws and query-fn modules); the stream projector's step is done by hand.
 */
class AwsSignedClientTest {
  @RegisterExtension static final DynoxideServer DYNAMO = new DynoxideServer();

  private static final String REGION = "eu-west-1";
  private static final String ACCESS_KEY = "AKIDCATWRANGLERTEST";
  private static final String SECRET = "c2VjcmV0LWZvci10aGUtYWRhcHRlci10ZXN0LW9ubHk";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static AwsConfig config;
  private static InMemoryS3 s3;
  private static List<SendMessageRequest> sent;
  private static FunctionUrlAdapter ingest;
  private static FunctionUrlAdapter query;
  private static FunctionUrlAdapter admin;

  @TempDir Path temp;

  @BeforeAll
  static void wire() throws Exception {
    String bucket = "images-" + UUID.randomUUID();
    config =
        AwsConfig.from(
            Map.of(
                "CW_EVENT_TABLE", DYNAMO.createTable(DynamoDbTables::eventTable, "events"),
                "CW_VIEW_TABLE", DYNAMO.createTable(DynamoDbTables::viewTable, "view"),
                "CW_IDEMPOTENCY_TABLE", DYNAMO.createTable(DynamoDbTables::idempotencyTable, "idempotency"),
                "CW_BUCKET", bucket,
                "CW_CLASSIFY_QUEUE_URL", "http://127.0.0.1:1/000000000000/classify",
                "CW_CLASSIFY_MODEL_NAME", "contract-detector", "CW_CLASSIFY_MODEL_VERSION", "1.0"));
    s3 = new InMemoryS3();
    sent = new CopyOnWriteArrayList<>();
    SqsClient sqs = new SqsClient() {
      @Override
      public SendMessageResponse sendMessage(SendMessageRequest request) {
        sent.add(request);
        return SendMessageResponse.builder().messageId(UUID.randomUUID().toString()).build();
      }

      @Override public String serviceName() { return "sqs"; }
      @Override public void close() {}
    };
    S3Presigner presigner =
        S3Presigner.builder()
            .region(Region.of(REGION))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build();
    ingest = new FunctionUrlAdapter(
        new IngestHandler(config, DYNAMO.client(), s3, sqs, presigner, Clock.systemUTC()), ACCESS_KEY, SECRET, REGION);
    query = new FunctionUrlAdapter(
        new QueryHandler(config, DYNAMO.client()), ACCESS_KEY, SECRET, REGION);
    admin = new FunctionUrlAdapter(
        new AdminHandler(config, DYNAMO.client(), sqs, Clock.systemUTC()), ACCESS_KEY, SECRET, REGION);
  }

  @AfterAll
  static void stop() {
    if (ingest != null) {
      ingest.close();
    }
    if (query != null) {
      query.close();
    }
    if (admin != null) {
      admin.close();
    }
  }

  @BeforeEach
  void credentials() {
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET);
    System.clearProperty("aws.sessionToken");
    for (FunctionUrlAdapter adapter : List.of(ingest, query, admin)) {
      adapter.seen.clear();
      adapter.refusals.clear();
    }
    sent.clear();
  }

  @AfterEach
  void forgetCredentials() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path photo(int seed) throws Exception {
    BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    image.setRGB(seed % 40, seed % 30, 0xFFFFFF);
    image.setRGB(1, 1, seed * 7919);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "png", bytes);
    Path file = temp.resolve("cat-" + seed + ".png");
    Files.write(file, bytes.toByteArray());
    return file;
  }

  @Test
  void submit_status_and_history_are_signed_and_answered_by_the_real_handlers() throws Exception {
    Path photo = photo(1);
    String id = ImageId.sha256Of(Files.readAllBytes(photo)).value();

    Run submit = run("submit", photo.toString(), "--batch", "aws-smoke", "--manifest", temp.resolve("m.jsonl").toString(),
        "--server", ingest.url().toString(), "--aws", "--region", REGION);

    assertThat(submit.code()).as(submit.err()).isZero();
    assertThat(submit.out()).contains("1 accepted");
    assertThat(ingest.refusals).isEmpty();
    assertThat(sent).as("ingest enqueued the image for classification").hasSize(1);
    assertThat(s3.objects).containsKey(config.bucket() + "/images/" + id);
    var upload = ingest.seen.get(0);
    assertThat(upload.event().getIsBase64Encoded()).as("a binary body, as the Function URL delivers it").isTrue();
    assertThat(upload.authorization())
        .startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/")
        .contains("/" + REGION + "/lambda/aws4_request")
        .contains("x-batch-id");

    // what the stream projector would do with the new events
    var events = new DynamoDbEventStore(DYNAMO.client(), config.eventTable());
    new ProjectEvents(events, new DynamoDbResultView(DYNAMO.client(), config.viewTable()))
        .project(events.read(ImageId.of(id)));

    Run status = run("status", id, "--json", "--server", query.url().toString(), "--aws", "--region", REGION);
    assertThat(status.code()).as(status.err()).isZero();
    JsonNode image = JSON.readTree(status.out());
    assertThat(image.path("image_id").asText()).isEqualTo(id);
    assertThat(image.path("status").asText()).isEqualTo("PENDING");
    assertThat(image.path("submissions").get(0).path("batch_id").asText()).isEqualTo("aws-smoke");

    Run debug = run("status", id, "--debug", "--server", query.url().toString(), "--aws", "--region", REGION);
    assertThat(debug.code()).as(debug.err()).isZero();
    assertThat(debug.out()).contains("status     PENDING");

    Run history = run("history", id, "--server", query.url().toString(), "--aws", "--region", REGION);
    assertThat(history.code()).as(history.err()).isZero();
    assertThat(history.out()).contains("ImageReceived");
    assertThat(query.refusals).isEmpty();
  }

  @Test
  void a_wrong_secret_is_refused_with_403_and_a_clear_error() throws Exception {
    System.setProperty("aws.secretAccessKey", "not-the-secret");
    Path photo = photo(2);
    int before = ingest.seen.size();

    Run status = run("status", "0".repeat(64), "--server", query.url().toString(), "--aws", "--region", REGION);

    assertThat(status.code()).isEqualTo(ClientErrors.API_ERROR);
    assertThat(status.err()).contains("error: 403 InvalidSignatureException: The request signature we calculated")
        .doesNotContain("not-the-secret");
    Run submit = run("submit", photo.toString(), "--manifest", temp.resolve("m.jsonl").toString(),
        "--server", ingest.url().toString(), "--aws", "--region", REGION);
    assertThat(submit.code()).isEqualTo(1);
    assertThat(submit.err()).contains("403 InvalidSignatureException");
    assertThat(ingest.seen).as("nothing reached the handler").hasSize(before);
  }

  @Test
  void unsigned_requests_and_the_wrong_region_are_refused() throws Exception {
    Run unsigned = run("status", "0".repeat(64), "--server", query.url().toString());
    assertThat(unsigned.code()).isEqualTo(ClientErrors.API_ERROR);
    assertThat(unsigned.err()).contains("error: 403 AccessDeniedException: Forbidden");

    Run elsewhere = run("status", "0".repeat(64), "--server", query.url().toString(), "--aws", "--region", "us-east-1");
    assertThat(elsewhere.code()).isEqualTo(ClientErrors.API_ERROR);
    assertThat(elsewhere.err()).contains("403 InvalidSignatureException");

    Run signed = run("status", "0".repeat(64), "--server", query.url().toString(), "--aws", "--region", REGION);
    assertThat(signed.err()).as("signed: the handler's own answer").contains("404 NOT_FOUND");
  }

  @Test
  void replay_goes_signed_to_the_admin_url_which_queues_reclassifications() throws Exception {
    Path photo = photo(3);
    String id = ImageId.sha256Of(Files.readAllBytes(photo)).value();
    assertThat(run("submit", photo.toString(), "--manifest", temp.resolve("m.jsonl").toString(),
        "--server", ingest.url().toString(), "--aws", "--region", REGION).code()).isZero();
    sent.clear();

    Run reclassify = run("replay", "--reclassify", "--image", id,
        "--server", admin.url().toString(), "--aws", "--region", REGION);

    assertThat(reclassify.code()).as(reclassify.err()).isZero();
    assertThat(reclassify.out()).contains("reclassify of " + id + ": 1 image(s), 0 event(s) appended")
        .contains("1 queued for the classifier");
    assertThat(admin.refusals).isEmpty();
    assertThat(admin.seen.get(0).authorization()).contains("/" + REGION + "/lambda/aws4_request");
    assertThat(sent).singleElement().satisfies(m -> assertThat(m.messageBody()).contains("\"reclassify\":true")
        .contains(id));

    Run rebuild = run("replay", "--image", id, "--server", admin.url().toString(), "--aws", "--region", REGION);
    assertThat(rebuild.code()).as(rebuild.err()).isZero();
    assertThat(rebuild.out()).contains("rebuild of " + id + ": 1 image(s)").doesNotContain("queued");

    Run elsewhere = run("replay", "--server", query.url().toString(), "--aws", "--region", REGION);
    assertThat(elsewhere.err()).as("replay is the admin URL's only").contains("404 NOT_FOUND");
  }

  /** S3's objects in memory, for the calls {@code S3ImageStore} makes on ingest and query. */
  private static final class InMemoryS3 implements S3Client {
    final Map<String, byte[]> objects = new ConcurrentHashMap<>();

    @Override
    public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
      try (var in = body.contentStreamProvider().newStream()) {
        objects.put(request.bucket() + "/" + request.key(), in.readAllBytes());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return PutObjectResponse.builder().eTag("\"etag\"").build();
    }

    @Override
    public HeadObjectResponse headObject(HeadObjectRequest request) {
      byte[] bytes = objects.get(request.bucket() + "/" + request.key());
      if (bytes == null) {
        throw (NoSuchKeyException) NoSuchKeyException.builder().statusCode(404).message("no such key").build();
      }
      return HeadObjectResponse.builder().contentLength((long) bytes.length).eTag("\"etag\"").build();
    }

    @Override
    public <T> T getObject(GetObjectRequest request, ResponseTransformer<GetObjectResponse, T> transformer) {
      byte[] bytes = objects.get(request.bucket() + "/" + request.key());
      if (bytes == null) {
        throw (NoSuchKeyException) NoSuchKeyException.builder().statusCode(404).message("no such key").build();
      }
      try {
        return transformer.transform(GetObjectResponse.builder().contentLength((long) bytes.length).build(),
            AbortableInputStream.create(new ByteArrayInputStream(bytes)));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public ResponseBytes<GetObjectResponse> getObjectAsBytes(GetObjectRequest request) {
      return getObject(request, ResponseTransformer.toBytes());
    }

    @Override public String serviceName() { return "s3"; }
    @Override public void close() {}
  }
}
