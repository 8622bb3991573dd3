package io.catwrangler.local.http;

import io.catwrangler.api.Api;
import io.catwrangler.api.ApiRequest;
import io.catwrangler.api.ApiResponse;
import io.catwrangler.api.Route;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's side of the API: turns a Jetty request into an {@link ApiRequest} and sends the {@link ApiResponse}
 * back. It adds what only the embedded server has: the bearer-token check (before any of the body is read), the
 * body size cap and minimum rate enforced while reading, {@code GET /metrics}, the access log and the HTTP metrics.
 *
 * <p>The body is read as it arrives ({@link RequestBody}): no thread waits for a slow client. The API is called on
 * the Jetty thread that read the last bytes, which may block (stores, SQLite).
 */
final class ApiHandler extends Handler.Abstract {
  static final String METRICS_ROUTE = "GET /metrics";
  static final String PAGE_ROUTE = "GET /";
  static final String UNMATCHED_ROUTE = "unmatched";
  /** Bytes of a streamed body gathered into one chunk. */
  private static final int STREAM_BUFFER = 32 * 1024;


  private static final System.Logger ACCESS = System.getLogger("io.catwrangler.access");
  private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());

  private final Api api;
  private final Optional<BearerToken> token;
  private final boolean accessLog;
  private final HttpMetrics metrics;
  private final Consumer<PrometheusText> runtimeMetrics;
  private final RequestBody.Rules rules;
  private final MemoryBudget memory;
  private final Duration idleTimeout;

  /**
   * @param rules how fast a body must arrive and how much of a refused one is drained
   * @param memory bytes of bodies held at once, across requests
   * @param idleTimeout the connector's, for the message when a body stops arriving
   */
  ApiHandler(
      Api api,
      HttpServerConfig config,
      HttpMetrics metrics,
      Consumer<PrometheusText> runtimeMetrics,
      RequestBody.Rules rules,
      MemoryBudget memory,
      Duration idleTimeout) {
    super(InvocationType.BLOCKING);
    this.api = Objects.requireNonNull(api, "api");
    this.token = config.token().map(BearerToken::new);
    this.accessLog = config.accessLog();
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.runtimeMetrics = Objects.requireNonNull(runtimeMetrics, "runtime metrics");
    this.rules = Objects.requireNonNull(rules, "rules");
    this.memory = Objects.requireNonNull(memory, "memory");
    this.idleTimeout = Objects.requireNonNull(idleTimeout, "idle timeout");
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
    Reply reply = (answer, close) -> finish(request, response, callback, head, route, start, answer, close);
    if (!authorised(head, route)) {
      // nothing of the body is read: an unauthenticated client gets no buffer and no thread
      reply.send(ApiResponse.error(401, "UNAUTHORIZED", "this server needs Authorization: Bearer <token>")
          .withHeader("WWW-Authenticate", "Bearer"), mayHaveBody(request));
      return true;
    }
    if (route.equals(METRICS_ROUTE)) {
      PrometheusText text = new PrometheusText();
      runtimeMetrics.accept(text);
      metrics.writeTo(text);
      reply.send(ApiResponse.text(200, PrometheusText.CONTENT_TYPE, text.toString()), false);
      return true;
    }
    long limit = api.bodyLimit(method, head.path(), head.mediaType());
    long declared = request.getLength();
    if (declared > limit) {
      ApiResponse tooLarge = api.tooLarge(head, declared, true);
      if (declared > rules.drainLimit() || expectsContinue(head)) {
        reply.send(tooLarge, true); // no 100 Continue was sent, or too much to drain: close instead
      } else {
        RequestBody.drain(request, rules, outcome -> reply.send(tooLarge, !drained(outcome)));
      }
      return true;
    }
    RequestBody.read(request, limit, rules, memory, outcome -> {
      try {
        answer(builder, head, outcome, reply);
      } catch (RuntimeException e) { // never leave a request without an answer
        LOG.log(Level.ERROR, "request " + head.requestId() + " failed", e);
        reply.send(ApiResponse.error(500, "INTERNAL_ERROR", "internal error; quote request id " + head.requestId()),
            true);
      }
    });
    return true;
  }

  private interface Reply {
    void send(ApiResponse answer, boolean closeConnection);
  }

  /** Runs on the thread that read the last bytes (Jetty's, blocking allowed). */
  private void answer(ApiRequest.Builder builder, ApiRequest head, RequestBody.Outcome outcome, Reply reply) {
    if (outcome instanceof RequestBody.Outcome.Complete complete) {
      ApiRequest full = builder.body(complete.bytes()).requestId(head.requestId())
          .caller(token.isPresent() ? "token" : null).build();
      reply.send(api.handle(full), false);
    } else if (outcome instanceof RequestBody.Outcome.TooLarge tooLarge) {
      reply.send(api.tooLarge(head, tooLarge.count(), false), !tooLarge.drained());
    } else if (outcome instanceof RequestBody.Outcome.TooSlow slow) {
      reply.send(ApiResponse.error(408, "REQUEST_TIMEOUT", String.format(Locale.ROOT,
          "the request body arrived too slowly: %d bytes in %.1f s, the minimum is %d bytes a second after the"
              + " first %d s", slow.count(), slow.elapsed().toMillis() / 1000.0, rules.minBytesPerSecond(),
          rules.grace().toSeconds())), true);
    } else if (outcome instanceof RequestBody.Outcome.Broken broken) {
      LOG.log(Level.DEBUG, "request {0}: body unreadable: {1}", head.requestId(), broken.cause().toString());
      reply.send(broken.timedOut()
          ? ApiResponse.error(408, "REQUEST_TIMEOUT", "no part of the request body arrived for "
              + idleTimeout.toSeconds() + " s")
          : ApiResponse.error(400, "BAD_REQUEST", "the request body could not be read"), true);
    } else {
      reply.send(ApiResponse.error(503, "UNAVAILABLE", "the server is receiving too many uploads at once; try again"
          + " shortly").withHeader("Retry-After", "1"), true);
    }
  }

  private static boolean drained(RequestBody.Outcome outcome) {
    return outcome instanceof RequestBody.Outcome.TooLarge t && t.drained();
  }

  private static boolean expectsContinue(ApiRequest head) {
    return head.header("Expect").filter(e -> e.equalsIgnoreCase("100-continue")).isPresent();
  }

  /** A request that declares a body or sends one chunked: refusing it without reading means closing after. */
  private static boolean mayHaveBody(Request request) {
    long length = request.getLength();
    return length > 0 || length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }

  private void finish(Request request, Response response, Callback callback, ApiRequest head, String route,
      long start, ApiResponse answer, boolean closeConnection) {
    answer = answer.withHeader("X-Request-Id", head.requestId());
    long bytes = send(response, answer, closeConnection, callback, head.requestId());
    long nanos = System.nanoTime() - start;
    metrics.record(route, answer.status(), nanos);
    if (accessLog) {
      String query = request.getHttpURI().getQuery();
      ACCESS.log(Level.INFO, String.format(Locale.ROOT, "%s \"%s %s%s\" %d %d %.1fms id=%s",
          head.remoteAddress().orElse("-"), head.method(), head.path(), query == null ? "" : "?" + query,
          answer.status(), bytes, nanos / 1e6, head.requestId()));
    }
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
    if (token.isEmpty() || route.equals(Route.HEALTH.label()) || route.equals(Route.OPENAPI.label())) {
      return true;
    }
    return token.get().accepts(head.header("Authorization"));
  }

  /** Sends the answer; returns the bytes of body sent (all of them but for a streamed body that broke off). */
  private static long send(Response response, ApiResponse answer, boolean close, Callback callback, String requestId) {
    response.setStatus(answer.status());
    answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    if (close) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    if (answer.isStreamed()) {
      return stream(response, answer.stream().orElseThrow(), callback, requestId);
    }
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
    response.write(true, ByteBuffer.wrap(answer.body()), callback);
    return answer.body().length;
  }

  /**
   * Writes a streamed body chunked, blocking this (Jetty, blocking) thread while the client reads, so the body is
   * never held whole: a slow reader slows the writer. A failure part-way fails the callback without the last chunk,
   * so the client sees the body break off rather than a short body that looks whole.
   */
  private static long stream(Response response, ApiResponse.BodyWriter writer, Callback callback, String requestId) {
    CountingOutputStream out =
        new CountingOutputStream(new BufferedOutputStream(Content.Sink.asOutputStream(response), STREAM_BUFFER));
    try {
      writer.writeTo(out);
      out.close(); // the last chunk
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "request {0}: streamed body broken off after {1} bytes: {2}", requestId, out.count,
          e.toString());
      callback.failed(e);
      return out.count;
    }
    callback.succeeded();
    return out.count;
  }

  /** Counts what passes through, for the access log. */
  private static final class CountingOutputStream extends FilterOutputStream {
    long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
