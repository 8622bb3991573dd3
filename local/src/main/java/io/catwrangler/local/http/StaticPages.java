package io.catwrangler.local.http;

import io.catwrangler.api.ApiResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The web page: the static files packaged under {@code io/catwrangler/local/web/}, {@code index.html} at {@code /}
 * and the rest at {@code /ui/{file}}. Anything else goes on to the next handler (the API).
 *
 * <p>Only flat names of known types are looked up, so no path can leave the folder, and a name's content type is
 * decided by its extension here, never guessed. The files are few and small: each is read once and kept. They are
 * served without a token (they hold no data; the page asks for the token and sends it with its API calls), with an
 * {@code ETag} and {@code no-cache}, so a browser revalidates and an upgraded server's page is picked up at once.
 *
 * <p>Written by hand rather than with Jetty's {@code ResourceHandler}: that one wants a context path per folder and
 * a mounted jar file system, for what is here a map from a handful of names to bytes.
 */
final class StaticPages extends Handler.Abstract.NonBlocking {
  static final String INDEX_ROUTE = "GET /";
  static final String ASSET_ROUTE = "GET /ui/{file}";

  private static final String FOLDER = "/io/catwrangler/local/web/";
  private static final String ASSET_PREFIX = "/ui/";
  private static final Pattern ASSET_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}\\.(html|css|js|svg|png)");
  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png");
  /**
   * The page runs only its own scripts and styles and talks only to this server; images are the server's or the
   * browser's own object URLs of files being uploaded.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
      + " img-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final System.Logger ACCESS = System.getLogger("io.catwrangler.access");

  private record Asset(String contentType, byte[] bytes, String etag) {}

  private final HttpMetrics metrics;
  private final boolean accessLog;
  private final ConcurrentHashMap<String, Asset> loaded = new ConcurrentHashMap<>();

  StaticPages(HttpMetrics metrics, boolean accessLog) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.accessLog = accessLog;
    if (find("index.html").isEmpty()) {
      throw new IllegalStateException("the web page is missing from the jar (" + FOLDER + "index.html)");
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    String path = Request.getPathInContext(request);
    String name;
    String route;
    if (path.isEmpty() || path.equals("/") || path.equals("/index.html")) {
      name = "index.html";
      route = INDEX_ROUTE;
    } else if (path.startsWith(ASSET_PREFIX)) {
      name = path.substring(ASSET_PREFIX.length());
      route = ASSET_ROUTE;
    } else {
      return false;
    }
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return false; // the API answers 404 or 405 as for any other path
    }
    Optional<Asset> asset = find(name);
    boolean head = method.equals("HEAD");
    int status;
    byte[] body;
    if (asset.isEmpty()) {
      status = 404;
      byte[] error = ApiResponse.error(404, "NOT_FOUND", "no file " + path).body();
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, ApiResponse.JSON);
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      response.getHeaders().put("X-Content-Type-Options", "nosniff");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, error.length);
      body = head ? new byte[0] : error;
    } else {
      Asset a = asset.get();
      boolean fresh = a.etag.equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH));
      status = fresh ? 304 : 200;
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, a.contentType);
      response.getHeaders().put(HttpHeader.ETAG, a.etag);
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
      response.getHeaders().put("X-Content-Type-Options", "nosniff");
      response.getHeaders().put("Referrer-Policy", "no-referrer");
      if (a.contentType.startsWith("text/html")) {
        response.getHeaders().put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.getHeaders().put("X-Frame-Options", "DENY");
      }
      if (!fresh) {
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, a.bytes.length);
      }
      body = fresh || head ? new byte[0] : a.bytes;
    }
    response.setStatus(status);
    // counted before sending, so a client that has its answer also finds it in the metrics
    long nanos = System.nanoTime() - start;
    metrics.record(route, status, nanos);
    if (accessLog) {
      ACCESS.log(Level.INFO, String.format(Locale.ROOT, "%s \"%s %s\" %d %.1fms",
          Request.getRemoteAddr(request), method, path, status, nanos / 1e6));
    }
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  /** The file of that name, read once; empty for a name outside the folder's rules or not in it. */
  private Optional<Asset> find(String name) {
    if (!ASSET_NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    Asset cached = loaded.get(name);
    if (cached != null) {
      return Optional.of(cached);
    }
    try (InputStream in = StaticPages.class.getResourceAsStream(FOLDER + name)) {
      if (in == null) {
        return Optional.empty(); // not cached: only names that exist take memory
      }
      byte[] bytes = in.readAllBytes();
      String extension = name.substring(name.lastIndexOf('.') + 1);
      Asset asset = new Asset(CONTENT_TYPES.get(extension), bytes, etag(bytes));
      loaded.putIfAbsent(name, asset);
      return Optional.of(asset);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + FOLDER + name + " from the jar", e);
    }
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
