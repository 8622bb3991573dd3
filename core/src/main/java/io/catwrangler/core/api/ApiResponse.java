package io.catwrangler.core.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a route answers: status, headers and body, for any transport to send as it is.
 *
 * @param headers in the case they are to be sent; {@code Content-Type} is always set when there is a body
 */
public record ApiResponse(int status, Map<String, String> headers, byte[] body) {
  public static final String JSON = "application/json; charset=utf-8";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public ApiResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
    Objects.requireNonNull(body, "body");
  }

  /** A JSON body. */
  public static ApiResponse json(int status, JsonNode body) {
    try {
      return new ApiResponse(status, Map.of("Content-Type", JSON), MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  /** The error body every route uses: {@code {"error": CODE, "message": …}} plus {@code extra} fields. */
  public static ApiResponse error(int status, String code, String message, Map<String, Object> extra) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("error", code);
    node.put("message", message);
    extra.forEach((name, value) -> node.set(name, MAPPER.valueToTree(value)));
    return json(status, node);
  }

  public static ApiResponse error(int status, String code, String message) {
    return error(status, code, message, Map.of());
  }

  /** A plain-text body (the metrics page, say). */
  public static ApiResponse text(int status, String contentType, String body) {
    return new ApiResponse(status, Map.of("Content-Type", contentType), body.getBytes(StandardCharsets.UTF_8));
  }

  /** This response with one more header (replacing one of the same name, whatever its case). */
  public ApiResponse withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>();
    headers.forEach((n, v) -> {
      if (!n.equalsIgnoreCase(name)) {
        more.put(n, v);
      }
    });
    more.put(name, value);
    return new ApiResponse(status, more, body);
  }

  /** A header's value, whatever the case of its name; null when absent. */
  public String header(String name) {
    return headers.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  /** The body as a JSON tree (for tests and clients in this code base). */
  public JsonNode jsonBody() {
    try {
      return MAPPER.readTree(body);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the body is not JSON", e);
    }
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
