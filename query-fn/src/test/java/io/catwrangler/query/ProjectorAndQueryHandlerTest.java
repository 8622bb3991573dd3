package io.catwrangler.query;

import io.catwrangler.aws.testing.LambdaLogs;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catwrangler.aws.AwsConfig;
import io.catwrangler.aws.DynamoDbEventStore;
import io.catwrangler.aws.DynamoDbResultView;
import io.catwrangler.aws.DynamoDbTables;
import io.catwrangler.aws.testing.DynoxideServer;
import io.catwrangler.aws.testing.S3ProxyServer;
import io.catwrangler.aws.testing.TestContext;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.Classification;
import io.catwrangler.events.ClassificationTrigger;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.Event;
import io.catwrangler.events.EventCodec;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.ImageStatus;
import io.catwrangler.events.Submission;
import io.catwrangler.events.SubmissionId;
import io.catwrangler.events.SubmissionSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ProjectorHandler} and {@link QueryHandler} fed the event JSON of src/test/resources, against Dynoxide. */
class ProjectorAndQueryHandlerTest {
  @RegisterExtension static final DynoxideServer DYNAMO = new DynoxideServer();
  @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();

  private static final EventCodec CODEC = new EventCodec();
  private static AwsConfig config;
  private static DynamoDbEventStore events;
  private static DynamoDbResultView view;

  @BeforeAll
  static void wire() {
    config =
        AwsConfig.from(
            Map.of(
                "CW_EVENT_TABLE", DYNAMO.createTable(DynamoDbTables::eventTable, "events"),
                "CW_VIEW_TABLE", DYNAMO.createTable(DynamoDbTables::viewTable, "view"),
                "CW_IDEMPOTENCY_TABLE", "unused",
                "CW_BUCKET", S3.createBucket(),
                "CW_CLASSIFY_MODEL_NAME", "contract-detector", "CW_CLASSIFY_MODEL_VERSION", "1.0"));
    events = new DynamoDbEventStore(DYNAMO.client(), config.eventTable());
    view = new DynamoDbResultView(DYNAMO.client(), config.viewTable());
  }

  @Test
  void insertsAreProjectedModifyAndTtlRemoveIgnoredAndADuplicateNeverMovesTheViewBack() throws IOException {
    List<Event> stream = stream(1);
    var event = EventLoader.loadDynamoDbEvent(fixture("dynamodb-stream-insert-modify-remove.json", stream));

    StreamsEventResponse response = new ProjectorHandler(config, DYNAMO.client()).handleRequest(event, new TestContext("projector"));

    assertThat(response.getBatchItemFailures()).isEmpty();
    var state = view.image(stream.get(0).imageId()).orElseThrow();
    assertThat(state.status()).isEqualTo(ImageStatus.CLASSIFIED);
    assertThat(state.version()).as("the late duplicate of version 1 changed nothing").isEqualTo(2);
  }

  @Test
  void theFirstFailingRecordStopsTheBatchAndIsReportedBySequenceNumber() throws IOException {
    List<Event> stream = stream(2);
    var event = EventLoader.loadDynamoDbEvent(fixture("dynamodb-stream-poison-record.json", stream));

    StreamsEventResponse response = new ProjectorHandler(config, DYNAMO.client()).handleRequest(event, new TestContext("projector"));

    assertThat(response.getBatchItemFailures())
        .extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("600");
    assertThat(view.image(stream.get(0).imageId()).orElseThrow().version())
        .as("the record before the failure was projected, the one after was not").isEqualTo(1);
  }

  @Test
  void theQueryFunctionAnswersAFunctionUrlGetWithTheSameRoutesAsEmbedded() throws IOException {
    List<Event> stream = stream(3);
    var projector = new ProjectorHandler(config, DYNAMO.client());
    projector.handleRequest(
        EventLoader.loadDynamoDbEvent(fixture("dynamodb-stream-insert-modify-remove.json", stream)),
        new TestContext("projector"));
    var request = EventLoader.loadApiGatewayHttpEvent(fixture("function-url-get-image.json", stream));
    QueryHandler query = new QueryHandler(config, DYNAMO.client());

    APIGatewayV2HTTPResponse response = query.handleRequest(request, new TestContext("query"));

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(response.getHeaders()).containsEntry("X-Request-Id", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
    JsonNode body = new ObjectMapper().readTree(response.getBody());
    assertThat(body.path("status").asText()).isEqualTo("CLASSIFIED");
    assertThat(body.path("answer").asText()).isEqualTo("yes");
    assertThat(body.path("debug").isObject()).as("?debug=true").isTrue();

    request.setRawPath("/admin/replay");
    request.getRequestContext().getHttp().setMethod("POST");
    assertThat(query.handleRequest(request, new TestContext("query")).getStatusCode())
        .as("write routes are not on the query URL").isEqualTo(404);
  }

  /** Two events of a new image (received, classified as a cat), appended to the event table. */
  private static List<Event> stream(int seed) {
    byte[] bytes = ("image " + seed).getBytes(StandardCharsets.UTF_8);
    ImageId id = ImageId.sha256Of(bytes);
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    Submission submission =
        new Submission(SubmissionId.fromName("fixture-" + seed), Optional.empty(), Optional.empty(), Optional.empty(),
            "image/png", bytes.length, 32, 24, SubmissionSource.S3, "images/" + id.value(), false);
    ImageReceived received = new ClassifyRequest(id, submission, now, "fixture").toEvent(1);
    DetectorModel model = new DetectorModel("fixed", "1");
    ClassificationSucceeded succeeded =
        ClassificationSucceeded.of(id, 2, now.plusSeconds(1), "fixture",
            new Classification(true, 0.9, 0.3, List.of(), model, Map.of("total", 1.0), 32, 24, Map.of(), 1,
                ClassificationTrigger.INITIAL, OptionalLong.empty()));
    events.append(id, 0, List.of(received, succeeded));
    return List.of(received, succeeded);
  }

  /** The fixture with the image id and the events' JSON filled in, as a file EventLoader reads. */
  private static String fixture(String name, List<Event> stream) throws IOException {
    String text = new String(
        ProjectorAndQueryHandlerTest.class.getResourceAsStream("/" + name).readAllBytes(), StandardCharsets.UTF_8);
    ObjectMapper json = new ObjectMapper();
    String filled =
        text.replace("${IMAGE_ID}", stream.get(0).imageId().value())
            .replace("\"${EVENT_1}\"", json.writeValueAsString(CODEC.encode(stream.get(0))))
            .replace("\"${EVENT_2}\"", json.writeValueAsString(CODEC.encode(stream.get(1))));
    Path file = Files.createTempFile("fixture-", ".json");
    Files.writeString(file, filled);
    file.toFile().deleteOnExit();
    return file.toString();
  }

  @Test
  void whatCoreLogsThroughSystemLoggerIsAJsonLineLikeTheHandlersOwn() {
    JsonNode line = LambdaLogs.systemLoggerLine("io.catwrangler.core.projection.ProjectEventFeed", "core says");
    assertThat(line.path("level").asText()).isEqualTo("WARN");
    assertThat(line.path("message").asText()).isEqualTo("core says");
  }
}
