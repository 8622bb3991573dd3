package io.catwrangler.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catwrangler.events.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a route answers: status, headers and body, for any transport to send as it is. A body too large to hold (a
 * batch's export) is {@linkplain #streamed streamed} instead: the transport hands {@link #stream} its output, after
 * sending status and headers; one that can only send whole bodies calls {@link #buffered} first.
 *
 * @param headers in the case they are to be sent; {@code Content-Type} is always set when there is a body
 * @param body the whole body; empty for a streamed response
 * @param stream writes the body of a streamed response; empty for a whole one
 */
public record ApiResponse(int status, Map<String, String> headers, byte[] body, Optional<BodyWriter> stream) {
  public static final String JSON = "application/json; charset=utf-8";

  /**
   * Writes a streamed body. It runs after the status and headers are sent, so a failure part-way can no longer
   * become an error response: it throws, and the transport breaks the response off (a client sees a body that did
   * not end, never a short one that looks whole).
   */
  @FunctionalInterface
  public interface BodyWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  public ApiResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(stream, "stream (use Optional.empty())");
    if (stream.isPresent() && body.length > 0) {
      throw new IllegalArgumentException("a streamed response has no whole body");
    }
  }

  /** A whole body. */
  public ApiResponse(int status, Map<String, String> headers, byte[] body) {
    this(status, headers, body, Optional.empty());
  }

  /** A body written by {@code writer} as the transport sends it. */
  public static ApiResponse streamed(int status, String contentType, BodyWriter writer) {
    return new ApiResponse(status, Map.of("Content-Type", contentType), new byte[0], Optional.of(writer));
  }

  public boolean isStreamed() {
    return stream.isPresent();
  }

  /** This response with its body whole: a streamed one is written out here (for transports that cannot stream). */
  public ApiResponse buffered() {
    if (stream.isEmpty()) {
      return this;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      stream.get().writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException("writing a response body into memory", e);
    }
    return new ApiResponse(status, headers, out.toByteArray());
  }

  /** A JSON body. */
  public static ApiResponse json(int status, JsonNode body) {
    try {
      return new ApiResponse(status, Map.of("Content-Type", JSON), Json.MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  /** The error body every route uses: {@code {"error": CODE, "message": …}} plus {@code extra} fields. */
  public static ApiResponse error(int status, String code, String message, Map<String, Object> extra) {
    ObjectNode node = Json.object();
    node.put("error", code);
    node.put("message", message);
    extra.forEach((name, value) -> node.set(name, Json.MAPPER.valueToTree(value)));
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
    return new ApiResponse(status, more, body, stream);
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
      return Json.MAPPER.readTree(buffered().body);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the body is not JSON", e);
    }
  }

  public String bodyText() {
    return new String(buffered().body, StandardCharsets.UTF_8);
  }
}
