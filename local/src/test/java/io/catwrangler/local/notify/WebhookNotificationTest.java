package io.catwrangler.local.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.error.InvalidRequestException;
import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.core.ingest.Upload;
import io.catwrangler.core.notify.NotifyAllowList;
import io.catwrangler.core.notify.NotifyDefaults;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.SubmissionSource;
import io.catwrangler.local.runtime.LocalConfig;
import io.catwrangler.local.runtime.LocalRuntime;
import io.catwrangler.local.runtime.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhooks from a real runtime (SQLite, workers, projector) to a real HTTP receiver. */
class WebhookNotificationTest {
  static final byte[] SECRET = "a test secret of 32 bytes length".getBytes(StandardCharsets.UTF_8);
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dataDir;
  private WebhookReceiver receiver;
  private FakeCatDetector detector;

  @BeforeEach
  void receiver() throws Exception {
    receiver = new WebhookReceiver(SECRET);
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  private LocalConfig config() {
    return LocalConfig.defaults(dataDir).withWorkers(2).withRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
  }

  private NotifyConfig notify(NotifyDefaults defaults) {
    return NotifyConfig.of(NotifyAllowList.parse(receiver.hostAndPort()), defaults, SECRET)
        .withRetries(4, Duration.ofMillis(50), Duration.ofMillis(200))
        .withRequestTimeout(Duration.ofSeconds(2))
        .withBatchSettle(Duration.ofMillis(300));
  }

  private LocalRuntime open(NotifyConfig notify) {
    detector = new FakeCatDetector(config().detector().threshold());
    return LocalRuntime.open(config(), detector, notify);
  }

  private static Upload upload(int seed, String batch) {
    return Upload.of(TestImages.png(seed), SubmissionSource.API).withBatchId(batch).withFileName(seed + ".png");
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aBatchThatCompletesIsAnnouncedOnceSignedAndInTheSchemasShape() throws Exception {
    try (LocalRuntime runtime = open(notify(NotifyDefaults.NONE))) {
      for (int i = 0; i < 12; i++) {
        runtime.ingest().ingest(upload(i, "b12").withNotify(receiver.url("/hook?team=7"), false));
      }
      assertThat(runtime.awaitIdle(WAIT)).isTrue();
      await("the completion", () -> receiver.ofType("batch.completed").size() == 1);
      Thread.sleep(300); // nothing else is coming

      List<WebhookReceiver.Delivery> all = receiver.deliveries();
      assertThat(all).hasSize(1);
      WebhookReceiver.Delivery d = all.get(0);
      assertThat(d.signatureValid()).as("signature by the documented recipe").isTrue();
      assertThat(d.schemaErrors()).isEmpty();
      assertThat(d.path()).isEqualTo("/hook");
      assertThat(d.notificationId()).isEqualTo(d.body().path("id").asText());
      assertThat(d.body().path("batch").path("batch_id").asText()).isEqualTo("b12");
      assertThat(d.body().path("batch").path("total").asInt()).isEqualTo(12);
      assertThat(d.body().path("batch").path("counts").path("CLASSIFIED").asInt()).isEqualTo(12);
      assertThat(runtime.notifications().orElseThrow().waiting()).isZero();
    }
  }

  @Test
  void aCompletionHeldForTheSettleTimeIsDroppedWhenTheBatchGrowsMeanwhile() throws Exception {
    try (LocalRuntime runtime = open(notify(NotifyDefaults.NONE))) {
      runtime.ingest().ingest(upload(50, "slow").withNotify(receiver.url("/slow"), false));
      assertThat(runtime.awaitIdle(WAIT)).isTrue(); // complete with one image: a completion is held for 300 ms
      detector.delay(Duration.ofMillis(1_000)); // the next image stays PENDING past that
      runtime.ingest().ingest(upload(51, "slow").withNotify(receiver.url("/slow"), false));
      assertThat(runtime.awaitIdle(WAIT)).isTrue();
      await("the completion", () -> receiver.deliveries().size() == 1);
      Thread.sleep(500);

      assertThat(receiver.deliveries()).singleElement()
          .satisfies(d -> assertThat(d.body().path("batch").path("total").asInt()).isEqualTo(2));
    }
  }

  @Test
  void aCompletionMadeWhileTheFirstIsHeldReplacesIt() throws Exception {
    try (LocalRuntime runtime = open(notify(NotifyDefaults.NONE).withBatchSettle(Duration.ofSeconds(2)))) {
      runtime.ingest().ingest(upload(60, "quick").withNotify(receiver.url("/quick"), false));
      assertThat(runtime.awaitIdle(WAIT)).isTrue();
      runtime.ingest().ingest(upload(61, "quick").withNotify(receiver.url("/quick"), false));
      assertThat(runtime.awaitIdle(WAIT)).isTrue();
      assertThat(runtime.notifications().orElseThrow().waiting()).as("the first replaced by the second").isEqualTo(1);
      await("the completion", () -> receiver.deliveries().size() == 1);
      Thread.sleep(300);

      assertThat(receiver.deliveries()).singleElement()
          .satisfies(d -> assertThat(d.body().path("batch").path("total").asInt()).isEqualTo(2));
    }
  }

  @Test
  void eachImageIsAnnouncedWhenAskedAndTheBatchAfterItsLastImage() throws Exception {
    try (LocalRuntime runtime = open(notify(NotifyDefaults.NONE))) {
      for (int i = 0; i < 5; i++) {
        runtime.ingest().ingest(upload(100 + i, "each").withNotify(receiver.url("/each"), true));
      }
      await("five images and the batch", () -> receiver.deliveries().size() == 6);

      Set<String> images = receiver.ofType("image.answered").stream()
          .map(d -> d.body().path("image").path("image_id").asText()).collect(Collectors.toSet());
      assertThat(images).hasSize(5).contains(ImageId.sha256Of(TestImages.png(100)).value());
      assertThat(receiver.deliveries()).allMatch(WebhookReceiver.Delivery::signatureValid)
          .allMatch(d -> d.schemaErrors().isEmpty());
      var lastImage = receiver.ofType("image.answered").stream().map(WebhookReceiver.Delivery::at).max(
          java.util.Comparator.naturalOrder()).orElseThrow();
      assertThat(receiver.ofType("batch.completed").get(0).at()).isAfterOrEqualTo(lastImage.minusMillis(500));
    }
  }

  @Test
  void theDeploymentDefaultHearsOfBatchesThatNamedNoUrlAndOfImagesWithoutBatch() throws Exception {
    try (LocalRuntime runtime = open(notify(new NotifyDefaults(Optional.of(receiver.url("/default")), true)))) {
      runtime.ingest().ingest(upload(200, "plain"));
      runtime.ingest().ingest(Upload.of(TestImages.png(201), SubmissionSource.API));
      await("two images and one batch", () -> receiver.deliveries().size() == 3);

      assertThat(receiver.ofType("batch.completed")).singleElement()
          .satisfies(d -> assertThat(d.body().path("batch").path("batch_id").asText()).isEqualTo("plain"));
      assertThat(receiver.deliveries()).allMatch(d -> d.path().equals("/default"));
    }
  }

  @Test
  void aReceiverThatFailsFirstGetsItOnALaterAttemptAfterABackoff() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    receiver.answer(() -> calls.incrementAndGet() <= 2 ? 503 : 200);
    try (LocalRuntime runtime = open(notify(NotifyDefaults.NONE))) {
      runtime.ingest().ingest(upload(300, "retry").withNotify(receiver.url("/flaky"), false));
      await("three attempts", () -> receiver.deliveries().size() == 3);
      Thread.sleep(500);

      List<WebhookReceiver.Delivery> tries = receiver.deliveries();
      assertThat(tries).hasSize(3);
      assertThat(tries).extracting(WebhookReceiver.Delivery::notificationId)
          .containsOnly(tries.get(0).notificationId());
      // backoff 50 ms then 100 ms, each with jitter between half and all of it
      assertThat(Duration.between(tries.get(0).at(), tries.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(20));
      assertThat(Duration.between(tries.get(1).at(), tries.get(2).at())).isGreaterThanOrEqualTo(Duration.ofMillis(45));
      assertThat(runtime.notifications().orElseThrow().waiting()).isZero();
      assertThat(runtime.notifications().orElseThrow().dead()).isZero();
    }
  }

  @Test
  void aReceiverThatKeepsFailingEndsInTheDeadLettersAndARetrySendsItAgain() throws Exception {
    receiver.answer(() -> 500);
    try (LocalRuntime runtime = open(notify(NotifyDefaults.NONE))) {
      NotificationOutbox outbox = runtime.notifications().orElseThrow();
      runtime.ingest().ingest(upload(400, "dead").withNotify(receiver.url("/down?token=s3cret"), false));
      await("a dead letter", () -> outbox.dead() == 1);

      assertThat(receiver.deliveries()).hasSize(4);
      var letter = outbox.list(10).get(0);
      assertThat(letter.attempts()).isEqualTo(4);
      assertThat(letter.lastError()).isEqualTo("HTTP 500");
      assertThat(letter.destination()).isEqualTo(receiver.url("/down")).doesNotContain("s3cret");
      assertThat(letter.type()).isEqualTo("batch.completed");

      receiver.answer(() -> 200);
      assertThat(outbox.retry(letter.id())).isTrue();
      await("the retried delivery", () -> receiver.deliveries().size() == 5);
      await("an empty outbox", () -> outbox.waiting() + outbox.dead() == 0);
      assertThat(outbox.retry(letter.id())).isFalse();
    }
  }

  @Test
  void aRedirectIsNotFollowedButCountsAsAFailure() throws Exception {
    receiver.answer(() -> 302);
    try (LocalRuntime runtime = open(notify(NotifyDefaults.NONE))) {
      NotificationOutbox outbox = runtime.notifications().orElseThrow();
      runtime.ingest().ingest(upload(500, "redirect").withNotify(receiver.url("/moved"), false));
      await("a dead letter", () -> outbox.dead() == 1);

      assertThat(outbox.list(1).get(0).lastError()).startsWith("HTTP 302");
      assertThat(receiver.deliveries()).hasSize(4).allMatch(d -> d.path().equals("/moved"));
    }
  }

  @Test
  void aDestinationTakenOffTheAllowListIsNotCalledAfterARestart() throws Exception {
    receiver.answer(() -> 500);
    try (LocalRuntime runtime = open(notify(NotifyDefaults.NONE).withRetries(1, Duration.ZERO, Duration.ZERO))) {
      runtime.ingest().ingest(upload(600, "revoked").withNotify(receiver.url("/hook"), false));
      await("a first attempt, dead-lettered", () -> runtime.notifications().orElseThrow().dead() == 1);
    }
    NotifyConfig otherHosts = NotifyConfig.of(NotifyAllowList.parse("hooks.example.com"), NotifyDefaults.NONE, SECRET)
        .withRetries(100, Duration.ZERO, Duration.ZERO);
    try (LocalRuntime runtime = open(otherHosts)) {
      NotificationOutbox outbox = runtime.notifications().orElseThrow();
      assertThat(outbox.retryAll()).isEqualTo(1);
      await("the revoked destination dead-lettered unsent", () -> outbox.dead() == 1);
      assertThat(outbox.list(1).get(0).lastError()).contains("allow-list");
      assertThat(receiver.deliveries()).hasSize(1);
    }
  }

  @Test
  void anUploadNamingAnotherHostIsRefusedAndStoresNothing() throws Exception {
    try (LocalRuntime runtime = open(notify(NotifyDefaults.NONE))) {
      assertThatThrownBy(() -> runtime.ingest().ingest(upload(700, "b").withNotify("http://127.0.0.1:1/", false)))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("allow-list");
      assertThat(runtime.metrics().events()).isZero();
      assertThat(runtime.metrics().queueVisible()).isZero();
    }
  }

  @Test
  void aRebuildAnnouncesNothingAgainAndABatchThatGrowsCompletesAgain() throws Exception {
    try (LocalRuntime runtime = open(notify(NotifyDefaults.NONE))) {
      for (int i = 0; i < 3; i++) {
        runtime.ingest().ingest(upload(800 + i, "grows").withNotify(receiver.url("/g"), false));
      }
      await("the first completion", () -> receiver.deliveries().size() == 1);
      assertThat(runtime.awaitIdle(WAIT)).isTrue();

      runtime.replay().rebuild();
      assertThat(runtime.awaitIdle(WAIT)).isTrue();
      Thread.sleep(500);
      assertThat(receiver.deliveries()).as("nothing after the rebuild").hasSize(1);

      runtime.ingest().ingest(upload(803, "grows").withNotify(receiver.url("/g"), false));
      await("the second completion", () -> receiver.deliveries().size() == 2);
      List<WebhookReceiver.Delivery> both = receiver.deliveries();
      assertThat(both.get(1).body().path("batch").path("total").asInt()).isEqualTo(4);
      assertThat(both.get(1).notificationId()).isNotEqualTo(both.get(0).notificationId());
    }
  }

  @Test
  void overHttpTheHeaderRegistersARefusedHostIs400AndTheDeadLettersAndMetricsAreServed() throws Exception {
    try (LocalRuntime runtime = open(notify(NotifyDefaults.NONE));
        var server = io.catwrangler.local.http.EmbeddedApi.serve(runtime,
            new io.catwrangler.local.http.HttpServerConfig("127.0.0.1", 0, Optional.empty(), false))) {
      var http = java.net.http.HttpClient.newHttpClient();
      java.util.function.Function<String, java.net.http.HttpResponse<String>> upload = url -> {
        try {
          return http.send(java.net.http.HttpRequest.newBuilder(server.url().resolve("/images"))
              .header("X-Batch-Id", "http").header("X-Notify-Url", url)
              .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(TestImages.png(1_000))).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };

      var refused = upload.apply("http://169.254.169.254/latest/meta-data/");
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.body()).contains("INVALID_PARAMETER").contains("allow-list");
      assertThat(runtime.metrics().events()).isZero();
      assertThat(upload.apply(receiver.url("/http")).statusCode()).isEqualTo(202);
      await("the completion", () -> receiver.deliveries().size() == 1);

      var letters = http.send(java.net.http.HttpRequest.newBuilder(
          server.url().resolve("/admin/notifications/dead-letters")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(letters.statusCode()).isEqualTo(200);
      assertThat(letters.body()).contains("\"count\":0");
      var metrics = http.send(java.net.http.HttpRequest.newBuilder(server.url().resolve("/metrics")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body()).contains("catwrangler_notifications{state=\"dead\"} 0");
    }
  }
}
