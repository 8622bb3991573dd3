package io.catwrangler.local.http;

import io.catwrangler.core.api.Api;
import io.catwrangler.core.api.ApiRequest;
import io.catwrangler.core.api.ApiResponse;
import io.catwrangler.core.api.Route;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's side of the API: turns a Jetty request into an {@link ApiRequest} and sends the {@link ApiResponse}
 * back. It adds what only the embedded server has: the bearer-token check, the body size cap enforced while
 * reading, {@code GET /metrics}, the access log and the HTTP metrics.
 *
 * <p>Blocking: Jetty runs it on its thread pool, and a body is read with a plain input stream.
 */
final class ApiHandler extends Handler.Abstract {
  static final String METRICS_ROUTE = "GET /metrics";
  static final String PAGE_ROUTE = "GET /";
  static final String UNMATCHED_ROUTE = "unmatched";

  /** A refused body at most this long is read and dropped, so the client sees the 413 instead of a reset. */
  private static final long DRAIN_LIMIT = 64L * 1024 * 1024;
  private static final int READ_CHUNK = 64 * 1024;
  private static final byte[] NO_BYTES = new byte[0];

  private static final System.Logger ACCESS = System.getLogger("io.catwrangler.access");
  private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());

  private final Api api;
  private final Optional<BearerToken> token;
  private final boolean accessLog;
  private final HttpMetrics metrics;
  private final Consumer<PrometheusText> runtimeMetrics;

  ApiHandler(
      Api api,
      HttpServerConfig config,
      HttpMetrics metrics,
      Consumer<PrometheusText> runtimeMetrics) {
    super(InvocationType.BLOCKING);
    this.api = Objects.requireNonNull(api, "api");
    this.token = config.token().map(BearerToken::new);
    this.accessLog = config.accessLog();
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.runtimeMetrics = Objects.requireNonNull(runtimeMetrics, "runtime metrics");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    String path = Request.getPathInContext(request);
    ApiRequest.Builder builder =
        ApiRequest.builder(method, path.isEmpty() ? "/" : path)
            .rawQuery(request.getHttpURI().getQuery())
            .remoteAddress(Request.getRemoteAddr(request));
    for (HttpField field : request.getHeaders()) {
      builder.header(field.getName(), field.getValue());
    }
    ApiRequest head = builder.build(); // without the body: enough to route, authorise and size it
    String route = routeLabel(method, head.path());
    ApiResponse answer;
    boolean closeConnection = false;
    try {
      if (!authorised(head, route)) {
        answer = ApiResponse.error(401, "UNAUTHORIZED", "this server needs Authorization: Bearer <token>")
            .withHeader("WWW-Authenticate", "Bearer");
        closeConnection = !drain(request, Request.asInputStream(request), head, DRAIN_LIMIT);
      } else if (route.equals(METRICS_ROUTE)) {
        PrometheusText text = new PrometheusText();
        runtimeMetrics.accept(text);
        metrics.writeTo(text);
        answer = ApiResponse.text(200, PrometheusText.CONTENT_TYPE, text.toString());
      } else {
        long limit = api.bodyLimit(method, head.path(), head.mediaType());
        long declared = request.getLength();
        InputStream in = Request.asInputStream(request);
        if (declared > limit) {
          answer = api.tooLarge(head, declared, true);
          closeConnection = !drain(request, in, head, DRAIN_LIMIT);
        } else {
          Body body = read(in, declared, limit);
          if (body.bytes == null) {
            answer = api.tooLarge(head, body.count, false);
            closeConnection = !drain(request, in, head, DRAIN_LIMIT - body.count);
          } else {
            ApiRequest full = builder.body(body.bytes).requestId(head.requestId())
                .caller(token.isPresent() ? "token" : null).build();
            answer = api.handle(full);
          }
        }
      }
    } catch (IOException e) {
      // the client went away or sent a broken body; it will not read an answer
      answer = ApiResponse.error(400, "BAD_REQUEST", "the request body could not be read");
      closeConnection = true;
      LOG.log(Level.DEBUG, "request {0}: body unreadable: {1}", head.requestId(), e.getMessage());
    }
    answer = answer.withHeader("X-Request-Id", head.requestId());
    send(response, answer, closeConnection, callback);
    long nanos = System.nanoTime() - start;
    metrics.record(route, answer.status(), nanos);
    if (accessLog) {
      String query = request.getHttpURI().getQuery();
      ACCESS.log(Level.INFO, String.format(Locale.ROOT, "%s \"%s %s%s\" %d %d %.1fms id=%s",
          head.remoteAddress().orElse("-"), method, head.path(), query == null ? "" : "?" + query,
          answer.status(), answer.body().length, nanos / 1e6, head.requestId()));
    }
    return true;
  }

  static String routeLabel(String method, String path) {
    if (path.equals("/") || path.equals("/index.html")) {
      return method.equals("GET") ? PAGE_ROUTE : UNMATCHED_ROUTE;
    }
    if (path.equals("/metrics")) {
      return method.equals("GET") ? METRICS_ROUTE : UNMATCHED_ROUTE;
    }
    return Api.route(method, path).map(Route::label).orElse(UNMATCHED_ROUTE);
  }

  private boolean authorised(ApiRequest head, String route) {
    if (token.isEmpty() || route.equals(Route.HEALTH.label())) {
      return true;
    }
    return token.get().accepts(head.header("Authorization"));
  }

  private record Body(byte[] bytes, long count) {}

  /** The body, or {@code bytes == null} with the count read so far once it passes {@code limit}. */
  private static Body read(InputStream in, long declared, long limit) throws IOException {
    if (declared >= 0) { // Jetty holds the client to its Content-Length
      byte[] bytes = in.readNBytes((int) declared);
      if (bytes.length != declared) {
        throw new IOException("body shorter than its Content-Length");
      }
      return new Body(bytes, declared);
    }
    // no Content-Length: most often a GET without a body; find that out before allocating any buffer (two 64 KB
    // buffers per status query were half of what the server allocated per query)
    int first = in.read();
    if (first == -1) {
      return new Body(NO_BYTES, 0);
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(READ_CHUNK);
    out.write(first);
    byte[] chunk = new byte[READ_CHUNK];
    long count = 1;
    if (count > limit) {
      return new Body(null, count);
    }
    int n;
    while ((n = in.read(chunk)) != -1) {
      count += n;
      if (count > limit) {
        return new Body(null, count);
      }
      out.write(chunk, 0, n);
    }
    return new Body(out.toByteArray(), count);
  }

  /**
   * Reads and drops the rest of a refused body, up to {@code budget} bytes, so a client that sends the whole body
   * before reading (most do without {@code Expect: 100-continue}) sees the answer instead of a broken pipe.
   *
   * @return true when the body was consumed; false when the connection must be closed instead
   */
  private static boolean drain(Request request, InputStream in, ApiRequest head, long budget) {
    if (head.header("Expect").filter(e -> e.equalsIgnoreCase("100-continue")).isPresent()) {
      return true; // no 100 Continue was sent, so the client sends no body
    }
    long declared = request.getLength();
    if (declared > budget) {
      return false;
    }
    try {
      byte[] chunk = new byte[READ_CHUNK];
      long left = budget;
      int n;
      while (left > 0 && (n = in.read(chunk)) != -1) {
        left -= n;
      }
      return left > 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static void send(Response response, ApiResponse answer, boolean close, Callback callback) {
    response.setStatus(answer.status());
    answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    if (close) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
    response.write(true, ByteBuffer.wrap(answer.body()), callback);
  }
}
