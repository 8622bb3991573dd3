package io.catwrangler.local.cli;

import io.catwrangler.detector.CenterNetCatDetector;
import io.catwrangler.detector.DetectorConfig;
import picocli.CommandLine.Option;

/** The detector flags shared by every command that runs the model. */
final class DetectorOptions {
  @Option(names = "--threshold", description = "Cat score at or above which the answer is yes (default: ${DEFAULT-VALUE}).")
  double threshold = DetectorConfig.DEFAULT_THRESHOLD;

  @Option(names = "--threads",
      description = "ONNX Runtime threads per inference (default: min(2, cores); 1 for serve and loadtest, whose"
          + " workers run inferences side by side).")
  Integer threads;

  /** The flags over the defaults of a command that runs one inference at a time. */
  DetectorConfig config() {
    return config(DetectorConfig.defaults());
  }

  /** The flags over {@code base}. */
  DetectorConfig config(DetectorConfig base) {
    DetectorConfig c = base.withThreshold(threshold);
    return threads == null ? c : c.withThreads(threads);
  }

  CenterNetCatDetector load() {
    return CenterNetCatDetector.load(config());
  }
}
