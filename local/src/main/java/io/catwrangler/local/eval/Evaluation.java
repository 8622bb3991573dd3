package io.catwrangler.local.eval;

import io.catwrangler.core.detection.CatDetector;
import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.image.ImageRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a detector over a labelled folder and measures how well and how fast it answers. */
public final class Evaluation {
  private final CatDetector detector;

  public Evaluation(CatDetector detector) {
    this.detector = detector;
  }

  /** A file the detector refused; it counts as neither right nor wrong and is listed apart. */
  public record Failure(LabelledImage image, String reason) {}

  /**
   * @param scored one entry per classified image
   * @param threshold the detector's own threshold
   * @param stageMillis per stage, the time of each image in run order
   * @param failures files that could not be classified
   * @param wallSeconds elapsed time of the whole run
   */
  public record Result(
      List<ScoredImage> scored,
      double threshold,
      Map<String, double[]> stageMillis,
      List<Failure> failures,
      double wallSeconds) {

    public BinaryMetrics metrics() {
      return BinaryMetrics.at(scored, threshold);
    }

    public ThresholdSearch.Best best() {
      return ThresholdSearch.best(scored, threshold);
    }

    public double imagesPerSecond() {
      return wallSeconds == 0 ? 0 : scored.size() / wallSeconds;
    }
  }

  public Result run(List<LabelledImage> images) throws IOException {
    List<ScoredImage> scored = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    Map<String, List<Double>> stages = new LinkedHashMap<>();
    double threshold = Double.NaN;
    long start = System.nanoTime();
    for (LabelledImage image : images) {
      byte[] bytes = Files.readAllBytes(image.path());
      try {
        CatVerdict v = detector.detect(bytes);
        threshold = v.threshold();
        scored.add(new ScoredImage(image.isCat(), v.catScore()));
        v.timings().millis().forEach((stage, ms) -> stages.computeIfAbsent(stage, k -> new ArrayList<>()).add(ms));
        stages.computeIfAbsent("total", k -> new ArrayList<>()).add(v.timings().total());
      } catch (ImageRejectedException e) {
        failures.add(new Failure(image, e.code() + ": " + e.getMessage()));
      }
    }
    double wall = (System.nanoTime() - start) / 1e9;
    Map<String, double[]> stageMillis = new LinkedHashMap<>();
    stages.forEach((k, v) -> stageMillis.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
    return new Result(scored, threshold, stageMillis, failures, wall);
  }
}
