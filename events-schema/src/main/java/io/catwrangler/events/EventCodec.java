package io.catwrangler.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Events to and from JSON (schema version 1, field names in snake_case, times as ISO-8601 UTC). The mapping is
 * written out field by field rather than left to reflection: the JSON is a published contract (see the schemas in
 * {@code /schemas}), and a missing field must be an error, not a silent default. Thread-safe; share one instance.
 *
 * <p>Decoding checks {@code schema_version} and {@code type} before anything else: a newer version or an unknown
 * type raises {@link UnsupportedEventException}; anything else wrong raises {@link MalformedEventException}.
 */
public final class EventCodec {
  private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};
  private static final int STATE_FORMAT = 1;

  /** The event as one line of JSON. */
  public String encode(Event event) {
    return write(toTree(event));
  }

  /**
   * @throws UnsupportedEventException unknown type or newer schema version
   * @throws MalformedEventException anything else that is not a valid event
   */
  public Event decode(String json) {
    return fromTree(read(json));
  }

  /** The event as a JSON tree (for stores that keep documents rather than text). */
  public ObjectNode toTree(Event event) {
    ObjectNode node = Json.object();
    EventEnvelope envelope = event.envelope();
    node.put("event_id", envelope.eventId().toString());
    node.put("type", event.type().wireName());
    node.put("schema_version", event.schemaVersion());
    node.put("image_id", envelope.imageId().value());
    node.put("version", envelope.version());
    node.put("occurred_at", envelope.occurredAt().toString());
    node.put("correlation_id", envelope.correlationId());
    ObjectNode payload;
    if (event instanceof ImageReceived received) {
      payload = submissionToTree(received.submission());
    } else if (event instanceof ClassificationSucceeded succeeded) {
      payload = classificationToTree(succeeded.classification());
    } else if (event instanceof LabelRecorded labelled) {
      payload = labelToTree(labelled.label());
    } else {
      payload = failureToTree(((ClassificationFailed) event).failure());
    }
    node.set("payload", payload);
    return node;
  }

  /** See {@link #decode}. */
  public Event fromTree(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new MalformedEventException("an event is a JSON object");
    }
    JsonNode versionNode = node.get("schema_version");
    if (versionNode == null || !versionNode.canConvertToExactIntegral() || !versionNode.canConvertToInt()) {
      throw new MalformedEventException("schema_version: required integer");
    }
    int schemaVersion = versionNode.intValue();
    JsonNode typeNode = node.get("type");
    if (typeNode == null || !typeNode.isTextual()) {
      throw new MalformedEventException("type: required string");
    }
    String typeName = typeNode.textValue();
    if (schemaVersion < 1) {
      throw new MalformedEventException("schema_version: must be 1 or more, was " + schemaVersion);
    }
    Optional<EventType> type = EventType.fromWireName(typeName);
    if (schemaVersion > Event.SCHEMA_VERSION || type.isEmpty()) {
      throw new UnsupportedEventException(typeName, schemaVersion);
    }
    try {
      Fields fields = new Fields(node, "");
      EventEnvelope envelope =
          new EventEnvelope(
              ImageId.of(fields.text("image_id")),
              fields.longValue("version"),
              fields.uuid("event_id"),
              fields.instant("occurred_at"),
              fields.text("correlation_id"));
      Fields payload = fields.object("payload");
      return switch (type.get()) {
        case IMAGE_RECEIVED -> new ImageReceived(envelope, submissionFrom(payload));
        case CLASSIFICATION_SUCCEEDED -> new ClassificationSucceeded(envelope, classificationFrom(payload));
        case CLASSIFICATION_FAILED -> new ClassificationFailed(envelope, failureFrom(payload));
        case LABEL_RECORDED -> new LabelRecorded(envelope, labelFrom(payload));
      };
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new MalformedEventException(typeName + ": " + e.getMessage(), e);
    }
  }

  /** The {@link ImageReceived} payload alone, for messages that carry a submission before it is an event. */
  public ObjectNode submissionToTree(Submission submission) {
    ObjectNode node = Json.object();
    node.put("submission_id", submission.submissionId().toString());
    submission.batchId().ifPresent(b -> node.put("batch_id", b.value()));
    submission.clientId().ifPresent(c -> node.put("client_id", c.value()));
    submission.fileName().ifPresent(f -> node.put("file_name", f.value()));
    node.put("content_type", submission.contentType());
    node.put("byte_size", submission.byteSize());
    node.put("width", submission.width());
    node.put("height", submission.height());
    node.put("source", submission.source().wireName());
    node.put("storage_key", submission.storageKey());
    node.put("debug", submission.debug());
    submission.notifyTarget()
        .ifPresent(n -> node.putObject("notify").put("url", n.url()).put("each_image", n.eachImage()));
    return node;
  }

  /**
   * @throws MalformedEventException not a valid submission
   */
  public Submission submissionFromTree(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new MalformedEventException("a submission is a JSON object");
    }
    try {
      return submissionFrom(new Fields(node, ""));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new MalformedEventException("submission: " + e.getMessage(), e);
    }
  }

  /** An image's folded state as JSON, for result views that store it as a document. */
  public String encodeState(ImageState state) {
    ObjectNode node = Json.object();
    node.put("state_format", STATE_FORMAT);
    node.put("image_id", state.imageId().value());
    node.put("version", state.version());
    node.put("status", state.status().name());
    state.updatedAt().ifPresent(at -> node.put("updated_at", at.toString()));
    ArrayNode submissions = node.putArray("submissions");
    state.submissions().forEach(r -> submissions.add(toTree(r)));
    state.classification().ifPresent(c -> node.set("classification", toTree(c)));
    ArrayNode models = node.putArray("classified_by");
    state.classifiedBy().forEach(m -> models.add(Json.model(m)));
    node.put("attempts", state.attempts());
    state.lastFailure().ifPresent(f -> node.set("last_failure", toTree(f)));
    state.label().ifPresent(l -> node.set("label", toTree(l)));
    return write(node);
  }

  /**
   * @throws UnsupportedEventException an embedded event this code does not understand
   * @throws MalformedEventException not a state written by {@link #encodeState}
   */
  public ImageState decodeState(String json) {
    JsonNode node = read(json);
    if (!node.isObject()) {
      throw new MalformedEventException("an image state is a JSON object");
    }
    try {
      Fields fields = new Fields(node, "");
      int format = fields.intValue("state_format");
      if (format != STATE_FORMAT) {
        throw new MalformedEventException("state_format " + format + " is not " + STATE_FORMAT + "; rebuild the view");
      }
      return new ImageState(
          ImageId.of(fields.text("image_id")),
          fields.longValue("version"),
          fields.enumValue("status", ImageStatus.class, ImageStatus::valueOf),
          fields.optional("updated_at").map(f -> f.asInstant()),
          fields.array("submissions").stream().map(f -> (ImageReceived) fromTree(f.node())).toList(),
          fields.optional("classification").map(f -> (ClassificationSucceeded) fromTree(f.node())),
          fields.array("classified_by").stream()
              .map(EventCodec::modelFrom)
              .collect(Collectors.toCollection(LinkedHashSet::new)),
          fields.intValue("attempts"),
          fields.optional("last_failure").map(f -> (ClassificationFailed) fromTree(f.node())),
          fields.optional("label").map(f -> (LabelRecorded) fromTree(f.node())));
    } catch (IllegalArgumentException | NullPointerException | ClassCastException e) {
      throw new MalformedEventException("image state: " + e.getMessage(), e);
    }
  }

  private ObjectNode classificationToTree(Classification c) {
    ObjectNode node = Json.object();
    node.put("is_cat", c.isCat());
    node.put("cat_score", c.catScore());
    node.put("threshold", c.threshold());
    ArrayNode detections = node.putArray("detections");
    c.detections().forEach(d -> detections.add(Json.detection(d)));
    node.set("model", Json.model(c.model()));
    ObjectNode timings = node.putObject("timings_ms");
    c.timingsMs().forEach(timings::put);
    node.put("oriented_width", c.orientedWidth());
    node.put("oriented_height", c.orientedHeight());
    node.set("raw", Json.MAPPER.valueToTree(c.raw()));
    node.put("attempt", c.attempt());
    node.put("trigger", c.trigger().wireName());
    c.redecidedFrom().ifPresent(v -> node.put("redecided_from", v));
    return node;
  }

  private ObjectNode failureToTree(Failure f) {
    ObjectNode node = Json.object();
    node.put("reason", f.reason().name());
    node.put("message", f.message());
    node.put("attempt", f.attempt());
    node.put("retryable", f.retryable());
    node.set("model", Json.model(f.model()));
    return node;
  }

  private ObjectNode labelToTree(Label label) {
    ObjectNode node = Json.object();
    node.put("cat", label.cat());
    node.put("by", label.by());
    return node;
  }

  private static Submission submissionFrom(Fields p) {
    return new Submission(
        SubmissionId.of(p.text("submission_id")),
        p.optionalText("batch_id").map(BatchId::of),
        p.optionalText("client_id").map(ClientId::of),
        // stored names were sanitised on the way in; a name that is not is rejected, not re-sanitised
        p.optionalText("file_name").map(FileName::new),
        p.text("content_type"),
        p.longValue("byte_size"),
        p.intValue("width"),
        p.intValue("height"),
        p.enumValue("source", SubmissionSource.class, n -> SubmissionSource.fromWireName(n).orElseThrow()),
        p.text("storage_key"),
        p.bool("debug"),
        p.node().has("notify")
            ? Optional.of(new NotifyTarget(p.object("notify").text("url"), p.object("notify").bool("each_image")))
            : Optional.empty());
  }

  private Classification classificationFrom(Fields p) {
    List<DetectedObject> detections = new ArrayList<>();
    for (Fields d : p.array("detections")) {
      Fields box = d.object("box");
      detections.add(
          new DetectedObject(
              d.text("label"),
              d.doubleValue("score"),
              new Box(box.doubleValue("x1"), box.doubleValue("y1"), box.doubleValue("x2"), box.doubleValue("y2"))));
    }
    Map<String, Double> timings = new LinkedHashMap<>();
    Fields timingsNode = p.object("timings_ms");
    timingsNode.node().fieldNames().forEachRemaining(stage -> timings.put(stage, timingsNode.doubleValue(stage)));
    Map<String, Object> raw = Json.MAPPER.convertValue(p.object("raw").node(), JSON_OBJECT);
    return new Classification(
        p.bool("is_cat"),
        p.doubleValue("cat_score"),
        p.doubleValue("threshold"),
        detections,
        modelFrom(p.object("model")),
        timings,
        p.intValue("oriented_width"),
        p.intValue("oriented_height"),
        raw,
        p.intValue("attempt"),
        p.enumValue("trigger", ClassificationTrigger.class, n -> ClassificationTrigger.fromWireName(n).orElseThrow()),
        p.optional("redecided_from").map(f -> OptionalLong.of(f.asLong())).orElse(OptionalLong.empty()));
  }

  private static Failure failureFrom(Fields p) {
    return new Failure(
        p.enumValue("reason", FailureReason.class, FailureReason::valueOf),
        p.text("message"),
        p.intValue("attempt"),
        p.bool("retryable"),
        modelFrom(p.object("model")));
  }

  private static Label labelFrom(Fields p) {
    return new Label(p.bool("cat"), p.text("by"));
  }

  private static DetectorModel modelFrom(Fields p) {
    return new DetectorModel(p.text("name"), p.text("version"));
  }

  private JsonNode read(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new MalformedEventException("not JSON: " + e.getOriginalMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new MalformedEventException("not JSON: " + e.getMessage(), e);
    }
  }

  private String write(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  /** Typed access to the fields of one JSON object, with errors that name the field's path. */
  private record Fields(JsonNode node, String path) {
    private JsonNode required(String name) {
      JsonNode value = node.get(name);
      if (value == null || value.isNull()) {
        throw new IllegalArgumentException(path + name + ": required");
      }
      return value;
    }

    String text(String name) {
      JsonNode value = required(name);
      if (!value.isTextual()) {
        throw new IllegalArgumentException(path + name + ": must be a string");
      }
      return value.textValue();
    }

    Optional<String> optionalText(String name) {
      return node.hasNonNull(name) ? Optional.of(text(name)) : Optional.empty();
    }

    Optional<Fields> optional(String name) {
      return node.hasNonNull(name) ? Optional.of(new Fields(node.get(name), path + name + ".")) : Optional.empty();
    }

    boolean bool(String name) {
      JsonNode value = required(name);
      if (!value.isBoolean()) {
        throw new IllegalArgumentException(path + name + ": must be true or false");
      }
      return value.booleanValue();
    }

    long longValue(String name) {
      return new Fields(required(name), path + name).asLong();
    }

    int intValue(String name) {
      long value = longValue(name);
      if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(path + name + ": out of range");
      }
      return (int) value;
    }

    double doubleValue(String name) {
      JsonNode value = required(name);
      if (!value.isNumber()) {
        throw new IllegalArgumentException(path + name + ": must be a number");
      }
      return value.doubleValue();
    }

    UUID uuid(String name) {
      return UUID.fromString(text(name));
    }

    Instant instant(String name) {
      return new Fields(required(name), path + name).asInstant();
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type, Function<String, E> byName) {
      String value = text(name);
      try {
        return byName.apply(value);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(path + name + ": unknown " + type.getSimpleName() + " " + value);
      }
    }

    Fields object(String name) {
      JsonNode value = required(name);
      if (!value.isObject()) {
        throw new IllegalArgumentException(path + name + ": must be an object");
      }
      return new Fields(value, path + name + ".");
    }

    List<Fields> array(String name) {
      JsonNode value = required(name);
      if (!value.isArray()) {
        throw new IllegalArgumentException(path + name + ": must be an array");
      }
      List<Fields> items = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        items.add(new Fields(value.get(i), path + name + "[" + i + "]."));
      }
      return items;
    }

    long asLong() {
      if (!node.canConvertToExactIntegral() || !node.canConvertToLong()) {
        throw new IllegalArgumentException(path + ": must be an integer");
      }
      return node.longValue();
    }

    Instant asInstant() {
      if (!node.isTextual()) {
        throw new IllegalArgumentException(path + ": must be an ISO-8601 UTC time");
      }
      try {
        return Instant.parse(node.textValue());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(path + ": must be an ISO-8601 UTC time");
      }
    }
  }
}
