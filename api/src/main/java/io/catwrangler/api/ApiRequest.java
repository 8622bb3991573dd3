package io.catwrangler.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One HTTP request as the routes see it, whoever received it (the embedded Jetty server, a Lambda Function URL
 * event). The transport has already read the body within {@link Api#bodyLimit} and checked the caller's
 * credentials.
 *
 * @param method upper case, e.g. {@code GET}
 * @param path the decoded path, starting with {@code /}, without the query string
 * @param query the query parameters, decoded, each name with its values in order
 * @param headers header names in lower case (so look-ups are case-insensitive); repeated headers joined with ", "
 * @param body the request body, empty when there is none; not copied, the caller must not change it
 * @param remoteAddress the client's address as the transport saw it, for logs
 * @param caller who the transport authenticated (a token holder, an IAM principal), for logs
 * @param requestId the request's id: the client's {@code X-Request-Id} when well-formed, else a random one; it is
 *     the correlation id of the events the request causes and comes back in the {@code X-Request-Id} header
 */
public record ApiRequest(
    String method,
    String path,
    Map<String, List<String>> query,
    Map<String, String> headers,
    byte[] body,
    Optional<String> remoteAddress,
    Optional<String> caller,
    String requestId) {

  private static final int MAX_REQUEST_ID = 128;

  public ApiRequest {
    method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("a path starts with /");
    }
    Map<String, List<String>> params = new LinkedHashMap<>();
    Objects.requireNonNull(query, "query").forEach((name, values) -> params.put(name, List.copyOf(values)));
    query = Collections.unmodifiableMap(params);
    Map<String, String> lower = new LinkedHashMap<>();
    Objects.requireNonNull(headers, "headers")
        .forEach((name, value) -> lower.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + ", " + b));
    headers = Collections.unmodifiableMap(lower);
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(remoteAddress, "remote address (use Optional.empty())");
    Objects.requireNonNull(caller, "caller (use Optional.empty())");
    Objects.requireNonNull(requestId, "request id");
  }

  /** Starts a request; headers, query and body are added on the builder. */
  public static Builder builder(String method, String path) {
    return new Builder(method, path);
  }

  /** The header's value, whatever the case of its name; empty when absent. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The first value of a query parameter; empty when absent. */
  public Optional<String> queryParameter(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The media type of the body without its parameters, in lower case ({@code multipart/form-data}). */
  public Optional<String> mediaType() {
    return header("content-type").map(v -> v.split(";", 2)[0].strip().toLowerCase(Locale.ROOT)).filter(v -> !v.isEmpty());
  }

  /**
   * Parses a raw query string ({@code a=1&b=x%20y}); names without {@code =} get an empty value; malformed
   * percent-escapes are kept as they are rather than refused.
   */
  public static Map<String, List<String>> parseQuery(String rawQuery) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return params;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  /** A request id the client may choose: short, printable, no spaces (it ends up in logs and events). */
  static boolean isAcceptableRequestId(String id) {
    return id != null
        && !id.isEmpty()
        && id.length() <= MAX_REQUEST_ID
        && id.chars().allMatch(c -> c > 0x20 && c < 0x7F);
  }

  /** Builds an {@link ApiRequest}. */
  public static final class Builder {
    private final String method;
    private final String path;
    private final Map<String, List<String>> query = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] body = new byte[0];
    private Optional<String> remoteAddress = Optional.empty();
    private Optional<String> caller = Optional.empty();
    private String requestId;

    private Builder(String method, String path) {
      this.method = method;
      this.path = path;
    }

    public Builder query(String name, String value) {
      query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      return this;
    }

    public Builder rawQuery(String rawQuery) {
      parseQuery(rawQuery).forEach((name, values) -> query.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
      return this;
    }

    /** Adds a header; a repeated name is joined with ", ". */
    public Builder header(String name, String value) {
      headers.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + ", " + b);
      return this;
    }

    public Builder body(byte[] bytes) {
      this.body = Objects.requireNonNull(bytes, "body");
      return this;
    }

    public Builder remoteAddress(String address) {
      this.remoteAddress = Optional.ofNullable(address);
      return this;
    }

    public Builder caller(String who) {
      this.caller = Optional.ofNullable(who);
      return this;
    }

    /** Sets the request id; by default the {@code X-Request-Id} header when acceptable, else a random UUID. */
    public Builder requestId(String id) {
      this.requestId = id;
      return this;
    }

    public ApiRequest build() {
      String id = requestId;
      if (id == null) {
        String given = headers.get("x-request-id");
        id = isAcceptableRequestId(given) ? given : UUID.randomUUID().toString();
      }
      return new ApiRequest(method, path, query, headers, body, remoteAddress, caller, id);
    }
  }
}
