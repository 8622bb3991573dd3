package io.catwrangler.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3.1 document of this API, served at {@code GET /openapi.json}. Its one source is
 * {@code docs/openapi.json}, which the build copies into api's jar; {@code OpenApiConformanceTest} (local) checks
 * it against real responses and against {@link Route}.
 */
public final class OpenApiDocument {
  static final String RESOURCE = "openapi.json";
  private static final byte[] BYTES = load();

  private OpenApiDocument() {}

  /** The document as served (a copy). */
  public static byte[] bytes() {
    return BYTES.clone();
  }

  private static byte[] load() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from api's jar (the build copies docs/openapi.json)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
