package io.catwrangler.events;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one JSON setup of every module, and the writers of the values that events and API answers share (a model, a
 * detection and its box), so those shapes are written in one place.
 *
 * <p>Reading is strict: a repeated field or anything after the first value is an error, never a guess at which of
 * two values was meant (events, classify messages, API request bodies alike). Writing is Jackson's default.
 */
public final class Json {
  /** Thread-safe and shared: use it, never reconfigure it (derive a reader or writer instead). */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** {@code {"name", "version"}}. */
  public static ObjectNode model(DetectorModel model) {
    return object().put("name", model.name()).put("version", model.version());
  }

  /** {@code {"label", "score", "box": {"x1", "y1", "x2", "y2"}}}, box in original pixels after EXIF orientation. */
  public static ObjectNode detection(DetectedObject detection) {
    ObjectNode node = object().put("label", detection.label()).put("score", detection.score());
    Box box = detection.box();
    node.putObject("box").put("x1", box.x1()).put("y1", box.y1()).put("x2", box.x2()).put("y2", box.y2());
    return node;
  }
}
