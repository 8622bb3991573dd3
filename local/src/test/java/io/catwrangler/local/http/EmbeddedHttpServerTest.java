package io.catwrangler.local.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catwrangler.api.Api;
import io.catwrangler.core.classify.ClassifyImages;
import io.catwrangler.core.config.PipelineConfig;
import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.core.fake.InMemoryEventStore;
import io.catwrangler.core.fake.InMemoryImageStore;
import io.catwrangler.core.fake.InMemoryResultView;
import io.catwrangler.core.fake.InMemoryWorkQueue;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.image.ImageLimits;
import io.catwrangler.core.ingest.IngestImage;
import io.catwrangler.core.query.QueryResults;
import io.catwrangler.core.replay.ReplayEvents;
import io.catwrangler.events.ImageId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Jetty layer over the API wired to core's in-memory fakes: auth, size caps while reading, metrics, page. */
class EmbeddedHttpServerTest {
  private static final String TOKEN = "0123456789abcdef-secret";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long LIMIT = 256 * 1024;

  private final InMemoryEventStore events = new InMemoryEventStore();
  private final InMemoryImageStore images = new InMemoryImageStore();
  private final PipelineConfig config =
      new PipelineConfig(new ImageLimits(LIMIT, 10_000, 50_000_000), 0.3, 3, 10);
  private final InMemoryWorkQueue queue = new InMemoryWorkQueue(3, Clock.systemUTC());
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private EmbeddedHttpServer server;

  private Api api() {
    InMemoryResultView view = new InMemoryResultView();
    IngestImage ingest =
        new IngestImage(new ImageInspector(config.imageLimits()), images, events, queue, Clock.systemUTC(), config);
    ClassifyImages classify = new ClassifyImages(events, images, new FakeCatDetector(0.3), Clock.systemUTC(), config);
    return Api.builder().ingest(ingest).query(new QueryResults(view, events))
        .replay(new ReplayEvents(events, view, classify, Clock.systemUTC(), config)).deadLetters(queue).build();
  }

  private URI start(HttpServerConfig serverConfig) throws IOException {
    server = EmbeddedHttpServer.start(api(), serverConfig,
        out -> out.gauge("catwrangler_test_gauge", "A runtime gauge.", 42));
    return server.url();
  }

  private URI start() throws IOException {
    return start(HttpServerConfig.loopback(0).withAccessLog(false));
  }

  /**
   * A server whose bodies must reach 1 KiB/s after half a second and whose headers must be complete a second after
   * their first byte: slow clients are found in a test's time.
   */
  private URI startStrict(HttpServerConfig serverConfig) throws IOException {
    server = EmbeddedHttpServer.start(api(), serverConfig, out -> {},
        new RequestBody.Rules(1024, Duration.ofMillis(500), 64L * 1024 * 1024), Duration.ofSeconds(1));
    return server.url();
  }

  /** Sends {@code head} on a new socket and returns the whole response (the server closes after it). */
  private static String raw(URI base, String head) throws IOException {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static byte[] png() throws IOException {
    var image = new java.awt.image.BufferedImage(20, 10, java.awt.image.BufferedImage.TYPE_INT_RGB);
    image.setRGB(3, 3, 0xFF0000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return MAPPER.readTree(response.body());
  }

  @Test
  void uploads_and_queries_go_through_with_json_and_request_ids() throws Exception {
    URI base = start();
    ApiClient client = new ApiClient(base, Optional.empty(), Duration.ofSeconds(30));
    byte[] png = png();
    ApiClient.Reply reply = client.upload(png, Optional.of("chat noir été.png"), Optional.of("b1"), Optional.empty(),
        false);
    assertThat(reply.status()).isEqualTo(202);
    assertThat(reply.requestId()).isNotBlank();
    String id = reply.body().path("image_id").asText();
    assertThat(id).isEqualTo(ImageId.sha256Of(png).value());

    ApiClient.Reply image = client.get("/images/" + id);
    assertThat(image.status()).isEqualTo(200);
    assertThat(image.body().path("submissions").get(0).path("file_name").asText()).isEqualTo("chat noir été.png");
    assertThat(client.get("/images/nope").describeError()).startsWith("400 INVALID_ID");
  }

  @Test
  void a_multipart_form_posted_over_http_is_accepted() throws Exception {
    URI base = start();
    byte[] png = png();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--XX\r\nContent-Disposition: form-data; name=\"batch_id\"\r\n\r\nweb\r\n"
        + "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(png);
    body.writeBytes("\r\n--XX--\r\n".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/images"))
        .header("Content-Type", "multipart/form-data; boundary=XX")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(json(r).path("batch_id").asText()).isEqualTo("web");
  }

  @Test
  void a_declared_length_over_the_limit_is_refused_before_reading_and_nothing_is_stored() throws Exception {
    URI base = start();
    byte[] big = new byte[(int) LIMIT + 1];
    big[0] = (byte) 0xFF;
    big[1] = (byte) 0xD8;
    big[2] = (byte) 0xFF;
    HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/images"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).path("error").asText()).isEqualTo("TOO_LARGE");
    assertThat(json(r).path("limit_bytes").asLong()).isEqualTo(LIMIT);
    assertThat(images.size()).isZero();
    assertThat(events.all()).isEmpty();
    // the connection stays usable: the refused body was drained
    assertThat(send(HttpRequest.newBuilder(base.resolve("/healthz")).build()).statusCode()).isEqualTo(200);
  }

  @Test
  void a_body_without_length_is_cut_off_once_it_passes_the_limit() throws Exception {
    URI base = start();
    AtomicLong sent = new AtomicLong();
    long total = 50L * LIMIT;
    HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/images"))
        .POST(endless(total, sent)).build()); // no Content-Length: chunked
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).path("message").asText()).contains("more than");
    assertThat(images.size()).isZero();
  }

