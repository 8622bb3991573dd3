package io.catwrangler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code bench/run export} on a small view: real SQLite rows of a real answer's size, exported over loopback HTTP by
 * the embedded server, every row counted (the program fails when one is missing).
 */
class ExportBenchTest {

  @Test
  void exportsEveryRowInBothFormats() {
    BenchmarksTest.Run run = BenchmarksTest.run("export", "--rows", "1500", "--runs", "1");

    assertThat(run.code()).as("stderr: %s", run.err()).isZero();
    assertThat(run.out()).contains("filled 1,500 view rows", "heap after GC before: ")
        .containsPattern("application/x-ndjson +run 1: 1,500 rows, [0-9.]+ MB in [0-9.]+ s")
        .containsPattern("text/csv +run 1: 1,500 rows, [0-9.]+ MB in [0-9.]+ s");
  }
}
