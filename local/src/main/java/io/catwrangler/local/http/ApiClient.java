package io.catwrangler.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The client side of the API for the command line and the load tool: one place that builds requests (base URL,
 * bearer token, timeouts), so signing requests for the AWS Function URLs later is one change here. Thread-safe.
 */
public final class ApiClient {
  public static final String DEFAULT_SERVER = "http://127.0.0.1:8080";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** An answer: status and JSON body ({@link MissingNode} when the body was not JSON). */
  public record Reply(int status, JsonNode body, String requestId) {
    public boolean isSuccess() {
      return status >= 200 && status < 300;
    }

    /** The API error code, e.g. UNSUPPORTED_FORMAT; "HTTP_&lt;status&gt;" when the body has none. */
    public String error() {
      return body.path("error").asText("HTTP_" + status);
    }

    public String message() {
      return body.path("message").asText("");
    }

    /** "415 UNSUPPORTED_FORMAT: WebP is not accepted, only JPEG and PNG". */
    public String describeError() {
      return status + " " + error() + (message().isEmpty() ? "" : ": " + message());
    }
  }

  private final URI base;
  private final Optional<String> token;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param server e.g. {@code http://127.0.0.1:8080}; a path on it is kept as a prefix
   * @param timeout per request, response included
   */
  public ApiClient(URI server, Optional<String> token, Duration timeout) {
    String s = Objects.requireNonNull(server, "server").toString();
    if (!s.startsWith("http://") && !s.startsWith("https://")) {
      throw new IllegalArgumentException("the server is an http:// or https:// URL, not " + s);
    }
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.token = Objects.requireNonNull(token, "token").filter(t -> !t.isBlank());
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public URI server() {
    return base;
  }

  /**
   * {@code POST /images} with the raw bytes.
   *
   * @param fileName sent in {@code X-File-Name}, percent-encoded UTF-8
   * @throws IOException the server could not be reached or the connection broke
   */
  public Reply upload(
      byte[] image, Optional<String> fileName, Optional<String> batchId, Optional<String> clientId, boolean debug)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        request("/images")
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(image));
    fileName.ifPresent(n -> request.header("X-File-Name", percentEncoded(n)));
    batchId.ifPresent(b -> request.header("X-Batch-Id", b));
    clientId.ifPresent(c -> request.header("X-Client-Id", c));
    if (debug) {
      request.header("X-Debug", "true");
    }
    return send(request.build());
  }

  /** A GET of a path with its query string, e.g. {@code /batches/b1?limit=100}. */
  public Reply get(String pathAndQuery) throws IOException, InterruptedException {
    return send(request(pathAndQuery).GET().build());
  }

  /** A POST of a JSON body (or none, when {@code body} is null). */
  public Reply post(String path, JsonNode body) throws IOException, InterruptedException {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body));
    return send(request(path).header("Content-Type", "application/json").POST(publisher).build());
  }

  /** The one place every request is built: base URL, credentials, timeout. */
  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(timeout).header("Accept", "application/json");
    token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
    return builder;
  }

  private Reply send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    JsonNode body;
    try {
      body = response.body().length == 0 ? MissingNode.getInstance() : MAPPER.readTree(response.body());
    } catch (IOException notJson) {
      body = MissingNode.getInstance();
    }
    if (body == null) {
      body = MissingNode.getInstance();
    }
    return new Reply(response.statusCode(), body, response.headers().firstValue("X-Request-Id").orElse(""));
  }

  /** Percent-encodes what a header cannot carry as it is (non-ASCII, controls) and '%' itself. */
  static String percentEncoded(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c > 0x20 && c < 0x7F && c != '%' || c == ' ') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }
}
