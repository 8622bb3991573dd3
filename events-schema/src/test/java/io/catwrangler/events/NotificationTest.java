package io.catwrangler.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The notification payload: valid against its published schema, not vacuously, and its ids name what happened. */
class NotificationTest {
  private static final String ID_PREFIX = "urn:catwrangler:schema:events:v1:";
  private static final Instant AT = Instant.parse("2026-12-02T09:00:00.125Z");
  private static JsonSchema schema;

  @BeforeAll
  static void loadSchema() {
    JsonSchemaFactory factory =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(ID_PREFIX, "classpath:schemas/")));
    schema = factory.getSchema(SchemaLocation.of(ID_PREFIX + "Notification.schema.json"),
        SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
  }

  static ImageState classified() {
    return ImageState.fold(SampleEvents.IMAGE, List.of(
        SampleEvents.received(1, SampleEvents.submission("batch-1", true)), SampleEvents.succeeded(2, true)));
  }

  static ImageState failed() {
    return ImageState.fold(SampleEvents.IMAGE, List.of(
        SampleEvents.received(1, SampleEvents.bare()),
        SampleEvents.failed(2, FailureReason.UNSUPPORTED_FORMAT, false)));
  }

  @Test
  void everyShapeMatchesTheSchema() {
    List<Notification> shapes = List.of(
        Notification.batchCompleted(new Notification.CompletedBatch(BatchId.of("scans-7"), 9, 1, 4, 5), AT),
        Notification.batchCompleted(new Notification.CompletedBatch(BatchId.of("all-failed"), 0, 3, 0, 0), AT),
        Notification.imageAnswered(classified(), AT),
        Notification.imageAnswered(failed(), AT));

    for (Notification n : shapes) {
      assertThat(schema.validate(n.toTree())).as(n.toJson()).isEmpty();
    }
  }

  @Test
  void theSchemaRejectsWhatTheCodeNeverWrites() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode batch = Notification.batchCompleted(
        new Notification.CompletedBatch(BatchId.of("b"), 2, 0, 1, 1), AT).toTree();
    ObjectNode pending = batch.deepCopy();
    ((ObjectNode) pending.get("batch").get("counts")).put("PENDING", 1);
    ObjectNode both = batch.deepCopy();
    both.set("image", Notification.imageAnswered(classified(), AT).toTree().get("image"));
    ObjectNode missingId = batch.deepCopy();
    missingId.remove("id");
    ObjectNode extra = batch.deepCopy();
    extra.put("secret", "x");
    JsonNode imageWithoutImage = mapper.readTree(Notification.imageAnswered(failed(), AT).toJson()
        .replaceFirst("\"image\":\\{.*\\}\\}$", "\"image\":null}"));

    assertThat(schema.validate(pending)).isNotEmpty();
    assertThat(schema.validate(both)).isNotEmpty();
    assertThat(schema.validate(missingId)).isNotEmpty();
    assertThat(schema.validate(extra)).isNotEmpty();
    assertThat(imageWithoutImage.get("image").isNull()).isTrue();
    assertThat(schema.validate(imageWithoutImage)).isNotEmpty();
  }

  @Test
  void theIdNamesWhatHappenedSoDuplicatesAreRecognisable() {
    var ten = new Notification.CompletedBatch(BatchId.of("b"), 10, 0, 3, 7);
    var eleven = new Notification.CompletedBatch(BatchId.of("b"), 11, 0, 3, 8);

    assertThat(Notification.batchCompleted(ten, AT).id())
        .isEqualTo(Notification.batchCompleted(ten, AT.plusSeconds(60)).id())
        .isNotEqualTo(Notification.batchCompleted(eleven, AT).id());
    assertThat(Notification.imageAnswered(classified(), AT).id())
        .isEqualTo(Notification.imageAnswered(classified(), AT.plusSeconds(1)).id())
        .isEqualTo(Notification.imageAnswered(failed(), AT).id())
        .as("an image has one first outcome").isNotEqualTo(Notification.batchCompleted(ten, AT).id());
  }

  @Test
  void theImagePartSaysTheAnswerOrTheFailure() {
    JsonNode yes = Notification.imageAnswered(classified(), AT).toTree().get("image");
    JsonNode failure = Notification.imageAnswered(failed(), AT).toTree().get("image");

    assertThat(yes.get("answer").asText()).isEqualTo("yes");
    assertThat(yes.get("batch_ids").get(0).asText()).isEqualTo("batch-1");
    assertThat(failure.get("answer").isNull()).isTrue();
    assertThat(failure.get("failure_reason").asText()).isEqualTo("UNSUPPORTED_FORMAT");
  }

  @Test
  void aTargetIsAnHttpUrlWithAHostAndNothingHidden() {
    assertThat(new NotifyTarget("https://hooks.example.com:8443/cats?team=7", false).url()).startsWith("https://");
    for (String bad : List.of("", "ftp://hooks.example.com/", "file:///etc/passwd",
        "https://user:pw@hooks.example.com/",
        "https://hooks.example.com/#frag", "/relative", "https:///nohost", "https://" + "a".repeat(2050))) {
      assertThatThrownBy(() -> new NotifyTarget(bad, false)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aSubmissionsTargetRoundTripsThroughTheCodec() {
    EventCodec codec = new EventCodec();
    ImageReceived received = SampleEvents.received(1, SampleEvents.submission("batch-1", true));

    ImageReceived back = (ImageReceived) codec.decode(codec.encode(received));

    assertThat(back.submission().notifyTarget())
        .contains(new NotifyTarget("https://hooks.example.com/cats?team=7", true));
    assertThat(((ImageReceived) codec.decode(codec.encode(SampleEvents.received(1, SampleEvents.bare()))))
        .submission().notifyTarget()).isEqualTo(Optional.empty());
  }
}
