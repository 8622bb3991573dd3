package io.catwrangler.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.Json;
import io.catwrangler.local.http.ApiClient;
import io.catwrangler.local.notify.WebhookSignature;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code loadtest --notify N}: one batch of N images uploaded with {@code X-Notify-Url} pointing at a webhook
 * receiver in this process; measures how long after the batch's last answer ({@code classified_at}, the newest of
 * its images) the signed {@code batch.completed} notification arrives.
 */
final class NotifyLoad implements AutoCloseable {

  /** One notification as the receiver got it. */
  record Received(Instant at, JsonNode body, boolean signed) {}

  /** What the phase measured. */
  record Result(int images, double uploadSeconds, Instant lastAnswer, Received completion, int completions,
      int notifications) {
    double delaySeconds() {
      return Duration.between(lastAnswer, completion.at()).toNanos() / 1e9;
    }
  }

  private final HttpServer server;
  private final byte[] secret;
  private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();

  private NotifyLoad(byte[] secret) throws IOException {
    this.secret = secret.clone();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext("/", exchange -> {
      Instant at = Instant.now();
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String signature = exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER);
      received.add(new Received(at, Json.MAPPER.readTree(body),
          signature != null && WebhookSignature.verify(secret, signature, body, at, Duration.ofMinutes(5))));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
  }

  /** A receiver on a free loopback port, and the secret file serve signs with. */
  static NotifyLoad start(Path secretFile) throws IOException {
    byte[] secret = ("loadtest-" + java.util.UUID.randomUUID()).getBytes(StandardCharsets.US_ASCII);
    Files.write(secretFile, secret);
    return new NotifyLoad(secret);
  }

  /** The options serve needs to call this receiver. */
  List<String> serveOptions(Path secretFile) {
    return List.of("--notify-allow", "127.0.0.1:" + server.getAddress().getPort(), "--notify-secret-file",
        secretFile.toString());
  }

  Result measure(URI serverUrl, List<byte[]> images, int uploaders, String batch) throws Exception {
    String hook = "http://127.0.0.1:" + server.getAddress().getPort() + "/load";
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(uploaders);
    try {
      List<Future<?>> uploads = new ArrayList<>();
      for (byte[] image : images) {
        uploads.add(pool.submit(() -> {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(serverUrl.resolve("/images"))
              .header("X-Batch-Id", batch).header("X-Notify-Url", hook)
              .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 202) {
            throw new IllegalStateException("upload refused: " + r.statusCode() + " " + r.body());
          }
          return null;
        }));
      }
      for (Future<?> f : uploads) {
        f.get();
      }
      double uploadSeconds = (System.nanoTime() - start) / 1e9;
      Received completion = awaitCompletion(images.size(), Duration.ofMinutes(60));
      Instant lastAnswer = lastAnswer(new ApiClient(serverUrl, Optional.empty(), Duration.ofSeconds(60)), images,
          pool);
      int completions = (int) received.stream().filter(r -> r.body().path("type").asText().equals("batch.completed"))
          .count();
      return new Result(images.size(), uploadSeconds, lastAnswer, completion, completions, received.size());
    } finally {
      pool.shutdownNow();
    }
  }

  private Received awaitCompletion(int total, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (Received r : received) {
        if (r.body().path("batch").path("total").asInt() == total) {
          return r;
        }
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("no completion of all " + total + " images in " + timeout);
  }

  /** The newest {@code classified_at} among the images, read back with {@code GET /images/{id}}. */
  private static Instant lastAnswer(ApiClient client, List<byte[]> images, ExecutorService pool) throws Exception {
    List<Future<Instant>> answers = new ArrayList<>();
    for (byte[] image : images) {
      String id = ImageId.sha256Of(image).value();
      answers.add(pool.submit(() -> {
        ApiClient.Reply r = client.get("/images/" + id);
        JsonNode at = r.body().path("classified_at");
        JsonNode failedAt = r.body().path("failure").path("failed_at");
        return Instant.parse(at.isTextual() ? at.asText() : failedAt.asText());
      }));
    }
    Instant last = Instant.EPOCH;
    for (Future<Instant> f : answers) {
      Instant at = f.get(5, TimeUnit.MINUTES);
      last = at.isAfter(last) ? at : last;
    }
    return last;
  }

  static String report(Result r) {
    return String.format(Locale.ROOT, "| completion notification, one batch of %d images uploaded by 8 clients in %.1f"
        + " s: arrival after the batch's last answer | **%.2f s** | ≤ 2 s |%n"
        + "| … notifications received (batch.completed) / signature valid | %d (%d) / %s | 1 |%n",
        r.images(), r.uploadSeconds(), r.delaySeconds(), r.notifications(), r.completions(),
        r.completion().signed() ? "yes" : "NO");
  }

  @Override
  public void close() {
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }
}
