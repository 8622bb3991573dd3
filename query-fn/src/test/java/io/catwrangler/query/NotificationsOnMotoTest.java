package io.catwrangler.query;

import static io.catwrangler.core.port.contract.ContractEvents.image;
import static io.catwrangler.core.port.contract.ContractEvents.received;
import static io.catwrangler.core.port.contract.ContractEvents.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import io.catwrangler.aws.AwsConfig;
import io.catwrangler.aws.DynamoDbEventStore;
import io.catwrangler.aws.DynamoDbTables;
import io.catwrangler.aws.testing.DynoxideServer;
import io.catwrangler.aws.testing.MotoServer;
import io.catwrangler.aws.testing.TestAws;
import io.catwrangler.events.ImageId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Completion notifications on a real EventBridge emulator (moto's server, a child process): the bus named as
 * {@code terraform/modules/notifications} names it, a consumer's rule with the event pattern docs/deploy-aws.md gives
 * subscribers, an SQS queue (moto's) as its target, and the real projector ({@link ProjectorHandler}) reading the
 * event table's stream on Dynoxide and publishing through the SDK. What arrives in the queue is what a consumer gets:
 * the EventBridge envelope with our source and detail-type, and the notification as detail.
 */
class NotificationsOnMotoTest {
  @RegisterExtension static final DynoxideServer DYNAMO = new DynoxideServer();
  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String NAME_PREFIX = "catwrangler-test";

  private static EventBridgeClient events;
  private static SqsClient sqs;
  private static String queueUrl;
  private static String busName;

  @BeforeAll
  static void subscribe() throws IOException {
    events = TestAws.configure(EventBridgeClient.builder(), MOTO.endpoint()).httpClientBuilder(TestAws.http()).build();
    sqs = TestAws.configure(SqsClient.builder(), MOTO.endpoint()).httpClientBuilder(TestAws.http()).build();
    busName = terraformBusName(NAME_PREFIX);
    events.createEventBus(b -> b.name(busName));
    queueUrl = sqs.createQueue(q -> q.queueName("scans-completed")).queueUrl();
    String queueArn = sqs.getQueueAttributes(a -> a.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    String pattern = documentedPattern();
    events.putRule(r -> r.eventBusName(busName).name("scans-completed").eventPattern(pattern));
    events.putTargets(t -> t.eventBusName(busName).rule("scans-completed").targets(x -> x.id("queue").arn(queueArn)));
  }

  @AfterAll
  static void close() {
    if (events != null) {
      events.close();
      sqs.close();
    }
  }

  /** The bus's name as the notifications module builds it from {@code name_prefix}. */
  static String terraformBusName(String namePrefix) throws IOException {
    String module = Files.readString(repository().resolve("terraform/modules/notifications/main.tf"));
    Matcher bus = Pattern.compile(
        "resource \"aws_cloudwatch_event_bus\" \"notifications\" \\{\\s*name\\s*=\\s*\"([^\"]+)\"").matcher(module);
    assertThat(bus.find()).as("the bus resource of terraform/modules/notifications").isTrue();
    return bus.group(1).replace("${var.name_prefix}", namePrefix);
  }

  /** The event pattern docs/deploy-aws.md gives subscribers (the JSON block after the test's marker). */
  static String documentedPattern() throws IOException {
    String doc = Files.readString(repository().resolve("docs/deploy-aws.md"));
    Matcher block = Pattern.compile("<!-- NotificationsOnMotoTest [^>]*-->\\s*```json\\n(.*?)\\n```", Pattern.DOTALL)
        .matcher(doc);
    assertThat(block.find()).as("the subscriber pattern in docs/deploy-aws.md").isTrue();
    return block.group(1);
  }

  private static Path repository() {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.exists(dir.resolve("terraform/modules/notifications/main.tf"))) {
      dir = dir.getParent();
    }
    return dir;
  }

  @Test
  void theProjectorsCompletionsReachASubscribersQueueOncePerSizeThroughTheDocumentedRule() throws Exception {
    String eventTable = DYNAMO.createTable(DynamoDbTables::eventTable, "events");
    AwsConfig config = AwsConfig.from(Map.of(
        "CW_EVENT_TABLE", eventTable,
        "CW_VIEW_TABLE", DYNAMO.createTable(DynamoDbTables::viewTable, "view"),
        "CW_IDEMPOTENCY_TABLE", "unused",
        "CW_BUCKET", "unused"));
    ProjectorHandler projector = new ProjectorHandler(config, DYNAMO.client(),
        Optional.of(new NotifyBus(events, busName, true)));
    EventSourceHarness harness = new EventSourceHarness(null, null, DYNAMO.streams());
    String streamArn = DYNAMO.client().describeTable(d -> d.tableName(eventTable)).table().latestStreamArn();
    EventSourceHarness.StreamReader stream = harness.streamOf(streamArn);
    DynamoDbEventStore store = new DynamoDbEventStore(DYNAMO.client(), eventTable);

    // three images in scans-7 (one yes), one in another batch the rule does not match
    List<ImageId> scans = List.of(image(701), image(702), image(703));
    for (ImageId id : scans) {
      store.append(id, 0, List.of(received(id, 1, "scans-7", id.value().substring(0, 6) + ".jpg")));
    }
    store.append(image(799), 0, List.of(received(image(799), 1, "other-1", "other.jpg")));
    while (stream.pollOnce(projector) > 0) {
      // all pending: nothing completes
    }
    for (ImageId id : scans) {
      store.append(id, 1, List.of(succeeded(id, 2, id.equals(scans.get(0)))));
    }
    store.append(image(799), 1, List.of(succeeded(image(799), 2, false)));
    while (stream.pollOnce(projector) > 0) {
      // the answers: scans-7 and other-1 complete
    }
    // the whole stream delivered again (a retried stream batch): nothing is announced twice
    EventSourceHarness.StreamReader again = harness.streamOf(streamArn);
    while (again.pollOnce(projector) > 0) {
      // redelivered
    }
    // a fourth image: scans-7 grows, completes again with its new size
    ImageId fourth = image(704);
    store.append(fourth, 0, List.of(received(fourth, 1, "scans-7", "late.jpg"), succeeded(fourth, 2, false)));
    while (stream.pollOnce(projector) > 0) {
      // the late image
    }

    List<JsonNode> delivered = drain();
    assertThat(delivered).as("scans-7 at 3 and at 4 images; other-1 and image.answered filtered out by the rule")
        .hasSize(2);
    JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, builder -> builder
            .schemaMappers(m -> m.mapPrefix("urn:catwrangler:schema:events:v1:", "classpath:schemas/")))
        .getSchema(SchemaLocation.of("urn:catwrangler:schema:events:v1:Notification.schema.json"));
    for (JsonNode event : delivered) {
      assertThat(event.path("source").asText()).isEqualTo(EventBridgeNotifications.SOURCE);
      assertThat(event.path("detail-type").asText()).isEqualTo("batch.completed");
      assertThat(schema.validate(event.path("detail"))).as("the webhook body's shape").isEmpty();
      assertThat(event.path("detail").path("type").asText()).isEqualTo("batch.completed");
      assertThat(event.path("detail").path("batch").path("batch_id").asText()).isEqualTo("scans-7");
    }
    assertThat(delivered).extracting(e -> e.path("detail").path("batch").path("total").asLong())
        .containsExactlyInAnyOrder(3L, 4L);
    JsonNode first = delivered.stream().filter(e -> e.path("detail").path("batch").path("total").asLong() == 3)
        .findFirst().orElseThrow().path("detail").path("batch");
    assertThat(first.path("counts").path("CLASSIFIED").asLong()).isEqualTo(3);
    assertThat(first.path("answers").path("yes").asLong()).isEqualTo(1);
    assertThat(first.path("answers").path("no").asLong()).isEqualTo(2);
    assertThat(delivered).extracting(e -> e.path("detail").path("id").asText()).doesNotHaveDuplicates();
  }

  /** Every message in the subscriber's queue, each an EventBridge event. */
  private static List<JsonNode> drain() throws IOException {
    List<JsonNode> events = new ArrayList<>();
    while (true) {
      List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
          .waitTimeSeconds(1)).messages();
      if (messages.isEmpty()) {
        return events;
      }
      for (Message m : messages) {
        events.add(MAPPER.readTree(m.body()));
        sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
    }
  }
}
