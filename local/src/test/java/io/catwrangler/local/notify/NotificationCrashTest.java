package io.catwrangler.local.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.local.runtime.LocalConfig;
import io.catwrangler.local.runtime.LocalRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing owed is lost when the process is killed: a child JVM ingests batches whose uploads ask for a notification
 * per image and per batch, and is killed with SIGKILL ({@link Process#destroyForcibly()}) while notifications pour
 * out to a receiver in this JVM (which a kill does not touch). A runtime reopened on the data folder then delivers
 * the rest: every acknowledged image's {@code image.answered} and every batch's final {@code batch.completed} arrive
 * at least once, and every duplicate carries the same id.
 */
class NotificationCrashTest {
  private static final int UPLOADS = 400;
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @TempDir Path work;

  @Test
  void everyNotificationOwedIsDeliveredAtLeastOnceAfterKillMinusNine() throws Exception {
    Path dataDir = work.resolve("data");
    Path acks = work.resolve("acks.txt");
    Files.createFile(acks);
    try (WebhookReceiver receiver = new WebhookReceiver(WebhookNotificationTest.SECRET)) {
      // a receiver slower than the pipeline, so a backlog builds in the outbox
      receiver.answer(() -> {
        sleep(4);
        return 200;
      });
      Path log = work.resolve("child.log");
      Process child = start(dataDir, receiver.hostAndPort(), acks, log);
      int seenBeforeKill;
      try {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (receiver.deliveries().size() < UPLOADS / 4) {
          if (!child.isAlive()) {
            throw new AssertionError("the child died by itself:\n" + Files.readString(log));
          }
          if (System.nanoTime() > deadline) {
            throw new AssertionError("too few notifications in time:\n" + Files.readString(log));
          }
          Thread.sleep(2);
        }
      } finally {
        child.destroyForcibly();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child killed").isTrue();
        seenBeforeKill = receiver.deliveries().size();
      }

      Map<String, String> accepted = acknowledged(acks);
      assertThat(accepted.size()).isGreaterThanOrEqualTo(UPLOADS / 4);
      receiver.answer(() -> 200);
      LocalConfig config = NotifyingChild.config(dataDir);
      try (LocalRuntime runtime = LocalRuntime.open(config, new FakeCatDetector(config.detector().threshold()),
          NotifyingChild.notify(receiver.hostAndPort()))) {
        assertThat(runtime.awaitIdle(DEADLINE)).as("the pipeline drains after restart").isTrue();
        NotificationOutbox outbox = runtime.notifications().orElseThrow();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (outbox.waiting() > 0 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(outbox.waiting()).as("notifications still waiting").isZero();
        assertThat(outbox.dead()).isZero();

        Set<String> answered = receiver.ofType("image.answered").stream()
            .map(d -> d.body().path("image").path("image_id").asText()).collect(Collectors.toSet());
        assertThat(answered).as("every acknowledged image announced").containsAll(accepted.keySet());

        Map<String, Long> finalTotals = new HashMap<>();
        receiver.ofType("batch.completed").forEach(d -> finalTotals.merge(
            d.body().path("batch").path("batch_id").asText(), d.body().path("batch").path("total").asLong(),
            Math::max));
        for (String batch : new HashSet<>(accepted.values())) {
          long listed = runtime.query().batch(batch, java.util.Optional.empty(), 1).counts().values().stream()
              .mapToLong(Long::longValue).sum();
          assertThat(finalTotals.get(batch)).as("the final completion of %s", batch).isEqualTo(listed);
        }
      }

      List<WebhookReceiver.Delivery> all = receiver.deliveries();
      assertThat(all).allMatch(WebhookReceiver.Delivery::signatureValid).allMatch(d -> d.schemaErrors().isEmpty());
      Map<String, String> bodyById = new HashMap<>();
      for (WebhookReceiver.Delivery d : all) {
        String body = d.body().deepCopy().toString().replaceAll("\"occurred_at\":\"[^\"]*\"", "");
        String before = bodyById.putIfAbsent(d.notificationId(), body);
        assertThat(before == null || before.equals(body)).as("a duplicate says the same: %s", d.notificationId())
            .isTrue();
      }
      System.out.printf("notification crash test: %d acknowledged uploads, %d deliveries before the kill, %d in all,"
          + " %d distinct ids%n", accepted.size(), seenBeforeKill, all.size(), bodyById.size());
    }
  }

  private static Process start(Path dataDir, String receiver, Path acks, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        NotifyingChild.class.getName(), dataDir.toString(), receiver, Integer.toString(UPLOADS), acks.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Image id → batch, from complete lines only (a line cut by the kill is not an acknowledgement). */
  private static Map<String, String> acknowledged(Path acks) throws IOException {
    String text = Files.readString(acks, StandardCharsets.US_ASCII);
    int end = text.lastIndexOf('\n');
    Map<String, String> accepted = new HashMap<>();
    if (end >= 0) {
      for (String line : text.substring(0, end).split("\n")) {
        String[] parts = line.split(" ");
        accepted.put(parts[0], parts[1]);
      }
    }
    return accepted;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
