package io.catwrangler.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {
  private final EventCodec codec = new EventCodec();
  private final ObjectMapper json = new ObjectMapper();

  static List<Event> everyShape() {
    return SampleEvents.everyShape();
  }

  @ParameterizedTest
  @MethodSource("everyShape")
  void everyEventSurvivesARoundTrip(Event event) {
    String encoded = codec.encode(event);

    Event decoded = codec.decode(encoded);

    assertThat(decoded).isEqualTo(event);
    assertThat(codec.encode(decoded)).isEqualTo(encoded);
  }

  @Test
  void writesTheEnvelopeInSnakeCaseAndThePayloadApart() throws Exception {
    ClassificationSucceeded event = SampleEvents.succeeded(5, true);

    JsonNode node = json.readTree(codec.encode(event));

    assertThat(node.fieldNames())
        .toIterable()
        .containsExactly(
            "event_id", "type", "schema_version", "image_id", "version", "occurred_at", "correlation_id", "payload");
    assertThat(node.get("type").asText()).isEqualTo("ClassificationSucceeded");
    assertThat(node.get("schema_version").asInt()).isEqualTo(1);
    assertThat(node.get("occurred_at").asText()).isEqualTo("2025-03-01T10:15:35.123Z");
    assertThat(node.at("/payload/is_cat").asBoolean()).isTrue();
    assertThat(node.at("/payload/model/version").asText()).isEqualTo("human-3.3.6");
    assertThat(node.at("/payload/detections/0/box/x1").asDouble()).isEqualTo(10.5);
    assertThat(node.at("/payload/trigger").asText()).isEqualTo("initial");
    assertThat(node.at("/payload/redecided_from").isMissingNode()).isTrue();
  }

  @Test
  void leavesAbsentOptionalFieldsOut() throws Exception {
    JsonNode payload = json.readTree(codec.encode(SampleEvents.received(1, SampleEvents.bare()))).get("payload");

    assertThat(payload.has("batch_id")).isFalse();
    assertThat(payload.has("client_id")).isFalse();
    assertThat(payload.has("file_name")).isFalse();
    assertThat(payload.get("source").asText()).isEqualTo("presigned");
  }

  @Test
  void eventIdsAreDeterministicPerImageVersionAndType() {
    ImageReceived a = SampleEvents.received(1, SampleEvents.bare());
    ImageReceived b = ImageReceived.of(SampleEvents.IMAGE, 1, SampleEvents.T0.plusSeconds(99), "other", SampleEvents.bare());

    assertThat(a.eventId()).isEqualTo(b.eventId());
    assertThat(a.eventId().version()).isEqualTo(5);
    assertThat(EventEnvelope.eventIdOf(SampleEvents.IMAGE, 1, EventType.CLASSIFICATION_SUCCEEDED))
        .isNotEqualTo(a.eventId());
    assertThat(EventEnvelope.eventIdOf(SampleEvents.IMAGE, 2, EventType.IMAGE_RECEIVED)).isNotEqualTo(a.eventId());
  }

  @Test
  void rawOutputComesBackEqualWhateverNumberTypesTheDetectorUsed() {
    ClassificationSucceeded event = SampleEvents.succeeded(5, true);
    Map<String, Object> raw = event.classification().raw();

    assertThat(raw.get("input")).isEqualTo(Map.of("width", 512L, "height", 512L, "letterboxed", true));
    assertThat(raw).containsEntry("note", null);
    ClassificationSucceeded decoded = (ClassificationSucceeded) codec.decode(codec.encode(event));
    assertThat(decoded.classification().raw()).isEqualTo(raw);
  }

  @Test
  void reportsANewerSchemaVersionNamingTypeAndVersion() {
    ObjectNode node = codec.toTree(SampleEvents.succeeded(5, true));
    node.put("schema_version", 2);
    node.remove("payload"); // a reader must not even look at a payload it cannot know

    assertThatThrownBy(() -> codec.decode(node.toString()))
        .isInstanceOfSatisfying(
            UnsupportedEventException.class,
            e -> {
              assertThat(e.type()).isEqualTo("ClassificationSucceeded");
              assertThat(e.schemaVersion()).isEqualTo(2);
            })
        .hasMessageContaining("ClassificationSucceeded")
        .hasMessageContaining("schema version 2");
  }

  @Test
  void reportsAnUnknownTypeNamingIt() {
    ObjectNode node = codec.toTree(SampleEvents.received(1, SampleEvents.bare()));
    node.put("type", "ImageDeleted");

    assertThatThrownBy(() -> codec.decode(node.toString()))
        .isInstanceOfSatisfying(
            UnsupportedEventException.class,
            e -> {
              assertThat(e.type()).isEqualTo("ImageDeleted");
              assertThat(e.schemaVersion()).isEqualTo(1);
            });
  }

  @Test
  void reportsMalformedEvents() {
    String good = codec.encode(SampleEvents.succeeded(5, true));
    ObjectNode missing = codec.toTree(SampleEvents.succeeded(5, true));
    ((ObjectNode) missing.get("payload")).remove("is_cat");
    ObjectNode wrongKind = codec.toTree(SampleEvents.received(1, SampleEvents.bare()));
    ((ObjectNode) wrongKind.get("payload")).put("byte_size", "big");
    ObjectNode badId = codec.toTree(SampleEvents.received(1, SampleEvents.bare()));
    badId.put("image_id", "ABC");
    ObjectNode zeroVersion = codec.toTree(SampleEvents.received(1, SampleEvents.bare()));
    zeroVersion.put("schema_version", 0);
    ObjectNode noType = codec.toTree(SampleEvents.received(1, SampleEvents.bare()));
    noType.remove("type");
    ObjectNode labelAsText = codec.toTree(SampleEvents.labelled(2, true, "ana"));
    ((ObjectNode) labelAsText.get("payload")).put("cat", "true");
    ObjectNode labelWithoutBy = codec.toTree(SampleEvents.labelled(2, true, "ana"));
    ((ObjectNode) labelWithoutBy.get("payload")).remove("by");
    ObjectNode labelByTooLong = codec.toTree(SampleEvents.labelled(2, true, "ana"));
    ((ObjectNode) labelByTooLong.get("payload")).put("by", "x".repeat(Label.MAX_BY + 1));

    for (String broken :
        List.of(
            "",
            "not json",
            "[]",
            good + "{}",
            good.replace("\"version\":5", "\"version\":5,\"version\":6"),
            missing.toString(),
            wrongKind.toString(),
            badId.toString(),
            zeroVersion.toString(),
            noType.toString(),
            labelAsText.toString(),
            labelWithoutBy.toString(),
            labelByTooLong.toString())) {
      assertThatThrownBy(() -> codec.decode(broken)).as(broken).isInstanceOf(MalformedEventException.class);
    }
  }

  @Test
  void stateSurvivesARoundTrip() {
    ImageState state = ImageState.fold(SampleEvents.everyShape());

    assertThat(codec.decodeState(codec.encodeState(state))).isEqualTo(state);
    ImageState empty = ImageState.initial(SampleEvents.IMAGE);
    assertThat(codec.decodeState(codec.encodeState(empty))).isEqualTo(empty);
  }

  @Test
  void submissionAloneSurvivesARoundTrip() {
    Submission submission = SampleEvents.submission("b", true);

    assertThat(codec.submissionFromTree(codec.submissionToTree(submission))).isEqualTo(submission);
  }
}
