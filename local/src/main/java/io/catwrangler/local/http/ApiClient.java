package io.catwrangler.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.catwrangler.api.Api;
import io.catwrangler.events.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client side of the API for the command line and the load tool: one place that builds requests (base URL,
 * bearer token or request signing, timeouts). Against the AWS Function URLs ({@code AWS_IAM}) every request is
 * signed by a {@link RequestSigner} ({@link SigV4Signer}) instead of carrying a token. Thread-safe.
 */
public final class ApiClient {
  public static final String DEFAULT_SERVER = "http://127.0.0.1:8080";
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  /**
   * Signs requests: given a request as it will be sent (method, full URI, headers, the exact body bytes, empty for
   * none), the headers to add to it. Must not log what it adds.
   */
  @FunctionalInterface
  public interface RequestSigner {
    Map<String, String> sign(String method, URI uri, Map<String, List<String>> headers, byte[] body);
  }

  /**
   * An answer: status and JSON body ({@link MissingNode} when the body was not JSON), and AWS's error type
   * ({@code x-amzn-ErrorType}, e.g. {@code AccessDeniedException}; empty when there is none).
   */
  public record Reply(int status, JsonNode body, String requestId, String awsErrorType) {
    public Reply(int status, JsonNode body, String requestId) {
      this(status, body, requestId, "");
    }

    public boolean isSuccess() {
      return status >= 200 && status < 300;
    }

    /**
     * The API error code, e.g. UNSUPPORTED_FORMAT; AWS's error type when the answer came from AWS in front of the
     * function (a refused signature: InvalidSignatureException, AccessDeniedException); "HTTP_&lt;status&gt;" else.
     */
    public String error() {
      if (body.path("error").isTextual()) {
        return body.path("error").asText();
      }
      return awsErrorType.isEmpty() ? "HTTP_" + status : awsErrorType;
    }

    /** The API's message, or AWS's ({@code Message}). */
    public String message() {
      return body.path("message").asText(body.path("Message").asText(""));
    }

    /** "415 UNSUPPORTED_FORMAT: WebP is not accepted, only JPEG and PNG". */
    public String describeError() {
      return status + " " + error() + (message().isEmpty() ? "" : ": " + message());
    }
  }

  private final URI base;
  private final Optional<String> token;
  private final Duration timeout;
  private final Optional<RequestSigner> signer;
  private final HttpClient http;

  /**
   * @param server e.g. {@code http://127.0.0.1:8080}; a path on it is kept as a prefix
   * @param timeout per request, response included
   */
  public ApiClient(URI server, Optional<String> token, Duration timeout) {
    this(server, token, timeout, Optional.empty());
  }

  /**
   * @param signer signs every request (then no bearer token is sent: {@code Authorization} is the signature's)
   */
  public ApiClient(URI server, Optional<String> token, Duration timeout, Optional<RequestSigner> signer) {
    String s = Objects.requireNonNull(server, "server").toString();
    if (!s.startsWith("http://") && !s.startsWith("https://")) {
      throw new IllegalArgumentException("the server is an http:// or https:// URL, not " + s);
    }
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.token = Objects.requireNonNull(token, "token").filter(t -> !t.isBlank());
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.signer = Objects.requireNonNull(signer, "signer");
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
    HttpRequest.Builder request = request("/images").header("Content-Type", "application/octet-stream");
    fileName.ifPresent(n -> request.header("X-File-Name", percentEncoded(n)));
    batchId.ifPresent(b -> request.header("X-Batch-Id", b));
    clientId.ifPresent(c -> request.header("X-Client-Id", c));
    if (debug) {
      request.header("X-Debug", "true");
    }
    return send(request, "POST", image);
  }

  /** A GET of a path with its query string, e.g. {@code /batches/b1?limit=100}. */
  public Reply get(String pathAndQuery) throws IOException, InterruptedException {
    return send(request(pathAndQuery), "GET", null);
  }

