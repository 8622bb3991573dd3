package io.catwrangler.core.port;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catwrangler.events.EventCodec;
import io.catwrangler.events.EventCodecException;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.Json;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * {@link ClassifyRequest} as a JSON message body, the same for the SQLite queue and SQS:
 * {@code {"request_format":1,"image_id":…,"received_at":…,"correlation_id":…,"submission":{…ImageReceived payload…}}},
 * plus {@code "reclassify":true} for an operator's re-classification (absent otherwise, so messages of earlier
 * releases read the same). Thread-safe.
 */
public final class ClassifyRequestCodec {
  private static final int FORMAT = 1;

  private final EventCodec events = new EventCodec();

  public String encode(ClassifyRequest request) {
    ObjectNode node = Json.object();
    node.put("request_format", FORMAT);
    node.put("image_id", request.imageId().value());
    node.put("received_at", request.receivedAt().toString());
    node.put("correlation_id", request.correlationId());
    node.set("submission", events.submissionToTree(request.submission()));
    if (request.reclassify()) {
      node.put("reclassify", true);
    }
    try {
      return Json.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  /** @throws MalformedMessageException not a request this code wrote */
  public ClassifyRequest decode(String json) {
    try {
      JsonNode node = Json.MAPPER.readTree(json);
      if (node == null || !node.isObject() || node.path("request_format").asInt() != FORMAT) {
        throw new MalformedMessageException("not a classify request (request_format " + FORMAT + ")", null);
      }
      if (node.has("reclassify") && !node.get("reclassify").isBoolean()) {
        throw new MalformedMessageException("not a classify request: reclassify is true or false", null);
      }
      return new ClassifyRequest(
          ImageId.of(node.path("image_id").asText()),
          events.submissionFromTree(node.get("submission")),
          Instant.parse(node.path("received_at").asText()),
          node.path("correlation_id").asText(),
          node.path("reclassify").asBoolean(false));
    } catch (JsonProcessingException | EventCodecException | IllegalArgumentException | DateTimeException e) {
      throw new MalformedMessageException("not a classify request: " + e.getMessage(), e);
    }
  }
}
