package io.catwrangler.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.contract.MutableClock;
import io.catwrangler.detector.ImageNetCatDetector;
import io.catwrangler.detector.DetectorConfig;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.Submission;
import io.catwrangler.events.SubmissionId;
import io.catwrangler.events.SubmissionSource;
import io.catwrangler.local.fs.FileImageStore;
import io.catwrangler.local.http.ApiClient;
import io.catwrangler.local.http.EmbeddedApi;
import io.catwrangler.local.http.EmbeddedHttpServer;
import io.catwrangler.local.http.HttpServerConfig;
import io.catwrangler.local.runtime.LocalConfig;
import io.catwrangler.local.runtime.LocalRuntime;
import io.catwrangler.local.sqlite.SqliteDatabase;
import io.catwrangler.local.sqlite.SqliteWorkQueue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance, end to end: real detector, real HTTP on an ephemeral port, a temporary data folder.
 * Waits are generous (a busy 2-core machine); nothing here asserts a speed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedPipelineAcceptanceTest {
  private static final Duration ANSWER_DEADLINE = Duration.ofSeconds(90);

  @TempDir static Path temp;

  private ImageNetCatDetector detector;
  private LocalRuntime runtime;
  private EmbeddedHttpServer server;
  private ApiClient client;

  @BeforeAll
  void start() throws IOException {
    DevPhotos.dir(); // fail at once without the data
    detector = ImageNetCatDetector.load(DetectorConfig.defaults());
    runtime = LocalRuntime.open(config(temp.resolve("data")), detector);
    server = EmbeddedApi.serve(runtime, HttpServerConfig.loopback(0).withAccessLog(false));
    client = new ApiClient(server.url(), Optional.empty(), Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (runtime != null) {
      runtime.close();
    }
    if (detector != null) {
      detector.close();
    }
  }

  private static LocalConfig config(Path dataDir) {
    return LocalConfig.defaults(dataDir).withWorkers(2);
  }

  private static ApiClient.Reply upload(ApiClient client, byte[] bytes, String batch, String name) throws Exception {
    return client.upload(bytes, Optional.of(name), Optional.of(batch), Optional.empty(), false);
  }

  private static String accepted(ApiClient.Reply reply) {
    assertThat(reply.status()).as(reply.describeError()).isEqualTo(202);
    return reply.body().path("image_id").asText();
  }

  /** Polls {@code GET /images/{id}} until the image is no longer PENDING. */
  private static JsonNode awaitSettled(ApiClient client, String id) throws Exception {
    long deadline = System.nanoTime() + ANSWER_DEADLINE.toNanos();
    while (true) {
      ApiClient.Reply reply = client.get("/images/" + id);
      assertThat(reply.status()).as(reply.describeError()).isEqualTo(200);
      if (!reply.body().path("status").asText().equals("PENDING")) {
        return reply.body();
      }
      assertThat(System.nanoTime()).as("image %s still PENDING after %s", id, ANSWER_DEADLINE).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static List<String> types(JsonNode history) {
    List<String> types = new ArrayList<>();
    history.path("events").forEach(e -> types.add(e.path("type").asText()));
    return types;
  }

  @Test
  void a_cat_photo_is_classified_yes_with_debug_detail_and_history() throws Exception {
    String id = accepted(upload(client, DevPhotos.read(DevPhotos.CAT), "cats", "d0098.jpg"));
    JsonNode image = awaitSettled(client, id);
    assertThat(image.path("status").asText()).isEqualTo("CLASSIFIED");
    assertThat(image.path("answer").asText()).isEqualTo("yes");
    assertThat(image.path("model").path("name").asText()).isEqualTo("mobilenet-v2-imagenet");

    JsonNode debug = client.get("/images/" + id + "?debug=true").body().path("debug");
    JsonNode cat = null;
    for (JsonNode d : debug.path("detections")) {
      if (d.path("label").asText().equals("cat")) {
        cat = d;
        break;
      }
    }
    assertThat(cat).as("a cat among the detections").isNotNull();
    assertThat(cat.path("box").path("x2").asDouble()).isGreaterThan(cat.path("box").path("x1").asDouble());
    assertThat(cat.path("box").path("y2").asDouble()).isGreaterThan(cat.path("box").path("y1").asDouble());
    assertThat(debug.path("timings_ms").path("inference").asDouble()).isPositive();
    assertThat(debug.path("timings_ms").path("decode").isNumber()).isTrue();
    assertThat(debug.path("attempts").asInt()).isEqualTo(1);

    JsonNode history = client.get("/images/" + id + "/events").body();
    assertThat(types(history)).containsExactly("ImageReceived", "ClassificationSucceeded");
    assertThat(history.path("events").get(1).path("payload").path("is_cat").asBoolean()).isTrue();
  }

  @Test
  void a_dog_photo_is_classified_no() throws Exception {
    String id = accepted(upload(client, DevPhotos.read(DevPhotos.DOG), "dogs", "d0117.jpg"));
    JsonNode image = awaitSettled(client, id);
    assertThat(image.path("status").asText()).isEqualTo("CLASSIFIED");
    assertThat(image.path("answer").asText()).isEqualTo("no");
  }

  @Test
  void the_same_bytes_in_two_batches_share_the_answer_and_one_classification() throws Exception {
    byte[] bytes = DevPhotos.read("cat/d0061.jpg");
    String first = accepted(upload(client, bytes, "twice-a", "one.jpg"));
    String second = accepted(upload(client, bytes, "twice-b", "two.jpg"));
    assertThat(second).isEqualTo(first);
    String answer = awaitSettled(client, first).path("answer").asText();
    runtime.awaitIdle(ANSWER_DEADLINE);

    for (String batch : List.of("twice-a", "twice-b")) {
      JsonNode page = client.get("/batches/" + batch).body();
      assertThat(page.path("total").asInt()).as(batch).isEqualTo(1);
      assertThat(page.path("images").get(0).path("image_id").asText()).isEqualTo(first);
      assertThat(page.path("images").get(0).path("answer").asText()).isEqualTo(answer);
    }
    List<String> types = types(client.get("/images/" + first + "/events").body());
    assertThat(types.stream().filter("ClassificationSucceeded"::equals).count()).isEqualTo(1);
    assertThat(types.stream().filter("ImageReceived"::equals).count()).isEqualTo(2);
  }

  @Test
  void refused_uploads_leave_no_file_no_queue_entry_and_no_event() throws Exception {
    assertThat(runtime.awaitIdle(ANSWER_DEADLINE)).isTrue();
    long files = imageFiles(runtime.config().imagesDir());
    var before = runtime.metrics();

    byte[] webp = ("RIFF\u0024\0\0\0WEBPVP8 \u0018\0\0\0" + "\0".repeat(24)).getBytes(StandardCharsets.ISO_8859_1);
    ApiClient.Reply r415 = upload(client, webp, "bad", "cat.jpg");
    assertThat(r415.status()).isEqualTo(415);
    assertThat(r415.error()).isEqualTo("UNSUPPORTED_FORMAT");
    assertThat(r415.message()).contains("WebP");
    assertThat(r415.body().path("found").asText()).isEqualTo("WebP");

    ApiClient.Reply empty = upload(client, new byte[0], "bad", "empty.jpg");
    assertThat(empty.status()).isBetween(400, 499);

    byte[] twentyMegabytes = Arrays.copyOf(DevPhotos.read(DevPhotos.CAT), 20 * 1024 * 1024);
    ApiClient.Reply r413 = upload(client, twentyMegabytes, "bad", "huge.jpg");
    assertThat(r413.status()).isEqualTo(413);
    assertThat(r413.error()).isEqualTo("TOO_LARGE");

    ApiClient.Reply r422 = upload(client, pngDeclaring(30_000, 30_000), "bad", "bomb.png");
    assertThat(r422.status()).isEqualTo(422);
    assertThat(r422.error()).isEqualTo("INVALID_IMAGE");

    assertThat(imageFiles(runtime.config().imagesDir())).isEqualTo(files);
    var after = runtime.metrics();
    assertThat(after.events()).isEqualTo(before.events());
    assertThat(after.submissions()).isEqualTo(before.submissions());
    assertThat(after.queueDepth()).isZero();
    assertThat(after.deadLetters()).isEqualTo(before.deadLetters());
    assertThat(client.get("/batches/bad").status()).isEqualTo(404);
  }

  @Test
  void a_truncated_jpeg_that_passes_the_header_check_ends_failed_with_a_reason() throws Exception {
    byte[] whole = DevPhotos.read(DevPhotos.CAT);
    byte[] truncated = Arrays.copyOf(whole, whole.length * 4 / 10);
    String id = accepted(upload(client, truncated, "broken", "half.jpg"));
    JsonNode image = awaitSettled(client, id);
    assertThat(image.path("status").asText()).isEqualTo("FAILED");
    assertThat(image.path("answer").isNull()).isTrue();
    assertThat(image.path("failure").path("reason").asText()).isEqualTo("INVALID_IMAGE");
    assertThat(image.path("failure").path("message").asText()).isNotBlank();
    assertThat(types(client.get("/images/" + id + "/events").body()))
        .containsExactly("ImageReceived", "ClassificationFailed");
  }

  @Test
  void a_restart_keeps_events_view_images_and_dead_letters() throws Exception {
    Path data = temp.resolve("restart");
    LocalConfig config = config(data);
    String catId;
    JsonNode imageBefore;
    JsonNode historyBefore;
    JsonNode batchBefore;
    try (LocalRuntime first = LocalRuntime.open(config, detector);
        EmbeddedHttpServer http = EmbeddedApi.serve(first, HttpServerConfig.loopback(0).withAccessLog(false))) {
      ApiClient c = new ApiClient(http.url(), Optional.empty(), Duration.ofSeconds(60));
      catId = accepted(upload(c, DevPhotos.read(DevPhotos.CAT), "keep", "cat.jpg"));
      accepted(upload(c, DevPhotos.read(DevPhotos.DOG), "keep", "dog.jpg"));
      assertThat(first.awaitIdle(ANSWER_DEADLINE)).isTrue();
      imageBefore = c.get("/images/" + catId + "?debug=true").body();
      historyBefore = c.get("/images/" + catId + "/events").body();
      batchBefore = c.get("/batches/keep").body();
      assertThat(batchBefore.path("counts").path("CLASSIFIED").asInt()).isEqualTo(2);
    }

    ImageId poison = deadLetterWhileStopped(config);

    for (int run = 2; run <= 3; run++) {
      try (LocalRuntime again = LocalRuntime.open(config, detector);
          EmbeddedHttpServer http = EmbeddedApi.serve(again, HttpServerConfig.loopback(0).withAccessLog(false))) {
        ApiClient c = new ApiClient(http.url(), Optional.empty(), Duration.ofSeconds(60));
        assertThat(c.get("/images/" + catId + "?debug=true").body()).as("view, run %d", run).isEqualTo(imageBefore);
        assertThat(c.get("/images/" + catId + "/events").body()).as("events, run %d", run).isEqualTo(historyBefore);
        assertThat(c.get("/batches/keep").body()).as("batch, run %d", run).isEqualTo(batchBefore);
        assertThat(FileImageStore.in(config.imagesDir()).exists(ImageId.of(catId))).isTrue();
        JsonNode dead = awaitDeadLetter(c);
        assertThat(dead.path("image_id").asText()).as("run %d", run).isEqualTo(poison.value());
        assertThat(dead.path("batch_id").asText()).isEqualTo("poison");
      }
    }
  }

  /**
   * Leaves a request that ran out of attempts in the queue of a stopped runtime (a poison pill that killed the
   * process every time, say); only the queue knows it, no event records it.
   */
  private static ImageId deadLetterWhileStopped(LocalConfig config) throws IOException {
    byte[] bytes = DevPhotos.read(DevPhotos.OTHER_CAT);
    ImageId id = ImageId.sha256Of(bytes);
    try (SqliteDatabase database = SqliteDatabase.open(config.databaseFile())) {
      String key = FileImageStore.in(config.imagesDir()).put(id, bytes);
      Submission submission = new Submission(SubmissionId.random(), Optional.of(io.catwrangler.events.BatchId.of(
          "poison")), Optional.empty(), Optional.empty(), "image/jpeg", bytes.length, 287, 300, SubmissionSource.API,
          key, false);
      ClassifyRequest request = new ClassifyRequest(id, submission, Instant.now(), "poison-test");
      MutableClock clock = new MutableClock(Instant.now().minus(Duration.ofHours(1)));
      SqliteWorkQueue queue = new SqliteWorkQueue(database, config.maxAttempts(), clock);
      queue.enqueue(request);
      for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
        assertThat(queue.lease(1, Duration.ofMinutes(1))).hasSize(1);
        clock.advance(Duration.ofMinutes(2));
      }
    }
    return id;
  }

  private static JsonNode awaitDeadLetter(ApiClient c) throws Exception {
    long deadline = System.nanoTime() + ANSWER_DEADLINE.toNanos();
    while (true) {
      JsonNode list = c.get("/admin/dead-letters").body();
      if (list.path("count").asInt() > 0) {
        assertThat(list.path("count").asInt()).isEqualTo(1);
        return list.path("dead_letters").get(0);
      }
      assertThat(System.nanoTime()).as("no dead letter after restart").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static long imageFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  /** A PNG signature and a valid IHDR chunk declaring the size: no pixel data at all. */
  static byte[] pngDeclaring(int width, int height) {
    byte[] png = new byte[8 + 25];
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    System.arraycopy(signature, 0, png, 0, 8);
    png[11] = 13; // IHDR data length
    byte[] type = "IHDR".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(type, 0, png, 12, 4);
    putInt(png, 16, width);
    putInt(png, 20, height);
    png[24] = 8; // bit depth
    png[25] = 2; // RGB
    CRC32 crc = new CRC32();
    crc.update(png, 12, 17);
    putInt(png, 29, (int) crc.getValue());
    return png;
  }

  private static void putInt(byte[] b, int at, int value) {
    b[at] = (byte) (value >>> 24);
    b[at + 1] = (byte) (value >>> 16);
    b[at + 2] = (byte) (value >>> 8);
    b[at + 3] = (byte) value;
  }
}
