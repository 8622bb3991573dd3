package io.catwrangler.local.cli;

import io.catwrangler.detector.CenterNetCatDetector;
import io.catwrangler.detector.DetectorConfig;
import picocli.CommandLine.Option;

/** The detector flags shared by every command that runs the model. */
final class DetectorOptions {
  @Option(names = "--threshold", description = "Cat score at or above which the answer is yes (default: ${DEFAULT-VALUE}).")
  double threshold = DetectorConfig.DEFAULT_THRESHOLD;

  @Option(names = "--threads", description = "ONNX Runtime threads per inference (default: min(2, cores)).")
  Integer threads;

  DetectorConfig config() {
    DetectorConfig c = DetectorConfig.defaults().withThreshold(threshold);
    return threads == null ? c : c.withThreads(threads);
  }

  CenterNetCatDetector load() {
    return CenterNetCatDetector.load(config());
  }
}