  /** A POST of a JSON body (or none, when {@code body} is null). */
  public Reply post(String path, JsonNode body) throws IOException, InterruptedException {
    return send(
        request(path).header("Content-Type", "application/json"), "POST",
        body == null ? null : Json.MAPPER.writeValueAsBytes(body));
  }

  /** The one place every request is built: base URL, credentials, timeout. */
  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(timeout).header("Accept", "application/json");
    if (signer.isEmpty()) {
      token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
    }
    return builder;
  }

  /** Reads a body as it arrives (a batch's export); called only for a 2xx answer. */
  @FunctionalInterface
  public interface BodyReader {
    void read(InputStream body) throws IOException;
  }

  /**
   * A streamed GET: a 2xx body goes to {@code reader} as it arrives, never held whole; an error's JSON body comes
   * back in the reply.
   *
   * @param accept the media types asked for
   * @return the reply (with no body when it succeeded) and the {@code Link: <…>; rel="next"} target, if any
   */
  public Streamed stream(String pathAndQuery, String accept, BodyReader reader)
      throws IOException, InterruptedException {
    HttpRequest.Builder builder = request(pathAndQuery).setHeader("Accept", accept);
    HttpResponse<InputStream> response = exchange(builder, "GET", null, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() / 100 == 2) {
        reader.read(body);
        return new Streamed(reply(response, new byte[0]), response.headers().allValues("Link").stream()
            .map(ApiClient::nextLink).flatMap(Optional::stream).findFirst());
      }
      return new Streamed(reply(response, body.readAllBytes()), Optional.empty());
    }
  }

  /** The answer to {@link #stream}: the reply and where the rest is, when the server sent a part. */
  public record Streamed(Reply reply, Optional<String> next) {}

  /** The target of {@code <target>; rel="next"}, a path and query on this server. */
  static Optional<String> nextLink(String link) {
    Matcher m = NEXT_LINK.matcher(link);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * Sends the request with its body ({@code null}: none), signed when there is a signer: over the headers as they
   * are now and the exact bytes sent.
   */
  private Reply send(HttpRequest.Builder builder, String method, byte[] body)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> response = exchange(builder, method, body, HttpResponse.BodyHandlers.ofByteArray());
    return reply(response, response.body());
  }

  private <T> HttpResponse<T> exchange(HttpRequest.Builder builder, String method, byte[] body,
      HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
    HttpRequest request =
        builder.method(method,
            body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    if (signer.isPresent()) {
      Map<String, String> signature;
      try {
        signature = signer.get().sign(method, request.uri(), request.headers().map(), body == null ? new byte[0] : body);
      } catch (RuntimeException e) { // no credentials (any more), e.g. an expired SSO session
        throw new IOException("cannot sign the request: " + e.getMessage(), e);
      }
      HttpRequest.Builder signed = HttpRequest.newBuilder(request, (name, value) -> true);
      signature.forEach(signed::setHeader);
      request = signed.build();
    }
    return http.send(request, handler);
  }

  private static Reply reply(HttpResponse<?> response, byte[] body) {
    JsonNode json;
    try {
      json = body.length == 0 ? MissingNode.getInstance() : Json.MAPPER.readTree(body);
    } catch (IOException notJson) {
      json = MissingNode.getInstance();
    }
    if (json == null) {
      json = MissingNode.getInstance();
    }
    String awsErrorType = response.headers().firstValue("x-amzn-ErrorType").orElse("");
    int colon = awsErrorType.indexOf(':'); // "AccessDeniedException:http://…" in some answers
    return new Reply(response.statusCode(), json, response.headers().firstValue("X-Request-Id").orElse(""),
        colon < 0 ? awsErrorType : awsErrorType.substring(0, colon));
  }

  /** Percent-encodes what a header cannot carry as it is (non-ASCII, controls) and '%' itself. */
  static String percentEncoded(String value) {
    return Api.percentEncoded(value);
  }
}
