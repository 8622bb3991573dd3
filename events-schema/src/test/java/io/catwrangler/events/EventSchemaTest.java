package io.catwrangler.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every event the code can write is valid against its published schema, and the schemas are not vacuous. */
class EventSchemaTest {
  private static final String ID_PREFIX = "urn:catwrangler:schema:events:v1:";
  private static final Map<EventType, JsonSchema> SCHEMAS = new EnumMap<>(EventType.class);
  private final EventCodec codec = new EventCodec();

  @BeforeAll
  static void loadSchemas() {
    JsonSchemaFactory factory =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(ID_PREFIX, "classpath:schemas/")));
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    for (EventType type : EventType.values()) {
      SCHEMAS.put(
          type, factory.getSchema(SchemaLocation.of(ID_PREFIX + type.wireName() + ".schema.json"), config));
    }
  }

  static List<Event> everyShape() {
    return SampleEvents.everyShape();
  }

  @ParameterizedTest
  @MethodSource("everyShape")
  void everyEmittedEventMatchesItsSchema(Event event) {
    Set<ValidationMessage> errors = validate(event.type(), codec.toTree(event));

    assertThat(errors).as(codec.encode(event)).isEmpty();
  }

  @Test
  void everyTypeIsCovered() {
    assertThat(SampleEvents.everyShape().stream().map(Event::type)).containsAll(List.of(EventType.values()));
    assertThat(SampleEvents.everyShape().stream().filter(e -> e instanceof ClassificationFailed))
        .extracting(e -> ((ClassificationFailed) e).failure().reason())
        .containsAll(List.of(FailureReason.values()));
  }

  @Test
  void rejectsWhatTheCodecWouldReject() {
    ObjectNode unknownField = codec.toTree(SampleEvents.succeeded(5, true));
    unknownField.put("extra", 1);
    ObjectNode unknownPayloadField = codec.toTree(SampleEvents.succeeded(5, true));
    ((ObjectNode) unknownPayloadField.get("payload")).put("extra", 1);
    ObjectNode missingScore = codec.toTree(SampleEvents.succeeded(5, true));
    ((ObjectNode) missingScore.get("payload")).remove("cat_score");
    ObjectNode redecideWithoutSource = codec.toTree(SampleEvents.succeeded(5, true));
    ((ObjectNode) redecideWithoutSource.get("payload")).put("trigger", "redecide");
    ObjectNode upperCaseId = codec.toTree(SampleEvents.succeeded(5, true));
    upperCaseId.put("image_id", SampleEvents.IMAGE.value().toUpperCase());
    ObjectNode newerVersion = codec.toTree(SampleEvents.succeeded(5, true));
    newerVersion.put("schema_version", 2);
    ObjectNode retryableInvalid = codec.toTree(SampleEvents.failed(3, FailureReason.DETECTOR_ERROR, true));
    ((ObjectNode) retryableInvalid.get("payload")).put("reason", "INVALID_IMAGE");
    ObjectNode pathInName = codec.toTree(SampleEvents.received(1, SampleEvents.submission("b", true)));
    ((ObjectNode) pathInName.get("payload")).put("file_name", "../x.jpg");
    ObjectNode localTime = codec.toTree(SampleEvents.received(1, SampleEvents.bare()));
    localTime.put("occurred_at", "2025-03-01T10:15:30+01:00");

    assertThat(validate(EventType.CLASSIFICATION_SUCCEEDED, unknownField)).isNotEmpty();
    assertThat(validate(EventType.CLASSIFICATION_SUCCEEDED, unknownPayloadField)).isNotEmpty();
    assertThat(validate(EventType.CLASSIFICATION_SUCCEEDED, missingScore)).isNotEmpty();
    assertThat(validate(EventType.CLASSIFICATION_SUCCEEDED, redecideWithoutSource)).isNotEmpty();
    assertThat(validate(EventType.CLASSIFICATION_SUCCEEDED, upperCaseId)).isNotEmpty();
    assertThat(validate(EventType.CLASSIFICATION_SUCCEEDED, newerVersion)).isNotEmpty();
    assertThat(validate(EventType.CLASSIFICATION_FAILED, retryableInvalid)).isNotEmpty();
    assertThat(validate(EventType.IMAGE_RECEIVED, pathInName)).isNotEmpty();
    assertThat(validate(EventType.IMAGE_RECEIVED, localTime)).isNotEmpty();
  }

  @Test
  void aLabelIsACatFlagAndABoundedName() {
    ObjectNode good = codec.toTree(SampleEvents.labelled(3, true, "ana"));
    ObjectNode stringFlag = good.deepCopy();
    ((ObjectNode) stringFlag.get("payload")).put("cat", "yes");
    ObjectNode noBy = good.deepCopy();
    ((ObjectNode) noBy.get("payload")).remove("by");
    ObjectNode longBy = good.deepCopy();
    ((ObjectNode) longBy.get("payload")).put("by", "x".repeat(Label.MAX_BY + 1));
    ObjectNode paddedBy = good.deepCopy();
    ((ObjectNode) paddedBy.get("payload")).put("by", " ana");
    ObjectNode controlInBy = good.deepCopy();
    ((ObjectNode) controlInBy.get("payload")).put("by", "ana\nbob");
    ObjectNode extra = good.deepCopy();
    ((ObjectNode) extra.get("payload")).put("score", 1);

    assertThat(validate(EventType.LABEL_RECORDED, good)).isEmpty();
    // what the code accepts, the schema accepts, and the other way round, at the edges of white space
    for (String by : List.of("Ana Lima", "Zoë\u00a0K.", "a", "a\u3000b")) {
      assertThat(validate(EventType.LABEL_RECORDED, codec.toTree(SampleEvents.labelled(3, true, by)))).as(by).isEmpty();
    }
    for (String by : List.of("\u00a0ana", "ana\u202f", "\uFEFFana", "ana\u2028", "ana\n", "ana\r\n")) {
      ObjectNode edge = good.deepCopy();
      ((ObjectNode) edge.get("payload")).put("by", by);
      assertThat(validate(EventType.LABEL_RECORDED, edge)).as(by).isNotEmpty();
      assertThat(Label.strip(by)).isEqualTo("ana");
    }
    for (ObjectNode bad : List.of(stringFlag, noBy, longBy, paddedBy, controlInBy, extra)) {
      assertThat(validate(EventType.LABEL_RECORDED, bad)).as(bad.toString()).isNotEmpty();
    }
  }

  @Test
  void aTypeDoesNotPassForAnother() {
    JsonNode received = codec.toTree(SampleEvents.received(1, SampleEvents.bare()));

    assertThat(validate(EventType.CLASSIFICATION_FAILED, received)).isNotEmpty();
  }

  private static Set<ValidationMessage> validate(EventType type, JsonNode node) {
    return SCHEMAS.get(type).validate(node);
  }
}
