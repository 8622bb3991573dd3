package io.catwrangler.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The JDK's plain blocking HTTP client as the load tool's clients use it ({@link StatusLoad}, {@link BatchLoad}):
 * cheaper per request on two shared cores than the CLI's asynchronous {@code HttpClient}; a connection is kept alive
 * when its answer is read to the end.
 */
final class PlainHttp {
  private PlainHttp() {}

  /** A request to {@code uri} asking for JSON, 5 s to connect, {@code readTimeoutMillis} to answer. */
  static HttpURLConnection open(URI uri, int readTimeoutMillis) throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(readTimeoutMillis);
    c.setRequestProperty("Accept", "application/json");
    return c;
  }

  /** Reads the answer (or the error's) to its end, so the connection goes back to the keep-alive cache. */
  static void drain(HttpURLConnection c, int status) throws IOException {
    try (InputStream body = status < 400 ? c.getInputStream() : c.getErrorStream()) {
      if (body != null) {
        body.readAllBytes();
      }
    }
  }
}
