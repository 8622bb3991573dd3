package io.catwrangler.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.detector.DetectorConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalConfigTest {
  @Test
  void aServerRunsOneInferenceThreadPerWorkerAndOneWorkerPerCore() {
    LocalConfig config = LocalConfig.defaults(Path.of("data"));
    int cores = Runtime.getRuntime().availableProcessors();

    assertThat(config.detector().intraOpThreads()).isEqualTo(1);
    assertThat(config.workers()).isEqualTo(Math.max(2, Math.min(8, cores)));
    // everything else as the detector's own defaults, which one-at-a-time callers (eval, bench) keep
    DetectorConfig shared = DetectorConfig.defaults();
    assertThat(config.detector().withThreads(shared.intraOpThreads())).isEqualTo(shared);
    assertThat(shared.intraOpThreads()).isEqualTo(Math.min(2, cores));
  }
}
