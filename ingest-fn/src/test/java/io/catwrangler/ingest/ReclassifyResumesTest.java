package io.catwrangler.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.catwrangler.aws.AwsConfig;
import io.catwrangler.aws.DynamoDbEventStore;
import io.catwrangler.aws.DynamoDbTables;
import io.catwrangler.aws.testing.DynoxideServer;
import io.catwrangler.aws.testing.ElasticMqServer;
import io.catwrangler.aws.testing.TestContext;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.Submission;
import io.catwrangler.events.SubmissionId;
import io.catwrangler.events.SubmissionSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A re-classification of every image ({@code POST /admin/replay} with {@code reclassify}) cut off half-way — the
 * admin function's timeout, here the SQS client failing in the middle of the second page — goes on from its
 * checkpoint when called again: every image is queued at least once, none is skipped, and the pages finished
 * before the cut are not queued again.
 */
class ReclassifyResumesTest {
  @RegisterExtension static final ElasticMqServer SQS = new ElasticMqServer();
  @RegisterExtension static final DynoxideServer DYNAMO = new DynoxideServer();

  /** Three pages of the replay (500, 500, 100). */
  private static final int IMAGES = 1100;
  private static final Pattern IMAGE_ID = Pattern.compile("\"image_id\"\\s*:\\s*\"([0-9a-f]{64})\"");

  @Test
  void aRunCutOffHalfWayGoesOnFromItsLastPageAndSkipsNone() {
    ElasticMqServer.QueuePair queues = SQS.createQueuePair(3);
    AwsConfig config = config(queues);
    Set<String> all = images(config, IMAGES);
    DynamoDbEventStore events = new DynamoDbEventStore(DYNAMO.client(), config.eventTable());

    // killed in the middle of the second page: 50 SendMessageBatch calls make a page of 500
    AtomicInteger batches = new AtomicInteger();
    SqsClient dying = SQS.newClient(new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if ("SendMessageBatch".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
            && batches.incrementAndGet() > 75) {
          throw new FunctionKilled();
        }
      }
    });
    AdminHandler cutOff = new AdminHandler(config, DYNAMO.client(), dying, Clock.systemUTC());
    assertThatThrownBy(() -> cutOff.handleRequest(reclassifyAll(), new TestContext("admin")))
        .isInstanceOf(FunctionKilled.class);
    List<String> firstCall = drain(queues.queueUrl());
    assertThat(firstCall).hasSize(750);

    var resumed = new AdminHandler(config, DYNAMO.client(), SQS.client(), Clock.systemUTC())
        .handleRequest(reclassifyAll(), new TestContext("admin"));
    assertThat(resumed.getStatusCode()).isEqualTo(200);
    assertThat(resumed.getBody()).contains("\"queued\":600");
    List<String> secondCall = drain(queues.queueUrl());

    Set<String> queued = new HashSet<>(firstCall);
    queued.addAll(secondCall);
    assertThat(queued).as("every image queued at least once").isEqualTo(all);
    // the second call queued the page it was cut off in and the last one, not the first page again
    List<String> firstPage = events.imageIds(PageRequest.first(500)).items().stream().map(ImageId::value).toList();
    assertThat(firstCall).containsAll(firstPage);
    assertThat(secondCall).hasSize(600).doesNotContainAnyElementsOf(firstPage);

    // a finished run leaves no checkpoint: the next starts at the first image
    var again = new AdminHandler(config, DYNAMO.client(), SQS.client(), Clock.systemUTC())
        .handleRequest(reclassifyAll(), new TestContext("admin"));
    assertThat(again.getBody()).contains("\"queued\":" + IMAGES);
  }

  /** Lambda ending the function at its timeout: nothing in it can catch that. */
  static final class FunctionKilled extends Error {
    FunctionKilled() {
      super("the function's time is up");
    }
  }

  @Test
  void pagesWithImagesLeftForLaterAreQueuedAgainByTheNextCall() {
    ElasticMqServer.QueuePair queues = SQS.createQueuePair(3);
    AwsConfig config = config(queues);
    Set<String> all = images(config, 600);
    // SQS refuses the 30th SendMessageBatch of the first call (transient): that page has an image left for later
    AtomicInteger batches = new AtomicInteger();
    SqsClient flaky = SQS.newClient(new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if ("SendMessageBatch".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
            && batches.incrementAndGet() == 30) {
          throw SdkClientException.create("connection reset");
        }
      }
    });
    var first = new AdminHandler(config, DYNAMO.client(), flaky, Clock.systemUTC())
        .handleRequest(reclassifyAll(), new TestContext("admin"));
    assertThat(first.getBody()).contains("\"queued\":590").contains("\"retry_later\":10");
    List<String> firstCall = drain(queues.queueUrl());

    var second = new AdminHandler(config, DYNAMO.client(), SQS.client(), Clock.systemUTC())
        .handleRequest(reclassifyAll(), new TestContext("admin"));
    assertThat(second.getBody()).contains("\"queued\":600"); // from the first page: it had the gap
    Set<String> queued = new HashSet<>(firstCall);
    queued.addAll(drain(queues.queueUrl()));
    assertThat(queued).isEqualTo(all);
  }

  private static AwsConfig config(ElasticMqServer.QueuePair queues) {
    return AwsConfig.from(Map.of(
        "CW_EVENT_TABLE", DYNAMO.createTable(DynamoDbTables::eventTable, "events"),
        "CW_VIEW_TABLE", DYNAMO.createTable(DynamoDbTables::viewTable, "view"),
        "CW_IDEMPOTENCY_TABLE", "unused",
        "CW_BUCKET", "unused",
        "CW_CLASSIFY_QUEUE_URL", queues.queueUrl()));
  }

  /** {@code n} images received once each; their ids. */
  private static Set<String> images(AwsConfig config, int n) {
    DynamoDbEventStore events = new DynamoDbEventStore(DYNAMO.client(), config.eventTable());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < n; i++) {
      ImageId id = ImageId.sha256Of(("image " + i).getBytes(StandardCharsets.UTF_8));
      events.append(id, 0, List.of(received(id)));
      ids.add(id.value());
    }
    return ids;
  }

  private static ImageReceived received(ImageId id) {
    Submission submission = new Submission(SubmissionId.fromName(id.value()), Optional.empty(), Optional.empty(),
        Optional.empty(), "image/jpeg", 1000, 10, 10, SubmissionSource.API, "images/" + id.value(), false);
    return ImageReceived.of(id, 1, Instant.parse("2026-12-01T00:00:00Z"), "test", submission);
  }

  private static APIGatewayV2HTTPEvent reclassifyAll() {
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0").withRawPath("/admin/replay").withBody("{\"reclassify\": true}")
        .withHeaders(Map.of("content-type", "application/json"))
        .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("replay")
            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST")
                .withPath("/admin/replay").build()).build())
        .build();
  }

  /** The image ids of every message on the queue, in the order received; the queue is empty afterwards. */
  private static List<String> drain(String queueUrl) {
    List<String> ids = new ArrayList<>();
    while (true) {
      List<Message> messages = SQS.client().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
          .waitTimeSeconds(0)).messages();
      if (messages.isEmpty()) {
        return ids;
      }
      for (Message m : messages) {
        Matcher id = IMAGE_ID.matcher(m.body());
        assertThat(id.find()).as(m.body()).isTrue();
        ids.add(id.group(1));
        SQS.client().deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
    }
  }
}
