package io.catwrangler.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.local.http.ApiClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of {@code catwrangler serve} while 300 uploads arrive and classifications run: after a restart on
 * the same data folder, every upload that got a 202 reaches CLASSIFIED or FAILED, its submission is in the image's
 * history and its batch, and no image has two classification outcomes.
 */
class ServeCrashSafetyTest {
  private static final int UPLOADS = 300;
  private static final int UPLOADERS = 8;
  private static final Duration READY_DEADLINE = Duration.ofSeconds(120);
  private static final Duration SETTLE_DEADLINE = Duration.ofMinutes(6);
  private static final Pattern SERVING = Pattern.compile("serving on (http://\\S+)");

  @TempDir Path temp;

  private final List<Process> children = new ArrayList<>();

  /** One upload: which bytes, under which batch and name. */
  private record Planned(byte[] bytes, String batch, String name) {}

  /** A 202. */
  private record Ack(String imageId, String submissionId, String batch) {}

  @AfterEach
  void stopChildren() throws InterruptedException {
    for (Process child : children) {
      if (child.isAlive()) {
        child.destroy(); // SIGTERM: the graceful stop
        if (!child.waitFor(30, TimeUnit.SECONDS)) {
          child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  @Test
  void every_acknowledged_upload_is_finished_after_kill_minus_nine_and_restart() throws Exception {
    List<Planned> plan = plan();
    Path data = temp.resolve("data");

    Process first = startServe(data, temp.resolve("serve-1.log"));
    ApiClient client = new ApiClient(awaitUrl(first, temp.resolve("serve-1.log")), Optional.empty(),
        Duration.ofSeconds(60));
    ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    Set<Integer> acknowledged = Collections.synchronizedSet(new HashSet<>());

    ExecutorService uploaders = Executors.newFixedThreadPool(UPLOADERS);
    for (int i = 0; i < plan.size(); i++) {
      int index = i;
      uploaders.submit(() -> upload(client, plan.get(index), index, acks, acknowledged));
    }
    uploaders.shutdown();
    long deadline = System.nanoTime() + READY_DEADLINE.toNanos() * 2;
    while (acks.size() < UPLOADS / 3) {
      assertThat(first.isAlive()).as("serve died by itself:\n%s", log(temp.resolve("serve-1.log"))).isTrue();
      assertThat(System.nanoTime()).as("too few uploads accepted in time").isLessThan(deadline);
      Thread.sleep(5);
    }
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful anything
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(uploaders.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
    int beforeKill = acks.size();
    assertThat(beforeKill).isLessThan(UPLOADS); // the kill happened mid-way

    Process second = startServe(data, temp.resolve("serve-2.log"));
    ApiClient again = new ApiClient(awaitUrl(second, temp.resolve("serve-2.log")), Optional.empty(),
        Duration.ofSeconds(60));
    // what the kill cut off is sent again, as a client would
    ExecutorService retries = Executors.newFixedThreadPool(UPLOADERS);
    for (int i = 0; i < plan.size(); i++) {
      if (!acknowledged.contains(i)) {
        int index = i;
        retries.submit(() -> upload(again, plan.get(index), index, acks, acknowledged));
      }
    }
    retries.shutdown();
    assertThat(retries.awaitTermination(3, TimeUnit.MINUTES)).isTrue();
    assertThat(acknowledged).as("every upload accepted by the restarted server").hasSize(UPLOADS);

    Map<String, Set<String>> imagesByBatch = new HashMap<>();
    acks.forEach(a -> imagesByBatch.computeIfAbsent(a.batch(), b -> new HashSet<>()).add(a.imageId()));
    awaitBatchesSettled(again, imagesByBatch, second, temp.resolve("serve-2.log"));

    Map<String, JsonNode> histories = new HashMap<>();
    for (Ack ack : acks) {
      JsonNode history = histories.computeIfAbsent(ack.imageId(), id -> events(again, id));
      List<String> submissions = new ArrayList<>();
      int outcomes = 0;
      for (JsonNode e : history.path("events")) {
        switch (e.path("type").asText()) {
          case "ImageReceived" -> submissions.add(e.path("payload").path("submission_id").asText());
          case "ClassificationSucceeded" -> outcomes++;
          case "ClassificationFailed" -> outcomes += e.path("payload").path("retryable").asBoolean() ? 0 : 1;
          default -> throw new AssertionError("unknown event " + e);
        }
      }
      assertThat(submissions).as("submissions of %s", ack.imageId()).contains(ack.submissionId());
      assertThat(outcomes).as("classification outcomes of %s", ack.imageId()).isEqualTo(1);
      String status = again.get("/images/" + ack.imageId()).body().path("status").asText();
      assertThat(status).as("status of %s", ack.imageId()).isIn("CLASSIFIED", "FAILED");
    }
    assertThat(histories).as("distinct images").hasSizeGreaterThan(100).hasSizeLessThan(UPLOADS);
    assertThat(beforeKill).isGreaterThanOrEqualTo(UPLOADS / 3);
  }

  /**
   * 300 uploads: the 48 test photos and 102 variants of them (bytes after the end marker, ignored by decoders) in
   * batch crash-a, then 150 repeats of those bytes in batch crash-b, shuffled.
   */
  @Test
  void sigterm_while_classifying_finishes_the_work_in_hand_and_exits_0() throws Exception {
    Path data = temp.resolve("data-term");
    Path log = temp.resolve("serve-term.log");
    Process server = startServe(data, log);
    ApiClient client = new ApiClient(awaitUrl(server, log), Optional.empty(), Duration.ofSeconds(60));
    for (Path photo : DevPhotos.all().subList(0, 20)) {
      assertThat(client.upload(Files.readAllBytes(photo), Optional.of(photo.getFileName().toString()),
          Optional.of("term"), Optional.empty(), false).status()).isEqualTo(202);
    }
    // the workers are classifying: one answer is in, more images wait
    long deadline = System.nanoTime() + SETTLE_DEADLINE.toNanos();
    while (client.get("/batches/term?limit=1").body().path("counts").path("CLASSIFIED").asLong() < 1) {
      assertThat(System.nanoTime()).as("nothing classified:\n%s", log(log)).isLessThan(deadline);
      Thread.sleep(20);
    }

    server.destroy(); // SIGTERM, as a service manager stops it

    assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("serve did not stop:\n%s", log(log)).isTrue();
    // ONNX Runtime's own shutdown hook used to free the model under a running inference: SIGSEGV, exit 134
    assertThat(server.exitValue()).as("exit code; log:\n%s", log(log)).isZero();
    assertThat(log(log)).contains("runtime closed");
    try (var files = Files.list(temp)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.startsWith("hs_err"));
    }
  }

  private static List<Planned> plan() throws IOException {
    List<Path> photos = DevPhotos.all();
    List<Planned> distinct = new ArrayList<>();
    for (Path p : photos) {
      distinct.add(new Planned(Files.readAllBytes(p), "crash-a", p.getFileName().toString()));
    }
    for (int i = 0; distinct.size() < UPLOADS / 2; i++) {
      Path p = photos.get(i % photos.size());
      byte[] original = Files.readAllBytes(p);
      byte[] tail = ("variant-" + i).getBytes(StandardCharsets.US_ASCII);
      byte[] variant = new byte[original.length + tail.length];
      System.arraycopy(original, 0, variant, 0, original.length);
      System.arraycopy(tail, 0, variant, original.length, tail.length);
      distinct.add(new Planned(variant, "crash-a", "variant-" + i + "-" + p.getFileName()));
    }
    List<Planned> plan = new ArrayList<>(distinct);
    Random random = new Random(300);
    while (plan.size() < UPLOADS) {
      Planned original = distinct.get(random.nextInt(distinct.size()));
      plan.add(new Planned(original.bytes(), "crash-b", "again-" + original.name()));
    }
    Collections.shuffle(plan, random);
    return plan;
  }

  private static void upload(ApiClient client, Planned p, int index, ConcurrentLinkedQueue<Ack> acks,
      Set<Integer> acknowledged) {
    try {
      ApiClient.Reply reply = client.upload(p.bytes(), Optional.of(p.name()), Optional.of(p.batch()), Optional.empty(),
          false);
      if (reply.status() == 202) {
        acks.add(new Ack(reply.body().path("image_id").asText(), reply.body().path("submission_id").asText(),
            p.batch()));
        acknowledged.add(index);
      }
    } catch (IOException e) {
      // the server is gone (killed): this upload was not acknowledged
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitBatchesSettled(ApiClient client, Map<String, Set<String>> expected, Process server,
      Path log) throws Exception {
    long deadline = System.nanoTime() + SETTLE_DEADLINE.toNanos();
    for (Map.Entry<String, Set<String>> batch : expected.entrySet()) {
      while (true) {
        assertThat(server.isAlive()).as("serve died:\n%s", log(log)).isTrue();
        Set<String> listed = new HashSet<>();
        long pending = -1;
        ApiClient.Reply reply = client.get("/batches/" + batch.getKey() + "?limit=1000");
        if (reply.status() == 200) {
          pending = reply.body().path("counts").path("PENDING").asLong();
          reply.body().path("images").forEach(i -> listed.add(i.path("image_id").asText()));
        }
        if (pending == 0 && listed.containsAll(batch.getValue())) {
          assertThat(reply.body().path("next_cursor").isNull()).isTrue();
          break;
        }
        assertThat(System.nanoTime())
            .as("batch %s not settled in time (%d pending, %d of %d listed)", batch.getKey(), pending, listed.size(),
                batch.getValue().size())
            .isLessThan(deadline);
        Thread.sleep(250);
      }
    }
  }

  private static JsonNode events(ApiClient client, String id) {
    try {
      ApiClient.Reply reply = client.get("/images/" + id + "/events");
      assertThat(reply.status()).as(reply.describeError()).isEqualTo(200);
      return reply.body();
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private Process startServe(Path data, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        "io.catwrangler.local.cli.Main", "serve", "--data", data.toString(), "--port", "0", "--workers", "2",
        "--no-access-log");
    // working directory: the temporary folder, where a JVM crash report (hs_err_pid*.log) would land
    Process child = new ProcessBuilder(command).directory(temp.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    children.add(child);
    return child;
  }

  private static URI awaitUrl(Process child, Path log) throws Exception {
    long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
    while (true) {
      Matcher m = SERVING.matcher(log(log));
      if (m.find()) {
        // the workers given, each running the model on one thread (serve's default, decision 0015)
        assertThat(log(log)).contains("2 worker(s) × 1 ONNX thread(s)");
        return URI.create(m.group(1));
      }
      assertThat(child.isAlive()).as("serve exited:\n%s", log(log)).isTrue();
      assertThat(System.nanoTime()).as("serve not ready in time:\n%s", log(log)).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static String log(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }
}
