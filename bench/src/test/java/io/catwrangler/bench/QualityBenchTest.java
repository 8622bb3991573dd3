package io.catwrangler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench/run quality} on a small view: a fresh data folder filled, then the figures timed over HTTP. */
class QualityBenchTest {
  @TempDir Path temp;

  @Test
  void fillsAFreshFolderAndTimesTheFigures() {
    BenchmarksTest.Run run = BenchmarksTest.run("quality", temp.resolve("data").toString(), "--images", "400",
        "--labelled", "40");

    assertThat(run.code()).as("stderr: %s", run.err()).isZero();
    assertThat(run.out()).contains("filled 400 images (40 labelled)")
        .containsPattern("tally \\+ intervals \\(in process\\) +p50 +[0-9.]+ ms .*\\(50 runs\\)")
        .containsPattern("GET /quality \\(HTTP\\) +p50")
        .containsPattern("GET /metrics \\(HTTP\\) +p50")
        .contains("\"labelled\":40");
  }

  @Test
  void refusesAFolderThatExists() throws Exception {
    Files.createDirectories(temp.resolve("data"));

    BenchmarksTest.Run run = BenchmarksTest.run("quality", temp.resolve("data").toString());

    assertThat(run.code()).isNotZero();
    assertThat(run.err()).contains("exists; the bench fills a fresh folder");
  }
}
