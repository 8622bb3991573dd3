package io.catwrangler.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.core.ingest.Upload;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.Label;
import io.catwrangler.events.LabelRecorded;
import io.catwrangler.events.SubmissionSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A label the server said it recorded survives kill -9: a child JVM labels answered images from 4 threads and is
 * killed with SIGKILL in the middle; a runtime reopened on the folder shows every acknowledged label, once, in the
 * event table and in the view (and so in the quality figures).
 */
class LabelCrashSafetyTest {
  private static final int IMAGES = 400;
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @TempDir Path work;

  @Test
  void everyRecordedLabelSurvivesKillMinusNine() throws Exception {
    Path dataDir = work.resolve("data");
    Path acks = work.resolve("acks.txt");
    Path log = work.resolve("child.log");
    Files.createFile(acks);
    LocalConfig config = CrashingIngestChild.config(dataDir);
    try (LocalRuntime runtime = LocalRuntime.open(config, new FakeCatDetector(config.detector().threshold()))) {
      for (int n = 0; n < IMAGES; n++) {
        runtime.ingest().ingest(Upload.of(CrashingLabelChild.image(n), SubmissionSource.API));
      }
      assertThat(runtime.awaitIdle(DEADLINE)).isTrue();
    }

    Process child = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), CrashingLabelChild.class.getName(),
        dataDir.toString(), Integer.toString(IMAGES), acks.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (CrashSafetyTest.acknowledged(acks).size() < IMAGES * CrashingLabelChild.ROUNDS / 3) {
        assertThat(child.isAlive()).as("the child died by itself:\n%s", Files.readString(log)).isTrue();
        assertThat(System.nanoTime()).as("too few labels in time:\n%s", Files.readString(log)).isLessThan(deadline);
        Thread.sleep(2);
      }
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child killed").isTrue();
    }

    // image -> the last round acknowledged for it
    Map<Integer, Integer> lastRound = new TreeMap<>();
    List<String> lines = CrashSafetyTest.acknowledged(acks);
    for (String line : lines) {
      String[] parts = line.split(" ");
      lastRound.merge(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Math::max);
    }
    assertThat(lines.size()).as("killed while labelling").isBetween(IMAGES * CrashingLabelChild.ROUNDS / 3,
        IMAGES * CrashingLabelChild.ROUNDS - 1);
    try (LocalRuntime runtime = LocalRuntime.open(config, new FakeCatDetector(config.detector().threshold()))) {
      assertThat(runtime.awaitIdle(DEADLINE)).isTrue();
      for (var image : lastRound.entrySet()) {
        int n = image.getKey();
        String id = ImageId.sha256Of(CrashingLabelChild.image(n)).value();
        List<Label> stored = runtime.query().history(id).stream().filter(e -> e instanceof LabelRecorded)
            .map(e -> ((LabelRecorded) e).label()).toList();
        // every acknowledged round is there, once, in order; a round recorded but not yet acknowledged may follow
        for (int round = 0; round <= image.getValue(); round++) {
          assertThat(stored.get(round)).as("image %d round %d", n, round)
              .isEqualTo(new Label(CrashingLabelChild.cat(n, round), CrashingLabelChild.by(n, round)));
        }
        assertThat(stored).as("labels of image %d", n).hasSizeBetween(image.getValue() + 1, image.getValue() + 2);
        assertThat(runtime.query().image(id, false).label()).as("the newest label of image %d in the view", n)
            .hasValueSatisfying(l -> assertThat(l.label()).isEqualTo(stored.get(stored.size() - 1)));
      }
      // plus at most one label per labelling thread recorded before the kill but not acknowledged
      assertThat(runtime.quality().measure().labelled()).isBetween((long) lastRound.size(), lastRound.size() + 4L);
    }
  }
}