  @Test
  void a_body_without_length_under_the_limit_is_read_whole_and_a_get_without_body_reads_nothing() throws Exception {
    URI base = start();
    byte[] png = png();
    // no Content-Length: the server reads until the end of the chunked body
    HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/images"))
        .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(png))).build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    ImageId id = ImageId.sha256Of(png);
    assertThat(json(r).path("image_id").asText()).isEqualTo(id.value());
    assertThat(images.get(id)).hasValueSatisfying(stored -> assertThat(stored).isEqualTo(png));
    // a GET has neither a length nor a body; it is answered normally
    HttpResponse<String> status = send(HttpRequest.newBuilder(base.resolve("/images/" + id.value())).build());
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(json(status).path("image_id").asText()).isEqualTo(id.value());
  }

  @Test
  void a_declared_length_far_beyond_what_is_drained_closes_the_connection_after_the_413() throws Exception {
    URI base = start();
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /images HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8); // ends: the server closed
      assertThat(response).startsWith("HTTP/1.1 413").contains("Connection: close").contains("TOO_LARGE");
    }
  }

  @Test
  void with_a_token_every_route_but_health_needs_it() throws Exception {
    URI base = start(new HttpServerConfig("127.0.0.1", 0, Optional.of(TOKEN), false));
    HttpResponse<String> none = send(HttpRequest.newBuilder(base.resolve("/batches/b1")).build());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(json(none).path("error").asText()).isEqualTo("UNAUTHORIZED");
    HttpResponse<String> wrong = send(HttpRequest.newBuilder(base.resolve("/batches/b1"))
        .header("Authorization", "Bearer " + TOKEN + "x").build());
    assertThat(wrong.statusCode()).isEqualTo(401);
    HttpResponse<String> upload = send(HttpRequest.newBuilder(base.resolve("/images"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(png())).build());
    assertThat(upload.statusCode()).isEqualTo(401);
    assertThat(images.size()).isZero();
    assertThat(send(HttpRequest.newBuilder(base.resolve("/metrics")).build()).statusCode()).isEqualTo(401);

    assertThat(send(HttpRequest.newBuilder(base.resolve("/healthz")).build()).statusCode()).isEqualTo(200);
    ApiClient client = new ApiClient(base, Optional.of(TOKEN), Duration.ofSeconds(30));
    assertThat(client.upload(png(), Optional.empty(), Optional.of("b1"), Optional.empty(), false).status())
        .isEqualTo(202);
    assertThat(client.get("/batches/b1").status()).isIn(200, 404); // authorised; the fake view is not projected
  }

  @Test
  void without_a_token_the_401_comes_before_any_of_the_body_is_read() throws Exception {
    URI base = start(new HttpServerConfig("127.0.0.1", 0, Optional.of(TOKEN), false));
    // 10 MB announced and not one byte sent: the answer must not wait for the body
    String response = raw(base, "POST /images HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 401").contains("Connection: close").contains("\"UNAUTHORIZED\"");
    assertThat(images.size()).isZero();
  }

  @Test
  void a_body_that_trickles_is_cut_off_with_408_once_below_the_minimum_rate() throws Exception {
    URI base = startStrict(HttpServerConfig.loopback(0).withAccessLog(false));
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("POST /images HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String response = null;
      // 10 bytes every 100 ms (100 B/s): under the 1 KiB/s minimum, so cut off soon after the half-second grace
      for (int i = 0; i < 50 && response == null; i++) {
        try {
          out.write(new byte[10]);
          out.flush();
        } catch (IOException closed) {
          break;
        }
        Thread.sleep(100);
        if (in.available() > 0) {
          response = new String(in.readNBytes(in.available()), StandardCharsets.UTF_8);
        }
      }
      if (response == null) {
        response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertThat(response).startsWith("HTTP/1.1 408").contains("REQUEST_TIMEOUT").contains("too slowly");
    }
    assertThat(images.size()).isZero();
  }

  @Test
  void headers_that_trickle_are_cut_off_after_the_deadline_and_a_quiet_keep_alive_connection_is_not()
      throws Exception {
    URI base = startStrict(HttpServerConfig.loopback(0).withAccessLog(false));
    try (Socket trickling = new Socket(base.getHost(), base.getPort());
        Socket quiet = new Socket(base.getHost(), base.getPort())) {
      trickling.setSoTimeout(10_000);
      OutputStream out = trickling.getOutputStream();
      out.write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      boolean closed = false;
      // a byte every 200 ms restarts the idle timeout each time; the header deadline (1 s) does not restart
      for (int i = 0; i < 40 && !closed; i++) {
        Thread.sleep(200);
        try {
          out.write('a');
          out.flush();
        } catch (IOException e) {
          closed = true;
        }
      }
      if (!closed) {
        closed = trickling.getInputStream().read() == -1;
      }
      assertThat(closed).as("the server closed the connection").isTrue();

      // a keep-alive connection that sent a whole request and then nothing is still open
      quiet.setSoTimeout(10_000);
      quiet.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      Thread.sleep(2_000);
      quiet.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      String answers = new String(quiet.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answers.split("HTTP/1.1 200", -1)).hasSize(3);
    }
  }

  @Test
  void health_and_queries_are_answered_while_more_clients_trickle_bodies_than_the_server_has_threads()
      throws Exception {
    URI base = start();
    java.util.List<Socket> slow = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 80; i++) { // more than the 64 HTTP threads
        Socket socket = new Socket(base.getHost(), base.getPort());
        slow.add(socket);
        socket.getOutputStream().write("POST /images HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nab"
            .getBytes(StandardCharsets.US_ASCII));
      }
      Thread.sleep(300); // every one of them is in the server, waiting for its body
      HttpClient quick = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpResponse<String> health = quick.send(HttpRequest.newBuilder(base.resolve("/healthz"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      HttpResponse<String> upload = quick.send(HttpRequest.newBuilder(base.resolve("/images"))
          .timeout(Duration.ofSeconds(2)).POST(HttpRequest.BodyPublishers.ofByteArray(png())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  @Test
  void what_jetty_refuses_itself_is_answered_in_the_api_json_shape() throws Exception {
    URI base = start();
    String[][] cases = {
      {"GET /images/%2e%2e/x HTTP/1.1\r\nHost: x\r\n\r\n", "400", "BAD_REQUEST"},
      {"GET /images/a%2fb HTTP/1.1\r\nHost: x\r\n\r\n", "400", "BAD_REQUEST"},
      {"GET /images/a%00b HTTP/1.1\r\nHost: x\r\n\r\n", "400", "BAD_REQUEST"},
      {"GET /images/%C0%AF HTTP/1.1\r\nHost: x\r\n\r\n", "400", "BAD_REQUEST"},
      {"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n", "400", "BAD_REQUEST"},
      {"GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", "414", "URI_TOO_LONG"},
      {"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n", "431",
          "HEADERS_TOO_LARGE"},
    };
    for (String[] c : cases) {
      String response = raw(base, c[0].replace("Host: x\r\n", "Host: x\r\nConnection: close\r\n"));
      String what = c[0].length() > 60 ? c[0].substring(0, 60) : c[0];
      assertThat(response).as(what).startsWith("HTTP/1.1 " + c[1]);
      assertThat(response).as(what).containsIgnoringCase("Content-Type: application/json");
      JsonNode body = MAPPER.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
      assertThat(body.path("error").asText()).as(what).isEqualTo(c[2]);
      assertThat(body.path("message").asText()).as(what).isNotBlank().doesNotContain("<");
    }
  }

  @Test
  void binding_beyond_loopback_requires_a_strong_token() {
    assertThatThrownBy(() -> new HttpServerConfig("0.0.0.0", 8080, Optional.empty(), true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token");
    assertThatThrownBy(() -> new HttpServerConfig("192.0.2.10", 8080, Optional.empty(), true))
        .hasMessageContaining("token");
    assertThatThrownBy(() -> new HttpServerConfig("0.0.0.0", 8080, Optional.of("short"), true))
        .hasMessageContaining("at least 16");
    assertThat(new HttpServerConfig("0.0.0.0", 8080, Optional.of(TOKEN), true).token()).contains(TOKEN);
    for (String loopback : new String[] {"127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"}) {
      assertThat(new HttpServerConfig(loopback, 8080, Optional.empty(), true).token()).as(loopback).isEmpty();
    }
  }

  @Test
  void metrics_are_prometheus_text_with_http_counts_by_route_and_the_runtime_gauges() throws Exception {
    URI base = start();
    send(HttpRequest.newBuilder(base.resolve("/images/" + "a".repeat(64))).build());
    send(HttpRequest.newBuilder(base.resolve("/images/" + "b".repeat(64))).build());
    send(HttpRequest.newBuilder(base.resolve("/nothing")).build());
    HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/metrics")).build());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(r.body())
        .contains("catwrangler_test_gauge 42")
        .contains("catwrangler_http_requests_total{route=\"GET /images/{id}\",status=\"404\"} 2")
        .contains("catwrangler_http_requests_total{route=\"unmatched\",status=\"404\"} 1")
        .contains("catwrangler_http_request_duration_seconds_bucket{route=\"GET /images/{id}\",le=\"+Inf\"} 2")
        .contains("# TYPE catwrangler_http_request_duration_seconds histogram")
        .doesNotContain("aaaaaaaa");
    assertThat(server.metrics().count("GET /images/{id}", 404)).isEqualTo(2);
  }

  @Test
  void a_web_page_is_served_at_the_root_without_a_token() throws Exception {
    URI base = start();
    HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/")).build());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(r.body()).contains("<html");
  }

  @Test
  void a_wrong_method_is_405_with_allow() throws Exception {
    URI base = start();
    HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/healthz"))
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).contains("GET");
  }

  @Test
  void the_route_label_never_holds_an_id() {
    assertThat(ApiHandler.routeLabel("GET", "/images/" + "a".repeat(64) + "/events")).isEqualTo("GET /images/{id}/events");
    assertThat(ApiHandler.routeLabel("GET", "/metrics")).isEqualTo("GET /metrics");
    assertThat(ApiHandler.routeLabel("PUT", "/x")).isEqualTo("unmatched");
    assertThat(ApiHandler.routeLabel("GET", "/")).isEqualTo("GET /");
  }

  @Test
  void the_client_percent_encodes_what_a_header_cannot_carry() {
    assertThat(ApiClient.percentEncoded("plain name.jpg")).isEqualTo("plain name.jpg");
    assertThat(ApiClient.percentEncoded("été%.jpg")).isEqualTo("%C3%A9t%C3%A9%25.jpg");
    assertThat(ApiClient.percentEncoded("a\r\nb")).isEqualTo("a%0D%0Ab");
  }

  /** A body of {@code total} bytes of JPEG-looking data with no declared length. */
  private static HttpRequest.BodyPublisher endless(long total, AtomicLong sent) {
    return HttpRequest.BodyPublishers.fromPublisher(new Flow.Publisher<>() {
      @Override
      public void subscribe(Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Flow.Subscription() {
          private boolean done;

          @Override
          public synchronized void request(long n) {
            for (long i = 0; i < n && !done; i++) {
              if (sent.get() >= total) {
                done = true;
                subscriber.onComplete();
                return;
              }
              byte[] chunk = new byte[16 * 1024];
              chunk[0] = (byte) 0xFF;
              sent.addAndGet(chunk.length);
              subscriber.onNext(java.nio.ByteBuffer.wrap(chunk));
            }
          }

          @Override
          public synchronized void cancel() {
            done = true;
          }
        });
      }
    });
  }
}
