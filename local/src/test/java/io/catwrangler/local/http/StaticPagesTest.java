package io.catwrangler.local.http;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.catwrangler.core.query.ReadImageContent;
import io.catwrangler.core.replay.ReplayEvents;
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
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The web page's files over real HTTP: types, caching, no way out of the folder, and the token still guarding the API. */
class StaticPagesTest {
  private static final String TOKEN = "0123456789abcdef-secret";

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private EmbeddedHttpServer server;

  private URI start(HttpServerConfig config) throws IOException {
    PipelineConfig pipeline = new PipelineConfig(ImageLimits.DEFAULT, 0.3, 3, 10);
    InMemoryEventStore events = new InMemoryEventStore();
    InMemoryImageStore images = new InMemoryImageStore();
    InMemoryWorkQueue queue = new InMemoryWorkQueue(3, Clock.systemUTC());
    InMemoryResultView view = new InMemoryResultView();
    IngestImage ingest = new IngestImage(new ImageInspector(ImageLimits.DEFAULT), images, events, queue,
        Clock.systemUTC(), pipeline);
    ClassifyImages classify = new ClassifyImages(events, images, new FakeCatDetector(0.3), Clock.systemUTC(), pipeline);
    Api api = Api.builder().ingest(ingest).query(new QueryResults(view, events))
        .replay(new ReplayEvents(events, view, classify, Clock.systemUTC(), pipeline)).deadLetters(queue)
        .content(new ReadImageContent(images)).build();
    server = EmbeddedHttpServer.start(api, config, out -> {});
    return server.url();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private HttpResponse<String> get(URI base, String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void the_page_and_its_files_are_served_with_their_types_and_a_strict_policy() throws Exception {
    URI base = start(HttpServerConfig.loopback(0).withAccessLog(false));
    HttpResponse<String> page = get(base, "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
        assertThat(csp).contains("script-src 'self'").contains("connect-src 'self'").doesNotContain("unsafe"));
    assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/app.js\">");
    assertThat(get(base, "/index.html").body()).isEqualTo(page.body());

    assertThat(get(base, "/ui/app.js").headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
    assertThat(get(base, "/ui/app.css").headers().firstValue("Content-Type")).contains("text/css; charset=utf-8");
    assertThat(get(base, "/ui/icon.svg").headers().firstValue("Content-Type")).contains("image/svg+xml");
    for (String module : new String[] {"api.js", "dom.js", "notice.js", "upload.js", "image.js", "batch.js",
        "dead-letters.js"}) {
      HttpResponse<String> js = get(base, "/ui/" + module);
      assertThat(js.statusCode()).as(module).isEqualTo(200);
      assertThat(js.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }
    assertThat(server.metrics().count(StaticPages.ASSET_ROUTE, 200)).isGreaterThanOrEqualTo(10);
  }

  @Test
  void a_browser_revalidates_with_the_etag() throws Exception {
    URI base = start(HttpServerConfig.loopback(0).withAccessLog(false));
    HttpResponse<String> first = get(base, "/ui/app.css");
    assertThat(first.headers().firstValue("Cache-Control")).contains("no-cache");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again = get(base, "/ui/app.css", "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(get(base, "/ui/app.css", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
  }

  @Test
  void nothing_outside_the_folder_or_of_an_unknown_kind_is_served() throws Exception {
    URI base = start(HttpServerConfig.loopback(0).withAccessLog(false));
    assertThat(get(base, "/ui/nope.js").statusCode()).isEqualTo(404);
    assertThat(get(base, "/ui/").statusCode()).isEqualTo(404);
    assertThat(get(base, "/ui/index.HTML").statusCode()).isEqualTo(404);
    // a class file sits in the jar like the page's files do; its name is not one the folder serves
    assertThat(get(base, "/ui/StaticPages.class").statusCode()).isEqualTo(404);
    for (String path : new String[] {"/ui/../http/index.html", "/ui/..%2fhttp%2findex.html",
        "/ui/%2e%2e/%2e%2e/catwrangler/local/http/StaticPages.class", "/ui//etc/passwd", "/ui/sub/app.js"}) {
      assertThat(raw(base, path)).as(path).doesNotStartWith("HTTP/1.1 200");
    }
  }

  @Test
  void without_the_token_the_page_loads_but_the_api_stays_closed() throws Exception {
    URI base = start(new HttpServerConfig("127.0.0.1", 0, Optional.of(TOKEN), false));
    assertThat(get(base, "/").statusCode()).isEqualTo(200);
    assertThat(get(base, "/ui/app.js").statusCode()).isEqualTo(200);
    String id = "a".repeat(64);
    assertThat(get(base, "/images/" + id).statusCode()).isEqualTo(401);
    assertThat(get(base, "/images/" + id + "/content").statusCode()).isEqualTo(401);
    assertThat(get(base, "/images/" + id + "/content", "Authorization", "Bearer " + TOKEN).statusCode())
        .isEqualTo(404);
  }

  @Test
  void only_get_and_head_are_answered_by_the_files() throws Exception {
    URI base = start(HttpServerConfig.loopback(0).withAccessLog(false));
    HttpResponse<String> head = http.send(HttpRequest.newBuilder(base.resolve("/ui/app.js"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(base.resolve("/ui/app.js"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(404);
    assertThat(post.body()).contains("\"error\"");
  }

  /** The status line for a path sent exactly as written (HttpClient would normalise it). */
  private static String raw(URI base, String path) throws IOException {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      return response.lines().findFirst().orElse("");
    }
  }
}
