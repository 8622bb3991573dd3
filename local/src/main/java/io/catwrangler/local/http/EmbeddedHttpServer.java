package io.catwrangler.local.http;

import io.catwrangler.api.Api;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The embedded HTTP server: Jetty (core handlers, no servlets) serving the {@link Api} on one address and port.
 * {@link #close} stops taking connections, lets requests in flight finish (up to a few seconds) and stops.
 */
public final class EmbeddedHttpServer implements AutoCloseable {
  private static final int MAX_THREADS = 64;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
  /**
   * Bodies must arrive at 16 KiB/s on average once their first 10 s have passed (a 15 MiB upload over 128 kbit/s);
   * a refused body up to 64 MiB is drained so the client sees the 413 instead of a reset.
   */
  /** Request headers (at most 8 KiB) must be complete this long after their first byte. */
  static final Duration HEADER_DEADLINE = Duration.ofSeconds(10);
  static final RequestBody.Rules BODY_RULES =
      new RequestBody.Rules(16 * 1024, Duration.ofSeconds(10), 64L * 1024 * 1024);
  private static final Duration SHUTDOWN_IDLE_TIMEOUT = Duration.ofMillis(200);
  /** Jetty says "Started …" and "Stopped …" at INFO; held here so the level set on it is kept. */
  private static final java.util.logging.Logger JETTY_LOG = java.util.logging.Logger.getLogger("org.eclipse.jetty");

  static {
    if (JETTY_LOG.getLevel() == null) { // unless the operator's logging configuration says otherwise
      JETTY_LOG.setLevel(java.util.logging.Level.WARNING);
    }
  }

  private final Server server;
  private final ServerConnector connector;
  private final HttpServerConfig config;
  private final HttpMetrics metrics = new HttpMetrics();

  private EmbeddedHttpServer(Api api, HttpServerConfig config, Consumer<PrometheusText> runtimeMetrics,
      RequestBody.Rules bodyRules, Duration headerDeadline) {
    this.config = config;
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4);
    threads.setName("http");
    server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(config.bindAddress());
    connector.setPort(config.port());
    connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    server.addConnector(connector);
    HeaderDeadline headers = new HeaderDeadline(headerDeadline);
    connector.addBean(headers, false); // a listener on every connection; its life cycle is the server's
    server.addBean(headers);
    // the web page's files first (/ and /ui/…); every other path goes on to the API
    GracefulHandler graceful = new GracefulHandler(headers.track(new Handler.Sequence(
        new StaticPages(metrics, config.accessLog()), new ApiHandler(api, config, metrics, runtimeMetrics,
            bodyRules, MemoryBudget.quarterOfHeap(), IDLE_TIMEOUT))));
    // on stop, idle keep-alive connections are closed after this instead of Jetty's default second
    graceful.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT.toMillis());
    server.setHandler(graceful);
    server.setErrorHandler(new JsonErrorHandler()); // Jetty's own refusals (bad URI, headers too large) as JSON
    server.setStopTimeout(STOP_TIMEOUT.toMillis());
    server.setStopAtShutdown(false); // the serve command orders the shutdown: HTTP first, then the workers
  }

  /**
   * Starts listening.
   *
   * @param runtimeMetrics writes the runtime's gauges and counters into {@code GET /metrics}
   * @throws IOException the address or port cannot be bound
   */
  public static EmbeddedHttpServer start(Api api, HttpServerConfig config, Consumer<PrometheusText> runtimeMetrics)
      throws IOException {
    return start(api, config, runtimeMetrics, BODY_RULES, HEADER_DEADLINE);
  }

  /** {@link #start(Api, HttpServerConfig, Consumer)} with other client rules (tests: short periods). */
  static EmbeddedHttpServer start(Api api, HttpServerConfig config, Consumer<PrometheusText> runtimeMetrics,
      RequestBody.Rules bodyRules, Duration headerDeadline) throws IOException {
    EmbeddedHttpServer s = new EmbeddedHttpServer(Objects.requireNonNull(api, "api"), config, runtimeMetrics,
        bodyRules, headerDeadline);
    try {
      s.server.start();
    } catch (IOException e) {
      s.stopQuietly();
      throw e;
    } catch (Exception e) {
      s.stopQuietly();
      throw new IOException("could not start the HTTP server on " + config.bindAddress() + ":" + config.port()
          + ": " + e.getMessage(), e);
    }
    return s;
  }

  /** The port listened on (the chosen one when the config said 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The base URL clients use, e.g. {@code http://127.0.0.1:8080}. */
  public URI url() {
    String host = config.bindAddress();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1"; // reachable from this machine; other machines use one of its addresses
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port());
  }

  public HttpMetrics metrics() {
    return metrics;
  }

  /** Stops gracefully: no new connections, requests in flight finish (bounded by a stop timeout). */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("HTTP server did not stop cleanly: " + e.getMessage(), e);
    }
  }

  private void stopQuietly() {
    try {
      server.stop();
    } catch (Exception ignored) {
      // start failed already; that is the error to report
    }
  }

}
