package io.catwrangler.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.sun.net.httpserver.HttpServer;
import io.catwrangler.aws.testing.TestAws;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.Notification;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The EventBridge publisher through the real SDK client and HTTP, against a stand-in for the PutEvents endpoint: the
 * requests it sends (bus, source, detail-type, the notification as detail, ten entries a call) and what it does with
 * a partial failure, which no emulator produces on demand. A real bus, rule and target are in
 * {@link NotificationsOnMotoTest} (moto's EventBridge).
 */
class EventBridgeNotificationsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant AT = Instant.parse("2026-12-02T09:00:00Z");

  private HttpServer server;
  private final List<JsonNode> requests = new ArrayList<>();
  private final List<String> targets = new ArrayList<>();
  private volatile int failFirstEntries;
  private EventBridgeClient client;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      JsonNode request = MAPPER.readTree(exchange.getRequestBody().readAllBytes());
      synchronized (requests) {
        requests.add(request);
        targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
      }
      var response = MAPPER.createObjectNode();
      var entries = response.putArray("Entries");
      int failed = 0;
      for (int i = 0; i < request.path("Entries").size(); i++) {
        if (i < failFirstEntries) {
          entries.addObject().put("ErrorCode", "InternalFailure").put("ErrorMessage", "try again");
          failed++;
        } else {
          entries.addObject().put("EventId", "e-" + i);
        }
      }
      response.put("FailedEntryCount", failed);
      byte[] body = MAPPER.writeValueAsBytes(response);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    client = TestAws.configure(EventBridgeClient.builder(),
        URI.create("http://127.0.0.1:" + server.getAddress().getPort())).httpClientBuilder(TestAws.http()).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(0);
  }

  private static Notification completion(int n) {
    return Notification.batchCompleted(new Notification.CompletedBatch(BatchId.of("b-" + n), 3, 1, 2, 1), AT);
  }

  @Test
  void everyNotificationIsAnEventWithItsTypeAndTheWebhookBodyAsDetailTenACall() throws Exception {
    List<Notification> many = IntStream.range(0, 23).mapToObj(EventBridgeNotificationsTest::completion).toList();

    new EventBridgeNotifications(client, "cats-notifications").publish(many);

    assertThat(requests).hasSize(3);
    assertThat(requests).extracting(r -> r.path("Entries").size()).containsExactly(10, 10, 3);
    assertThat(targets).containsOnly("AWSEvents.PutEvents");
    JsonNode first = requests.get(0).path("Entries").get(0);
    assertThat(first.path("EventBusName").asText()).isEqualTo("cats-notifications");
    assertThat(first.path("Source").asText()).isEqualTo("catwrangler");
    assertThat(first.path("DetailType").asText()).isEqualTo("batch.completed");
    JsonNode detail = MAPPER.readTree(first.path("Detail").asText());
    assertThat(first.path("Detail").asText()).isEqualTo(many.get(0).toJson());
    var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, builder -> builder.schemaMappers(
            m -> m.mapPrefix("urn:catwrangler:schema:events:v1:", "classpath:schemas/")))
        .getSchema(SchemaLocation.of("urn:catwrangler:schema:events:v1:Notification.schema.json"));
    assertThat(schema.validate(detail)).as("the same shape as the embedded webhooks").isEmpty();
  }

  @Test
  void aPartialFailureThrowsSoTheStreamBatchIsDeliveredAgain() {
    failFirstEntries = 1;

    assertThatThrownBy(() -> new EventBridgeNotifications(client, "bus").publish(List.of(completion(1), completion(2))))
        .isInstanceOf(StorageUnavailableException.class).hasMessageContaining("InternalFailure");
  }

  @Test
  void theBusComesFromTheEnvironmentAndIsOptional() {
    assertThat(NotifyBus.from(Map.of(), () -> client)).isEmpty();
    Optional<NotifyBus> bus = NotifyBus.from(Map.of("NOTIFY_BUS_NAME", "cats", "NOTIFY_EACH_IMAGE", "true"),
        () -> client);
    assertThat(bus).hasValueSatisfying(b -> {
      assertThat(b.name()).isEqualTo("cats");
      assertThat(b.eachImage()).isTrue();
    });
    assertThatThrownBy(() -> NotifyBus.from(Map.of("NOTIFY_BUS_NAME", "cats", "NOTIFY_EACH_IMAGE", "yes"),
        () -> client)).isInstanceOf(IllegalArgumentException.class);
  }
}
