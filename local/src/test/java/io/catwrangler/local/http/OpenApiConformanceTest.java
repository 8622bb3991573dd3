package io.catwrangler.local.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.catwrangler.api.Api;
import io.catwrangler.api.Route;
import io.catwrangler.core.classify.ClassifyAttempt;
import io.catwrangler.core.classify.ClassifyImages;
import io.catwrangler.core.config.PipelineConfig;
import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.image.ImageLimits;
import io.catwrangler.core.image.TestImages;
import io.catwrangler.core.ingest.IngestImage;
import io.catwrangler.core.label.RecordLabel;
import io.catwrangler.core.notify.NotificationDeadLetters;
import io.catwrangler.core.notify.NotifyDefaults;
import io.catwrangler.core.notify.ProjectionNotifications;
import io.catwrangler.core.port.LabelledAnswers;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.ImageStore;
import io.catwrangler.core.port.Lease;
import io.catwrangler.core.port.ResultView;
import io.catwrangler.core.port.StorageFullException;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.core.port.WorkQueue;
import io.catwrangler.core.projection.ProjectEventFeed;
import io.catwrangler.core.quality.MeasureQuality;
import io.catwrangler.core.query.QueryResults;
import io.catwrangler.core.query.ReadImageContent;
import io.catwrangler.core.replay.ReplayEvents;
import io.catwrangler.events.ImageId;
import io.catwrangler.local.fs.FileImageStore;
import io.catwrangler.local.notify.NotificationOutbox;
import io.catwrangler.local.runtime.RuntimeHealth;
import io.catwrangler.local.sqlite.SqliteDatabase;
import io.catwrangler.local.sqlite.SqliteEventStore;
import io.catwrangler.local.sqlite.SqliteResultView;
import io.catwrangler.local.sqlite.SqliteWorkQueue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/openapi.json against reality: real HTTP requests to the embedded server (real SQLite, real image files, the
 * fake detector) produce every status of every operation the document lists, and each real response's status,
 * content type, required headers and body are validated against the document. The document must name every
 * {@link Route}, and list every error code of docs/api.md.
 */
class OpenApiConformanceTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String TOKEN = "conformance-token-0123456789";
  private static final long LIMIT = 256 * 1024;
  private static final Path DOCUMENT = Path.of("..", "docs", "openapi.json");
  private static final Path API_DOC = Path.of("..", "docs", "api.md");
  /** The routes the embedded server answers besides {@link Route}'s (ApiHandler's own). */
  private static final Set<String> EMBEDDED_ONLY = Set.of("GET /metrics");

  @TempDir Path folder;
  private final Faults faults = new Faults();
  private final AtomicBoolean healthy = new AtomicBoolean(true);
  private SqliteDatabase db;
  private EmbeddedHttpServer server;
  private EmbeddedHttpServer withoutContent;
  private JsonNode doc;
  private JsonSchemaFactory schemas;
  private String cat;
  private String deadLetterId;
  private String deadNotificationId;
  private volatile boolean noToken;

  /** Makes every call to the wrapped ports fail the way a store does, on demand. */
  private static final class Faults {
    volatile Optional<Supplier<RuntimeException>> failure = Optional.empty();

    @SuppressWarnings("unchecked")
    <T> T wrap(Class<T> port, T target) {
      return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
        if (method.getDeclaringClass() != Object.class && failure.isPresent()) {
          throw failure.get().get();
        }
        try {
          return method.invoke(target, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      });
    }

    Raw during(Supplier<RuntimeException> cause, Supplier<Raw> request) {
      failure = Optional.of(cause);
      try {
        return request.get();
      } finally {
        failure = Optional.empty();
      }
    }
  }

  /** A response as it came off the socket; header names in lower case. */
  private record Raw(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String mediaType() {
      String type = header("content-type");
      return type == null ? null : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  @BeforeEach
  void start() throws IOException {
    doc = MAPPER.readTree(DOCUMENT.toFile());
    schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    db = SqliteDatabase.open(folder.resolve(SqliteDatabase.FILE_NAME));
    Clock clock = Clock.systemUTC();
    PipelineConfig config = new PipelineConfig(new ImageLimits(LIMIT, 10_000, 50_000_000), 0.5, 3, 10);
    SqliteEventStore events = new SqliteEventStore(db);
    SqliteResultView view = new SqliteResultView(db);
    SqliteWorkQueue queue = new SqliteWorkQueue(db, 3, clock);
    FileImageStore images = new FileImageStore(folder.resolve("images"), "images/", false);
    EventStore failingEvents = faults.wrap(EventStore.class, events);
    ResultView failingView = faults.wrap(ResultView.class, view);
    WorkQueue failingQueue = faults.wrap(WorkQueue.class, queue);
    ImageStore failingImages = faults.wrap(ImageStore.class, images);
    ClassifyImages classify = new ClassifyImages(events, images, new FakeCatDetector(0.5), clock, config);
    IngestImage ingest = new IngestImage(new ImageInspector(config.imageLimits()), failingImages, failingEvents,
        failingQueue, clock, config);
    QueryResults query = new QueryResults(failingView, failingEvents);
    ReplayEvents replay = new ReplayEvents(failingEvents, failingView, classify, clock, config);
    Supplier<Api.Health> health = () -> EmbeddedApi.health(healthy.get()
        ? new RuntimeHealth(true, true, List.of())
        : new RuntimeHealth(false, true, List.of("the disk holding the data is full")), 1);
    NotificationOutbox outbox = new NotificationOutbox(db, new ProjectionNotifications(NotifyDefaults.NONE), clock,
        Duration.ofSeconds(1), () -> {});
    Api.Builder routes = Api.builder().health(health).ingest(ingest).query(query).replay(replay)
        .deadLetters(failingQueue);
    Api withoutContentApi = routes.build();
    Api api = routes.content(new ReadImageContent(failingImages))
        .labelRecording(new RecordLabel(failingEvents, clock, config))
        .quality(new MeasureQuality(faults.wrap(LabelledAnswers.class, view), classify.model(), config))
        .notificationDeadLetters(faults.wrap(NotificationDeadLetters.class, outbox))
        .build();
    HttpServerConfig withToken = new HttpServerConfig("127.0.0.1", 0, Optional.of(TOKEN), false);
    // bodies must reach 1 KiB/s after half a second: a stalled upload is a 408 in a test's time
    server = EmbeddedHttpServer.start(api, withToken, out -> out.gauge("catwrangler_up", "Up.", 1),
        new RequestBody.Rules(1024, Duration.ofMillis(500), 64L * 1024 * 1024), Duration.ofSeconds(5));
    withoutContent = EmbeddedHttpServer.start(
        withoutContentApi, withToken, out -> {});

    // one classified cat in batch b1; one image whose classify request was given up on (a dead letter)
    cat = ImageId.sha256Of(TestImages.jpeg(40, 30)).value();
    assertThat(send("POST", "/images", Map.of("X-Batch-Id", "b1", "X-File-Name", "cat.jpg"),
        TestImages.jpeg(40, 30)).status()).isEqualTo(202);
    for (Lease lease : queue.lease(10, Duration.ofMinutes(1))) {
      assertThat(classify.classify(new ClassifyAttempt(lease.request(), lease.attempt())).settled()).isTrue();
      queue.ack(lease);
    }
    assertThat(send("POST", "/images", Map.of("X-Batch-Id", "b1"), TestImages.png(33, 21)).status()).isEqualTo(202);
    for (Lease lease : queue.lease(10, Duration.ofMinutes(1))) {
      queue.deadLetter(lease, "max attempts reached");
    }
    deadLetterId = queue.deadLetters(10).get(0).id();
    // a webhook given up on, as the delivery thread leaves one after its last attempt
    db.write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO notify_outbox (notification_id, type, subject, url, body, created_at, next_attempt_at,"
            + " attempts, last_error, dead_at) VALUES ('n-1', 'batch.completed', 'b1', 'http://127.0.0.1:9/hook',"
            + " '{}', 1000, 1000, 8, 'connection refused', 2000)");
      }
      return null;
    });
    deadNotificationId = outbox.list(10).get(0).id();
    new ProjectEventFeed(events, events, view, 100).catchUp();
  }

  @AfterEach
  void stop() {
    for (EmbeddedHttpServer s : new EmbeddedHttpServer[] {server, withoutContent}) {
      if (s != null) {
        s.close();
      }
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void every_route_is_in_the_document() {
    List<String> missing = new ArrayList<>();
    for (Route route : Route.values()) {
      if (doc.path("paths").path(route.template()).path(route.method().toLowerCase(Locale.ROOT)).isMissingNode()) {
        missing.add(route.name() + " (" + route.label() + ")");
      }
    }
    assertThat(missing)
        .as("Route constants with no operation in docs/openapi.json: add each under paths → its template → its method,"
            + " with every status it answers, and a request for each status to OpenApiConformanceTest.requests()")
        .isEmpty();
    for (String operation : operations().keySet()) {
      String[] mp = operation.split(" ", 2);
      assertThat(Api.route(mp[0], mp[1].replace("{id}", "x")).isPresent() || EMBEDDED_ONLY.contains(operation))
          .as(operation + " is in docs/openapi.json but no route of the embedded server answers it").isTrue();
    }
  }

  @Test
  void every_error_code_of_api_md_is_in_the_document() throws IOException {
    Set<String> documented = new TreeSet<>();
    Matcher rows = Pattern.compile("(?m)^\\| \\d{3} \\| `([A-Z_]+)` \\|").matcher(Files.readString(API_DOC));
    while (rows.find()) {
      documented.add(rows.group(1));
    }
    assertThat(documented).hasSizeGreaterThan(15);
    assertThat(errorCodes(doc)).isEqualTo(documented);
  }

  @Test
  void the_served_document_is_docs_openapi_json() throws IOException {
    Raw r = send("GET", "/openapi.json", Map.of("Authorization", ""), null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(Files.readAllBytes(DOCUMENT));
  }

  @Test
  void every_status_of_every_operation_is_what_the_server_answers() {
    Map<String, List<Supplier<Raw>>> requests = requests();
    Set<String> seenCodes = new TreeSet<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, JsonNode> operation : operations().entrySet()) {
      Iterator<Map.Entry<String, JsonNode>> statuses = operation.getValue().path("responses").fields();
      while (statuses.hasNext()) {
        Map.Entry<String, JsonNode> status = statuses.next();
        String key = operation.getKey() + " " + status.getKey();
        List<Supplier<Raw>> producers = requests.remove(key);
        if (producers == null) {
          problems.add(key + ": listed in docs/openapi.json, but no request in this test produces it: add one");
          continue;
        }
        for (Supplier<Raw> producer : producers) {
          Raw r = producer.get();
          problems.addAll(validate(key, Integer.parseInt(status.getKey()), resolve(status.getValue()), r, seenCodes));
        }
      }
    }
    for (Map.Entry<String, JsonNode> component : iterable(doc.path("components").path("responses").fields())) {
      String key = "components/responses/" + component.getKey();
      List<Supplier<Raw>> producers = requests.remove(key);
      if (producers != null) {
        for (Supplier<Raw> producer : producers) {
          int status = Integer.parseInt(component.getValue().path("x-status").asText(
              component.getKey().equals("NoRoute") ? "404" : "405"));
          problems.addAll(validate(key, status, component.getValue(), producer.get(), seenCodes));
        }
      }
    }
    requests.keySet().forEach(k -> problems.add(k + ": this test produces it, but docs/openapi.json does not list it"));
    assertThat(problems).isEmpty();
    assertThat(seenCodes).as("error codes the server really answered").isEqualTo(errorCodes(doc));
  }

  /** How to produce each documented status, keyed "METHOD /template STATUS". */
  private Map<String, List<Supplier<Raw>>> requests() {
    Map<String, List<Supplier<Raw>>> r = new LinkedHashMap<>();
    String unknown = "c".repeat(64);
    byte[] jpeg = TestImages.jpeg(41, 29);
    Supplier<RuntimeException> unavailable = () -> new StorageUnavailableException("injected: store down", null);
    Supplier<RuntimeException> bug = () -> new IllegalStateException("injected bug");
    Supplier<RuntimeException> full = () -> new StorageFullException("injected: disk full", null);

    // every route that reads or writes a store: 401 without the token, 500 on a bug, 503 when a store is down
    Map<String, Supplier<Raw>> valid = new LinkedHashMap<>();
    valid.put("POST /images", () -> send("POST", "/images", Map.of("X-Batch-Id", "b2"), jpeg));
    valid.put("GET /images/{id}", () -> get("/images/" + cat));
    valid.put("GET /images/{id}/events", () -> get("/images/" + cat + "/events"));
    valid.put("GET /images/{id}/content", () -> get("/images/" + cat + "/content"));
    valid.put("GET /batches/{id}", () -> get("/batches/b1"));
    valid.put("GET /batches/{id}/results", () -> get("/batches/b1/results"));
    valid.put("POST /admin/replay", () -> send("POST", "/admin/replay", Map.of(), new byte[0]));
    valid.put("GET /admin/dead-letters", () -> get("/admin/dead-letters"));
    valid.put("POST /admin/dead-letters/{id}/retry", () -> send("POST", "/admin/dead-letters/" + deadLetterId
        + "/retry", Map.of(), new byte[0]));
    valid.put("POST /admin/dead-letters/retry", () -> send("POST", "/admin/dead-letters/retry", Map.of(), new byte[0]));
    valid.put("POST /images/{id}/labels", () -> send("POST", "/images/" + cat + "/labels",
        Map.of("Content-Type", "application/json"), "{\"cat\": true, \"by\": \"ana\"}".getBytes(StandardCharsets.UTF_8)));
    valid.put("GET /quality", () -> get("/quality"));
    valid.put("GET /admin/notifications/dead-letters", () -> get("/admin/notifications/dead-letters"));
    valid.put("POST /admin/notifications/dead-letters/{id}/retry", () -> {
      killNotificationAgain(); // a retry of all of them may have revived it
      return send("POST", "/admin/notifications/dead-letters/" + deadNotificationId + "/retry", Map.of(), new byte[0]);
    });
    valid.put("POST /admin/notifications/dead-letters/retry", () -> send("POST",
        "/admin/notifications/dead-letters/retry", Map.of(), new byte[0]));
    valid.forEach((operation, request) -> {
      add(r, operation + " 401", () -> unauthenticated(request));
      add(r, operation + " 500", () -> faults.during(bug, request));
      add(r, operation + " 503", () -> faults.during(unavailable, request));
    });
    add(r, "GET /metrics 401", () -> send("GET", "/metrics", Map.of("Authorization", ""), null));

    add(r, "POST /images 202", valid.get("POST /images"));
    add(r, "POST /images 400", () -> send("POST", "/images", Map.of("X-Batch-Id", "-bad"), jpeg));
    add(r, "POST /images 400", () -> send("POST", "/images", Map.of("X-Debug", "maybe"), jpeg));
    add(r, "POST /images 400", () -> send("POST", "/images",
        Map.of("Content-Type", "multipart/form-data; boundary=XX"), "--XX--\r\n".getBytes(StandardCharsets.US_ASCII)));
    add(r, "POST /images 400", () -> exchange("POST /images HTTP/1.1\r\n" + auth() + "Content-Length: 5000\r\n\r\n",
        new byte[100], true));
    add(r, "POST /images 408", () -> exchange("POST /images HTTP/1.1\r\n" + auth() + "Content-Length: 100000\r\n\r\n",
        new byte[10], false));
    add(r, "POST /images 413", () -> exchange("POST /images HTTP/1.1\r\n" + auth() + "Content-Length: " + (LIMIT + 1)
        + "\r\nExpect: 100-continue\r\n\r\n", new byte[0], false));
    add(r, "POST /images 415", () -> send("POST", "/images", Map.of(), TestImages.webp()));
    add(r, "POST /images 422", () -> send("POST", "/images", Map.of(), TestImages.pngHeaderOnly(30_000, 30_000)));
    add(r, "POST /images 507", () -> faults.during(full, valid.get("POST /images")));

    add(r, "GET /images/{id} 200", () -> get("/images/" + cat + "?debug=true"));
    add(r, "GET /images/{id} 400", () -> get("/images/nope"));
    add(r, "GET /images/{id} 400", () -> get("/images/" + cat + "?debug=maybe"));
    add(r, "GET /images/{id} 400", () -> get("/images/a%2Fb"));
    add(r, "GET /images/{id} 404", () -> get("/images/" + unknown));
    add(r, "GET /images/{id} 414", () -> get("/images/" + cat + "?x=" + "y".repeat(9 * 1024)));
    add(r, "GET /images/{id} 431", () -> send("GET", "/images/" + cat, Map.of("X-Big", "z".repeat(9 * 1024)), null));

    add(r, "GET /images/{id}/events 200", valid.get("GET /images/{id}/events"));
    add(r, "GET /images/{id}/events 400", () -> get("/images/nope/events"));
    add(r, "GET /images/{id}/events 404", () -> get("/images/" + unknown + "/events"));

    add(r, "GET /images/{id}/content 200", valid.get("GET /images/{id}/content"));
    add(r, "GET /images/{id}/content 400", () -> get("/images/nope/content"));
    add(r, "GET /images/{id}/content 404", () -> get("/images/" + unknown + "/content"));
    add(r, "GET /images/{id}/content 501", () -> send(withoutContent.url(), "GET", "/images/" + cat + "/content",
        Map.of(), null));

    add(r, "GET /batches/{id} 200", valid.get("GET /batches/{id}"));
    add(r, "GET /batches/{id} 400", () -> get("/batches/-bad"));
    add(r, "GET /batches/{id} 400", () -> get("/batches/b1?limit=0"));
    add(r, "GET /batches/{id} 404", () -> get("/batches/nobody"));

    add(r, "GET /batches/{id}/results 200", valid.get("GET /batches/{id}/results"));
    add(r, "GET /batches/{id}/results 200", () -> send("GET", "/batches/b1/results", Map.of("Accept", "text/csv"),
        null));
    add(r, "GET /batches/{id}/results 400", () -> get("/batches/-bad/results"));
    add(r, "GET /batches/{id}/results 400", () -> get("/batches/b1/results?cursor=forged"));
    add(r, "GET /batches/{id}/results 404", () -> get("/batches/nobody/results"));
    add(r, "GET /batches/{id}/results 406", () -> send("GET", "/batches/b1/results",
        Map.of("Accept", "application/json"), null));

    add(r, "POST /admin/replay 200", () -> send("POST", "/admin/replay", Map.of("Content-Type", "application/json"),
        "{\"threshold\": 0.5}".getBytes(StandardCharsets.UTF_8)));
    add(r, "POST /admin/replay 400", () -> send("POST", "/admin/replay", Map.of(), "not json".getBytes(
        StandardCharsets.UTF_8)));
    add(r, "POST /admin/replay 400", () -> send("POST", "/admin/replay?threshold=2", Map.of(), new byte[0]));
    add(r, "POST /admin/replay 400", () -> send("POST", "/admin/replay?image_id=nope", Map.of(), new byte[0]));
    add(r, "POST /admin/replay 404", () -> send("POST", "/admin/replay?image_id=" + unknown, Map.of(), new byte[0]));
    add(r, "POST /admin/replay 413", () -> send("POST", "/admin/replay", Map.of(),
        ("{\"image_id\": \"" + "a".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8)));

    add(r, "GET /admin/dead-letters 200", valid.get("GET /admin/dead-letters"));
    add(r, "GET /admin/dead-letters 400", () -> get("/admin/dead-letters?limit=0"));
    add(r, "POST /admin/dead-letters/{id}/retry 200", valid.get("POST /admin/dead-letters/{id}/retry"));
    add(r, "POST /admin/dead-letters/{id}/retry 400", () -> send("POST", "/admin/dead-letters/-x/retry", Map.of(),
        new byte[0]));
    add(r, "POST /admin/dead-letters/{id}/retry 404", () -> send("POST", "/admin/dead-letters/nope/retry", Map.of(),
        new byte[0]));
    add(r, "POST /admin/dead-letters/retry 200", valid.get("POST /admin/dead-letters/retry"));

    Supplier<Raw> labelAgain = valid.get("POST /images/{id}/labels");
    add(r, "POST /images/{id}/labels 201", () -> send("POST", "/images/" + cat + "/labels",
        Map.of("Content-Type", "application/json"), "{\"cat\": false, \"by\": \"ben\"}".getBytes(StandardCharsets.UTF_8)));
    add(r, "POST /images/{id}/labels 200", () -> {
      labelAgain.get();
      return labelAgain.get(); // the same label from the same person: nothing new
    });
    add(r, "POST /images/{id}/labels 400", () -> send("POST", "/images/" + cat + "/labels", Map.of(),
        "{\"cat\": \"yes\", \"by\": \"ana\"}".getBytes(StandardCharsets.UTF_8)));
    add(r, "POST /images/{id}/labels 400", () -> send("POST", "/images/" + cat + "/labels", Map.of(),
        "not json".getBytes(StandardCharsets.UTF_8)));
    add(r, "POST /images/{id}/labels 400", () -> send("POST", "/images/nope/labels", Map.of(),
        "{\"cat\": true, \"by\": \"ana\"}".getBytes(StandardCharsets.UTF_8)));
    add(r, "POST /images/{id}/labels 404", () -> send("POST", "/images/" + unknown + "/labels", Map.of(),
        "{\"cat\": true, \"by\": \"ana\"}".getBytes(StandardCharsets.UTF_8)));
    add(r, "POST /images/{id}/labels 501", () -> send(withoutContent.url(), "POST", "/images/" + cat + "/labels",
        Map.of(), "{\"cat\": true, \"by\": \"ana\"}".getBytes(StandardCharsets.UTF_8)));

    add(r, "GET /quality 200", valid.get("GET /quality"));
    add(r, "GET /quality 200", () -> get("/quality?thresholds=0.2,0.8"));
    add(r, "GET /quality 400", () -> get("/quality?thresholds=2"));
    add(r, "GET /quality 501", () -> send(withoutContent.url(), "GET", "/quality", Map.of(), null));

    add(r, "GET /admin/notifications/dead-letters 200", valid.get("GET /admin/notifications/dead-letters"));
    add(r, "GET /admin/notifications/dead-letters 400", () -> get("/admin/notifications/dead-letters?limit=0"));
    add(r, "GET /admin/notifications/dead-letters 404", () -> send(withoutContent.url(), "GET",
        "/admin/notifications/dead-letters", Map.of(), null));
    add(r, "POST /admin/notifications/dead-letters/{id}/retry 200",
        valid.get("POST /admin/notifications/dead-letters/{id}/retry"));
    add(r, "POST /admin/notifications/dead-letters/{id}/retry 400", () -> send("POST",
        "/admin/notifications/dead-letters/-x/retry", Map.of(), new byte[0]));
    add(r, "POST /admin/notifications/dead-letters/{id}/retry 404", () -> send("POST",
        "/admin/notifications/dead-letters/12345/retry", Map.of(), new byte[0]));
    add(r, "POST /admin/notifications/dead-letters/retry 200",
        valid.get("POST /admin/notifications/dead-letters/retry"));

    add(r, "GET /healthz 200", () -> send("GET", "/healthz", Map.of("Authorization", ""), null));
    add(r, "GET /healthz 503", () -> {
      healthy.set(false);
      try {
        return send("GET", "/healthz", Map.of("Authorization", ""), null);
      } finally {
        healthy.set(true);
      }
    });
    add(r, "GET /openapi.json 200", () -> send("GET", "/openapi.json", Map.of("Authorization", ""), null));
    add(r, "GET /metrics 200", () -> get("/metrics"));
    add(r, "components/responses/NoRoute", () -> get("/nothing/here"));
    add(r, "components/responses/MethodNotAllowed", () -> send("DELETE", "/images/" + cat, Map.of(), null));
    return r;
  }

  private void killNotificationAgain() {
    db.write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("UPDATE notify_outbox SET dead_at = 2000 WHERE id = " + Long.parseLong(deadNotificationId));
      }
      return null;
    });
  }

  private static void add(Map<String, List<Supplier<Raw>>> requests, String key, Supplier<Raw> request) {
    requests.computeIfAbsent(key, k -> new ArrayList<>()).add(request);
  }

  /** Runs a request with the token left out. */
  private Raw unauthenticated(Supplier<Raw> request) {
    noToken = true;
    try {
      return request.get();
    } finally {
      noToken = false;
    }
  }

  private String auth() {
    return noToken ? "" : "Authorization: Bearer " + TOKEN + "\r\n";
  }

  private Raw get(String target) {
    return send("GET", target, Map.of(), null);
  }

  private Raw send(String method, String target, Map<String, String> headers, byte[] body) {
    return send(server.url(), method, target, headers, body);
  }

  /** One request on a new connection; an empty Authorization value leaves the token out. */
  private Raw send(URI base, String method, String target, Map<String, String> headers, byte[] body) {
    StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
    if (!headers.containsKey("Authorization")) {
      head.append(auth());
    }
    headers.forEach((name, value) -> {
      if (!value.isEmpty()) {
        head.append(name).append(": ").append(value).append("\r\n");
      }
    });
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    return exchange(base, head.toString(), body == null ? new byte[0] : body, false);
  }

  private Raw exchange(String head, byte[] body, boolean breakOff) {
    return exchange(server.url(), head, body, breakOff);
  }

  /**
   * Writes the request (adding Host and Connection: close) and reads the whole answer.
   *
   * @param breakOff stop sending after {@code body} (shut the output down): a body that broke off
   */
  private static Raw exchange(URI base, String head, byte[] body, boolean breakOff) {
    String full = head.replaceFirst("\r\n", "\r\nHost: " + base.getHost() + ":" + base.getPort()
        + "\r\nConnection: close\r\n");
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      // longer than the server's 30 s idle timeout: a body that stops arriving gets its 408 before this gives up
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      out.write(full.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      if (breakOff) {
        socket.shutdownOutput();
      }
      return parse(socket.getInputStream());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Raw parse(InputStream in) throws IOException {
    byte[] all = in.readAllBytes();
    String text = new String(all, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IOException("no complete response head: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.merge(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip(),
          (a, b) -> a + ", " + b);
    }
    byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(body);
    }
    return new Raw(status, headers, body);
  }

  private static byte[] dechunk(byte[] chunked) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (true) {
      int lineEnd = indexOf(chunked, at);
      int size = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].strip(),
          16);
      at = lineEnd + 2;
      if (size == 0) {
        return out.toByteArray();
      }
      out.write(chunked, at, size);
      at += size + 2;
      if (at > chunked.length) {
        throw new IOException("a chunked body that broke off");
      }
    }
  }

  private static int indexOf(byte[] bytes, int from) throws IOException {
    for (int i = from; i + 1 < bytes.length; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
        return i;
      }
    }
    throw new IOException("a chunked body that broke off");
  }

  /** Each operation of the document as "METHOD /template" → its operation object. */
  private Map<String, JsonNode> operations() {
    Map<String, JsonNode> operations = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> path : iterable(doc.path("paths").fields())) {
      for (Map.Entry<String, JsonNode> op : iterable(path.getValue().fields())) {
        if (op.getValue().path("x-aws-only").asBoolean()) {
          continue; // no embedded route: ingest-fn's UploadsMatchOpenApiTest sends its requests
        }
        operations.put(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), op.getValue());
      }
    }
    return operations;
  }

  private JsonNode resolve(JsonNode node) {
    String ref = node.path("$ref").asText("");
    if (ref.isEmpty()) {
      return node;
    }
    JsonNode target = doc.at(ref.substring(1));
    assertThat(target.isMissingNode()).as("$ref " + ref + " resolves").isFalse();
    return target;
  }

  /** What is wrong with a real response against the documented one (nothing: an empty list). */
  private List<String> validate(String key, int status, JsonNode documented, Raw r, Set<String> seenCodes) {
    List<String> problems = new ArrayList<>();
    String what = key + " (" + r.status() + " " + r.text().substring(0, Math.min(200, r.text().length())) + ")";
    if (r.status() != status) {
      problems.add(what + ": status " + r.status() + ", the document says " + status);
      return problems;
    }
    for (Map.Entry<String, JsonNode> header : iterable(documented.path("headers").fields())) {
      if (header.getValue().path("required").asBoolean() && r.header(header.getKey()) == null) {
        problems.add(what + ": no " + header.getKey() + " header");
      }
    }
    JsonNode content = documented.path("content");
    if (content.isMissingNode()) {
      return problems;
    }
    JsonNode media = content.path(String.valueOf(r.mediaType()));
    if (media.isMissingNode()) {
      problems.add(what + ": Content-Type " + r.header("content-type") + " is not one the document lists: "
          + iterable(content.fieldNames()));
      return problems;
    }
    JsonSchema schema = schema(media.path("schema"));
    List<JsonNode> instances = new ArrayList<>();
    try {
      switch (r.mediaType()) {
        case "application/json" -> instances.add(MAPPER.readTree(r.body()));
        case "application/x-ndjson" -> {
          for (String line : r.text().split("\n")) {
            instances.add(MAPPER.readTree(line));
          }
        }
        case "image/jpeg", "image/png" -> {
          if (r.body().length == 0) {
            problems.add(what + ": an empty image");
          }
        }
        default -> instances.add(TextNode.valueOf(r.text()));
      }
    } catch (IOException e) {
      problems.add(what + ": body is not " + r.mediaType() + ": " + e.getMessage());
    }
    for (JsonNode instance : instances) {
      Set<ValidationMessage> errors = schema.validate(instance);
      errors.forEach(e -> problems.add(what + ": " + e.getMessage()));
      if (instance.has("error") && status >= 400) {
        seenCodes.add(instance.path("error").asText());
      }
    }
    return problems;
  }

  /** The schema at {@code node} (a schema object of the document), with the document's components to refer to. */
  private JsonSchema schema(JsonNode node) {
    ObjectNode wrapper = MAPPER.createObjectNode();
    wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    wrapper.put("$ref", "#/$defs/target");
    wrapper.putObject("$defs").set("target", node);
    wrapper.set("components", doc.path("components"));
    return schemas.getSchema(wrapper, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
  }

  /** Every error code the document's responses name. */
  private static Set<String> errorCodes(JsonNode document) {
    Set<String> codes = new TreeSet<>();
    document.findValues("properties").forEach(p -> p.path("error").path("enum").forEach(c -> codes.add(c.asText())));
    return codes;
  }

  private static <T> Iterable<T> iterable(Iterator<T> iterator) {
    List<T> all = new ArrayList<>();
    iterator.forEachRemaining(all::add);
    return all;
  }
}
