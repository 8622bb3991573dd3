package io.catwrangler.local.cli;

import io.catwrangler.detector.Boxes;
import io.catwrangler.detector.DetectorConfig;
import io.catwrangler.detector.ImageNetCatDetector;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The detector flags shared by every command that runs the model (the benchmark programs' too). */
public final class DetectorOptions {
  @Option(names = "--threshold", description = "Cat probability at or above which the answer is yes (default: "
      + "${DEFAULT-VALUE}: more likely a cat than not).")
  double threshold = DetectorConfig.DEFAULT_THRESHOLD;

  @Option(names = "--boxes", paramLabel = "always|never",
      description = "Also run CenterNet for detections and boxes: always (default) or never (the classifier alone, "
          + "several times the throughput).")
  String boxes;

  @Option(names = "--threads",
      description = "ONNX Runtime threads per inference (default: min(2, cores); 1 for serve and the load test, whose"
          + " workers run inferences side by side).")
  Integer threads;

  /** The flags over the defaults of a command that runs one inference at a time. */
  public DetectorConfig config() {
    return config(DetectorConfig.defaults());
  }

  /** The flags over {@code base}. */
  public DetectorConfig config(DetectorConfig base) {
    DetectorConfig c = base.withThreshold(threshold);
    if (boxes != null) {
      c = c.withBoxes(Boxes.parse(boxes));
    }
    return threads == null ? c : c.withThreads(threads);
  }

  /** {@code --boxes} as given, to pass on to a server. */
  public Optional<String> boxes() {
    return Optional.ofNullable(boxes);
  }

  /** {@code --threads} as given, to pass on to a server. */
  public Optional<Integer> threads() {
    return Optional.ofNullable(threads);
  }

  ImageNetCatDetector load() {
    return ImageNetCatDetector.load(config());
  }
}
