package io.catwrangler.local.cli;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.catwrangler.aws.testing.TestContext;
import io.catwrangler.local.http.SigV4Signer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What a Lambda Function URL with {@code AWS_IAM} auth does in front of a handler, on a JDK HTTP server: checks the
 * request's SigV4 signature (recomputed with the SDK signer from the one known key pair, the request's own
 * {@code X-Amz-Date} and signed headers, and the exact body; 403 with AWS's error type otherwise), then hands the
 * request over as a payload-2.0 {@link APIGatewayV2HTTPEvent} (binary bodies base64) and sends back the handler's
 * {@link APIGatewayV2HTTPResponse}.
 */
final class FunctionUrlAdapter implements AutoCloseable {
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([a-z0-9;-]+),"
          + " Signature=([0-9a-f]{64})");
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
  /** Added by the signer itself when it signs again. */
  private static final Set<String> REGENERATED = Set.of("host", "x-amz-date", "x-amz-content-sha256",
      "x-amz-security-token");

  /** A request as the handler saw it, for the tests' assertions. */
  record Seen(APIGatewayV2HTTPEvent event, String authorization) {}

  private final HttpServer server;
  private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;
  private final String accessKeyId;
  private final String secretAccessKey;
  private final String region;
  final List<Seen> seen = new CopyOnWriteArrayList<>();
  final List<String> refusals = new CopyOnWriteArrayList<>();

  FunctionUrlAdapter(
      RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, String accessKeyId,
      String secretAccessKey, String region) throws IOException {
    this.handler = handler;
    this.accessKeyId = accessKeyId;
    this.secretAccessKey = secretAccessKey;
    this.region = region;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::exchange);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void exchange(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String refusal = verify(exchange, body);
      if (refusal != null) {
        refusals.add(refusal);
        String[] typeAndMessage = refusal.split(": ", 2);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-amzn-ErrorType", typeAndMessage[0]);
        send(exchange, 403, ("{\"Message\":\"" + typeAndMessage[1] + "\"}").getBytes(StandardCharsets.UTF_8));
        return;
      }
      APIGatewayV2HTTPEvent event = event(exchange, body);
      seen.add(new Seen(event, exchange.getRequestHeaders().getFirst("Authorization")));
      APIGatewayV2HTTPResponse response = handler.handleRequest(event, new TestContext("adapter"));
      if (response.getHeaders() != null) {
        response.getHeaders().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      }
      String text = response.getBody() == null ? "" : response.getBody();
      send(exchange, response.getStatusCode(),
          response.getIsBase64Encoded() ? Base64.getDecoder().decode(text) : text.getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      e.printStackTrace();
      send(exchange, 502, "{\"Message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** {@code null} when the signature is the one the known key pair gives; else "ErrorType: message". */
  private String verify(HttpExchange exchange, byte[] body) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    String amzDate = exchange.getRequestHeaders().getFirst("X-Amz-Date");
    if (authorization == null || amzDate == null) {
      return "AccessDeniedException: Forbidden";
    }
    Matcher m = AUTHORIZATION.matcher(authorization);
    if (!m.matches()) {
      return "IncompleteSignatureException: Authorization header is not SigV4";
    }
    if (!m.group(1).equals(accessKeyId)) {
      return "UnrecognizedClientException: The security token included in the request is invalid.";
    }
    if (!m.group(3).equals(region) || !m.group(4).equals(SigV4Signer.SERVICE)) {
      return "InvalidSignatureException: Credential should be scoped to a valid region and service " + region
          + "/lambda.";
    }
    String contentSha256 = exchange.getRequestHeaders().getFirst("x-amz-content-sha256");
    if (contentSha256 != null && !contentSha256.equals(sha256Hex(body))) {
      return "InvalidSignatureException: x-amz-content-sha256 is not the body's";
    }
    Map<String, List<String>> signedHeaders = new LinkedHashMap<>();
    for (String name : m.group(5).split(";")) {
      if (!REGENERATED.contains(name)) {
        List<String> values = exchange.getRequestHeaders().get(name);
        signedHeaders.put(name, values == null ? List.of() : new ArrayList<>(values));
      }
    }
    URI received = exchange.getRequestURI();
    URI uri = URI.create("http://" + exchange.getRequestHeaders().getFirst("Host") + received.getRawPath()
        + (received.getRawQuery() == null ? "" : "?" + received.getRawQuery()));
    Instant at = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
    SigV4Signer expected =
        new SigV4Signer(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)),
            region, Clock.fixed(at, ZoneOffset.UTC));
    String recomputed =
        expected.sign(exchange.getRequestMethod(), uri, signedHeaders, body).get("Authorization");
    if (!MessageDigest.isEqual(authorization.getBytes(StandardCharsets.UTF_8),
        String.valueOf(recomputed).getBytes(StandardCharsets.UTF_8))) {
      return "InvalidSignatureException: The request signature we calculated does not match the signature you"
          + " provided. Check your AWS Secret Access Key and signing method.";
    }
    return null;
  }

  /** The request as a Function URL's payload-2.0 event. */
  private APIGatewayV2HTTPEvent event(HttpExchange exchange, byte[] body) {
    URI received = exchange.getRequestURI();
    Map<String, String> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
    String contentType = headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
    boolean text = contentType.startsWith("text/") || contentType.startsWith("application/json");

    APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
    http.setMethod(exchange.getRequestMethod());
    http.setPath(received.getRawPath());
    http.setProtocol("HTTP/1.1");
    http.setSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress());
    http.setUserAgent(headers.get("user-agent"));
    APIGatewayV2HTTPEvent.RequestContext.IAM iam = new APIGatewayV2HTTPEvent.RequestContext.IAM();
    iam.setAccessKey(accessKeyId);
    iam.setAccountId("000000000000");
    iam.setUserArn("arn:aws:iam::000000000000:user/smoke");
    APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
    authorizer.setIam(iam);
    APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
    context.setHttp(http);
    context.setAuthorizer(authorizer);
    context.setAccountId("000000000000");
    context.setApiId("adapter");
    context.setDomainName(headers.get("host"));
    context.setRequestId(UUID.randomUUID().toString());
    context.setRouteKey("$default");
    context.setStage("$default");
    context.setTimeEpoch(System.currentTimeMillis());

    APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
    event.setVersion("2.0");
    event.setRouteKey("$default");
    event.setRawPath(received.getRawPath());
    event.setRawQueryString(received.getRawQuery() == null ? "" : received.getRawQuery());
    event.setHeaders(headers);
    event.setRequestContext(context);
    if (body.length > 0) {
      event.setBody(text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
      event.setIsBase64Encoded(!text);
    }
    return event;
  }

  private static String sha256Hex(byte[] body) {
    try {
      return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
