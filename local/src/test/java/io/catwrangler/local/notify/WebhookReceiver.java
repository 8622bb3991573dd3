package io.catwrangler.local.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on the JDK's HTTP server, as a client would write one: it checks every delivery's signature
 * with the recipe of docs/api.md (written here from the recipe, not with the sender's class), validates the body
 * against the published schema, and keeps what came. What it answers is up to the test ({@link #answer}).
 */
final class WebhookReceiver implements AutoCloseable {
  private static final String ID_PREFIX = "urn:catwrangler:schema:events:v1:";
  private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
          builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(ID_PREFIX, "classpath:schemas/")))
      .getSchema(SchemaLocation.of(ID_PREFIX + "Notification.schema.json"),
          SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One request as it arrived, with what the receiver found out about it. */
  record Delivery(JsonNode body, String notificationId, boolean signatureValid, Set<?> schemaErrors, Instant at,
      String path) {}

  private final HttpServer server;
  private final byte[] secret;
  private final ConcurrentLinkedQueue<Delivery> received = new ConcurrentLinkedQueue<>();
  private volatile IntSupplier answer = () -> 204;

  WebhookReceiver(byte[] secret) throws IOException {
    this(secret, 0);
  }

  WebhookReceiver(byte[] secret, int port) throws IOException {
    this.secret = secret.clone();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", exchange -> {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String signature = exchange.getRequestHeaders().getFirst("Catwrangler-Signature");
      JsonNode json = MAPPER.readTree(body);
      received.add(new Delivery(json, exchange.getRequestHeaders().getFirst("Catwrangler-Notification-Id"),
          signature != null && verify(signature, body), SCHEMA.validate(json), Instant.now(),
          exchange.getRequestURI().getPath()));
      int status = answer.getAsInt();
      if (status / 100 == 3) {
        exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere");
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
  }

  /**
   * The recipe: split the header at commas into {@code t} and {@code v1}; compute HMAC-SHA256 with the shared
   * secret over the ASCII bytes of {@code t + "."} followed by the raw body; compare its lower-case hex with
   * {@code v1} in constant time; refuse a {@code t} more than 5 minutes from now.
   */
  private boolean verify(String header, byte[] body) {
    String t = null;
    String v1 = null;
    for (String part : header.split(",")) {
      if (part.startsWith("t=")) {
        t = part.substring(2);
      } else if (part.startsWith("v1=")) {
        v1 = part.substring(3);
      }
    }
    if (t == null || v1 == null || Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t)) > 300) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
      byte[] expected = HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
      return MessageDigest.isEqual(expected, v1.getBytes(StandardCharsets.US_ASCII));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What every later request is answered with (an HTTP status). */
  void answer(IntSupplier status) {
    this.answer = status;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  String hostAndPort() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  List<Delivery> deliveries() {
    return new ArrayList<>(received);
  }

  List<Delivery> ofType(String type) {
    return deliveries().stream().filter(d -> d.body().path("type").asText().equals(type)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
