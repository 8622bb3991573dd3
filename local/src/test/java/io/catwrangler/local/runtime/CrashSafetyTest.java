package io.catwrangler.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.events.ClassificationFailed;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.Event;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageStatus;
import io.catwrangler.local.sqlite.SqliteDatabase;
import io.catwrangler.local.sqlite.SqliteEventStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing accepted is lost when the process is killed: a child JVM ingests and classifies, is killed with SIGKILL
 * ({@link Process#destroyForcibly()}) in the middle, twice; then a runtime reopened on the data folder brings every
 * acknowledged upload to CLASSIFIED or FAILED with exactly one classification per image.
 */
class CrashSafetyTest {
  private static final int UPLOADS_PER_RUN = 300;
  private static final Duration DEADLINE = Duration.ofSeconds(180);

  @TempDir Path work;

  @Test
  void everyAcceptedUploadIsFinishedAfterKillMinusNine() throws Exception {
    Path dataDir = work.resolve("data");
    Path acks = work.resolve("acks.txt");
    Files.createFile(acks);

    for (int run = 0; run < 2; run++) {
      int before = acknowledged(acks).size();
      Process child = startChild(dataDir, run * UPLOADS_PER_RUN, acks, work.resolve("child-" + run + ".log"));
      try {
        // kill once a third of this run's uploads were accepted: uploads, classifications and projection in flight
        awaitLines(acks, before + UPLOADS_PER_RUN / 3, child, work.resolve("child-" + run + ".log"));
      } finally {
        child.destroyForcibly();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child killed").isTrue();
      }
    }

    List<String> accepted = acknowledged(acks);
    assertThat(accepted.size()).isGreaterThanOrEqualTo(2 * UPLOADS_PER_RUN / 3);
    Set<ImageId> images = new LinkedHashSet<>();
    accepted.forEach(line -> images.add(ImageId.of(line)));

    LocalConfig config = CrashingIngestChild.config(dataDir);
    try (LocalRuntime runtime =
        LocalRuntime.open(config, new FakeCatDetector(config.detector().threshold()))) {
      assertThat(runtime.awaitIdle(DEADLINE)).as("the pipeline drains after restart").isTrue();
      assertThat(runtime.queue().deadLetters(10)).isEmpty();
      for (ImageId id : images) {
        assertThat(runtime.query().image(id.value(), false).status())
            .as("status of %s", id)
            .isIn(ImageStatus.CLASSIFIED, ImageStatus.FAILED);
      }
    }

    try (SqliteDatabase db = SqliteDatabase.open(dataDir.resolve(SqliteDatabase.FILE_NAME))) {
      SqliteEventStore events = new SqliteEventStore(db);
      List<ImageId> all = new ArrayList<>();
      PageRequest page = PageRequest.first(PageRequest.MAX_LIMIT);
      while (true) {
        var ids = events.imageIds(page);
        all.addAll(ids.items());
        if (ids.nextCursor().isEmpty()) {
          break;
        }
        page = page.next(ids.nextCursor().get());
      }
      assertThat(all).containsAll(images);
      for (ImageId id : all) {
        List<Event> stream = events.read(id);
        long outcomes =
            stream.stream()
                .filter(e -> e instanceof ClassificationSucceeded
                    || (e instanceof ClassificationFailed f && !f.failure().retryable()))
                .count();
        assertThat(outcomes).as("classification events of %s", id).isEqualTo(1);
      }
    }
  }

  private static Process startChild(Path dataDir, int first, Path acks, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        List.of(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            CrashingIngestChild.class.getName(),
            dataDir.toString(),
            Integer.toString(first),
            Integer.toString(UPLOADS_PER_RUN),
            acks.toString());
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static void awaitLines(Path acks, int lines, Process child, Path log) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (acknowledged(acks).size() < lines) {
      if (!child.isAlive()) {
        throw new AssertionError("the child died by itself:\n" + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the child accepted too few uploads in time:\n" + Files.readString(log));
      }
      Thread.sleep(5);
    }
  }

  /** Complete lines only: a line cut by the kill is not an acknowledgement. */
  static List<String> acknowledged(Path acks) throws IOException {
    String text = Files.readString(acks, StandardCharsets.US_ASCII);
    int end = text.lastIndexOf('\n');
    if (end < 0) {
      return List.of();
    }
    return List.of(text.substring(0, end).split("\n"));
  }
}
