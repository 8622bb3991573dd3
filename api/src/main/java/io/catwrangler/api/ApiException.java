package io.catwrangler.api;

import java.util.Map;

/** A request the routes refuse before any use case runs: no such route, wrong method, an unreadable body. */
final class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final Map<String, String> headers;

  ApiException(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  ApiException(int status, String code, String message, Map<String, String> headers) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = Map.copyOf(headers);
  }

  ApiResponse response() {
    ApiResponse response = ApiResponse.error(status, code, getMessage());
    for (Map.Entry<String, String> h : headers.entrySet()) {
      response = response.withHeader(h.getKey(), h.getValue());
    }
    return response;
  }
}
