package io.catwrangler.aws;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.catwrangler.api.Api;
import io.catwrangler.api.ApiRequest;
import io.catwrangler.api.ApiResponse;
import io.catwrangler.api.Route;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.MDC;

/**
 * The HTTP routes of {@link Api} behind a Lambda Function URL (payload format 2.0): the event becomes an
 * {@link ApiRequest}, the {@link ApiResponse} becomes the function's response. Authentication is the URL's
 * ({@code AWS_IAM}): the caller's ARN from the request context is only logged.
 *
 * <p>Each function serves a subset of the routes; the others answer 404 here, so a route is reachable on exactly one
 * URL. A body the URL delivered base64-encoded (any binary upload) is decoded; response bodies are JSON or text and
 * are sent as they are.
 */
public final class FunctionUrlApi {
  /** Powertools' key for the correlation id in every log line. */
  static final String CORRELATION_ID = "correlation_id";

  private final Api api;
  private final Set<Route> routes;
  private final Map<String, Function<ApiRequest, ApiResponse>> extraRoutes;

  /**
   * @param routes the {@link Api} routes this function answers
   * @param extraRoutes routes of this function only, keyed by {@code "METHOD /path"} (e.g. {@code POST /uploads})
   */
  public FunctionUrlApi(Api api, Set<Route> routes, Map<String, Function<ApiRequest, ApiResponse>> extraRoutes) {
    this.api = Objects.requireNonNull(api, "api");
    this.routes = Set.copyOf(routes);
    this.extraRoutes = Map.copyOf(extraRoutes);
  }

  /**
   * Answers one Function URL request. Never throws. While it runs, the logs' {@code correlation_id} is the request
   * id, which the events the request causes carry as theirs (the caller's {@code X-Request-Id} when it sent one,
   * else the URL's request id), so a log line leads to the image's history and back.
   */
  public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
    ApiRequest request;
    try {
      request = request(event);
    } catch (RuntimeException malformed) {
      return response(ApiResponse.error(400, "BAD_REQUEST", "unreadable request: " + malformed.getMessage()));
    }
    MDC.put(CORRELATION_ID, request.requestId());
    try {
      return response(answer(request));
    } finally {
      MDC.remove(CORRELATION_ID);
    }
  }

  /** The answer to a request already translated (for tests and the local HTTP adapter). Never throws. */
  public ApiResponse answer(ApiRequest request) {
    Function<ApiRequest, ApiResponse> extra = extraRoutes.get(request.method() + " " + request.path());
    if (extra != null) {
      return extra.apply(request).withHeader("X-Request-Id", request.requestId());
    }
    Optional<Route> route = Api.route(request.method(), request.path());
    if (route.isPresent() && !routes.contains(route.get())) {
      // served by another function's URL: not here
      return ApiResponse.error(404, "NOT_FOUND", route.get().label() + " is not served by this function URL")
          .withHeader("X-Request-Id", request.requestId());
    }
    long limit = api.bodyLimit(request.method(), request.path(), request.mediaType());
    if (request.body().length > limit) {
      return api.tooLarge(request, request.body().length, true);
    }
    return api.handle(request); // an unknown path or method: the Api's own 404 / 405
  }

  /** The Function URL event as an {@link ApiRequest}. */
  public static ApiRequest request(APIGatewayV2HTTPEvent event) {
    APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
    String method = context != null && context.getHttp() != null ? context.getHttp().getMethod() : null;
    String path = event.getRawPath();
    if (method == null || path == null) {
      throw new IllegalArgumentException("no method or path");
    }
    ApiRequest.Builder builder = ApiRequest.builder(method, path).rawQuery(event.getRawQueryString());
    if (event.getHeaders() != null) {
      event.getHeaders().forEach(builder::header);
    }
    if (event.getCookies() != null && !event.getCookies().isEmpty()) {
      builder.header("Cookie", String.join("; ", event.getCookies()));
    }
    String body = event.getBody();
    if (body != null) {
      builder.body(event.getIsBase64Encoded()
          ? Base64.getMimeDecoder().decode(body)
          : body.getBytes(StandardCharsets.UTF_8));
    }
    if (context.getHttp().getSourceIp() != null) {
      builder.remoteAddress(context.getHttp().getSourceIp());
    }
    if (context.getAuthorizer() != null && context.getAuthorizer().getIam() != null) {
      builder.caller(context.getAuthorizer().getIam().getUserArn());
    }
    String given = event.getHeaders() == null ? null : lowerCase(event.getHeaders()).get("x-request-id");
    if (given == null && context.getRequestId() != null) {
      builder.requestId(context.getRequestId());
    }
    return builder.build();
  }

  /** The {@link ApiResponse} as the Function URL's response. */
  public static APIGatewayV2HTTPResponse response(ApiResponse answer) {
    ApiResponse response = answer.buffered(); // a Function URL's buffered response is sent whole
    String contentType = Optional.ofNullable(response.header("Content-Type")).orElse("").toLowerCase(Locale.ROOT);
    boolean text = contentType.startsWith("application/json") || contentType.startsWith("text/")
        || contentType.startsWith("application/x-ndjson");
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(response.status())
        .withHeaders(new LinkedHashMap<>(response.headers()))
        .withBody(text ? response.bodyText() : Base64.getEncoder().encodeToString(response.body()))
        .withIsBase64Encoded(!text)
        .build();
  }

  private static Map<String, String> lowerCase(Map<String, String> headers) {
    Map<String, String> lower = new LinkedHashMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    return lower;
  }
}
