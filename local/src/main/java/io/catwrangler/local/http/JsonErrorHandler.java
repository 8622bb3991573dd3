package io.catwrangler.local.http;

import io.catwrangler.api.ApiResponse;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself, before any handler sees the request (a malformed or ambiguous URI, a control
 * character in a header, a request line or headers too long), in the API's JSON error shape instead of Jetty's HTML
 * page: {@code {"error": CODE, "message": …}}. Jetty's reason is kept as the message (it names what was wrong and
 * nothing of the server); no stack trace, no server version. Like every response, it has a (random) {@code
 * X-Request-Id} and {@code Cache-Control: no-store}.
 */
final class JsonErrorHandler extends ErrorHandler {
  /** Every response has one (docs/api.md); a request refused this early has none of its own to echo. */
  private static final String REQUEST_ID = "X-Request-Id";

  /** The API's code for a status Jetty answers with. */
  static String code(int status) {
    return switch (status) {
      case 400 -> "BAD_REQUEST";
      case 404 -> "NOT_FOUND";
      case 405 -> "METHOD_NOT_ALLOWED";
      case 408 -> "REQUEST_TIMEOUT";
      case 413 -> "TOO_LARGE";
      case 414 -> "URI_TOO_LONG";
      case 415 -> "UNSUPPORTED_MEDIA_TYPE";
      case 431 -> "HEADERS_TOO_LARGE";
      case 500 -> "INTERNAL_ERROR";
      case 501 -> "NOT_IMPLEMENTED";
      case 503 -> "UNAVAILABLE";
      case 505 -> "HTTP_VERSION_NOT_SUPPORTED";
      default -> "HTTP_" + status;
    };
  }

  static ApiResponse answer(int status, String reason) {
    String why = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
    // Jetty's reasons are short and ASCII; anything else is cut, not echoed
    why = why.replaceAll("[^\\x20-\\x7E]", "?");
    if (why.length() > 200) {
      why = why.substring(0, 200);
    }
    String message = status >= 500 ? "the server could not answer: " + why
        : "the request was refused before it reached the API: " + why.toLowerCase(Locale.ROOT);
    return ApiResponse.error(status, code(status), message);
  }

  @Override
  protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
      Callback callback) {
    ApiResponse answer = answer(status, message);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, ApiResponse.JSON);
    response.getHeaders().put(REQUEST_ID, UUID.randomUUID().toString());
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
    response.write(true, ByteBuffer.wrap(answer.body()), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, ApiResponse.JSON);
    fields.put(REQUEST_ID, UUID.randomUUID().toString());
    fields.put(HttpHeader.CACHE_CONTROL, "no-store");
    return ByteBuffer.wrap(answer(status, reason).body());
  }
}
