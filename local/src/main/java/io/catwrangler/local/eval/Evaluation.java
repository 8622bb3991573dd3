package io.catwrangler.local.eval;

import io.catwrangler.core.detection.CatDetector;
import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.image.ImageRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
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
   * @param classified the images of {@code scored}, in the same order
   * @param threshold the detector's own threshold
   * @param stageMillis per stage, the time of each image in run order
   * @param failures files that could not be classified
   * @param wallSeconds elapsed time of the whole run
   */
  public record Result(
      List<ScoredImage> scored,
      List<LabelledImage> classified,
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

    /** Wrong answers at the threshold per category, with the category's size: category → {wrong, n}. */
    public Map<String, int[]> errorsByCategory() {
      Map<String, int[]> out = new java.util.TreeMap<>();
      for (int i = 0; i < scored.size(); i++) {
        ScoredImage s = scored.get(i);
        int[] counts = out.computeIfAbsent(classified.get(i).category(), k -> new int[2]);
        counts[0] += (s.score() >= threshold) != s.isCat() ? 1 : 0;
        counts[1]++;
      }
      return out;
    }

    /** The files answered wrongly at the threshold, with their scores. */
    public List<String> wrong() {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < scored.size(); i++) {
        ScoredImage s = scored.get(i);
        if ((s.score() >= threshold) != s.isCat()) {
          out.add(String.format(java.util.Locale.ROOT, "%s (%s, score %.3f)", classified.get(i).path().getFileName(),
              classified.get(i).category(), s.score()));
        }
      }
      return out;
    }

    /** Mean time per classified image over all stages, in milliseconds. */
    public double meanMillisPerImage() {
      double[] total = stageMillis.getOrDefault("total", new double[0]);
      return total.length == 0 ? 0 : Arrays.stream(total).average().orElse(0);
    }
  }

  /**
   * Runs several detectors over the same images in one pass, image by image, so that each sees the same machine load
   * (the order among them turns with every image). Each result's wall time is the time spent in its own detector.
   *
   * @param detectors by name, in the order the results are wanted
   */
  public static Map<String, Result> compare(Map<String, ? extends CatDetector> detectors, List<LabelledImage> images)
      throws IOException {
    List<String> names = new ArrayList<>(detectors.keySet());
    Map<String, Run> runs = new LinkedHashMap<>();
    names.forEach(n -> runs.put(n, new Run()));
    for (int i = 0; i < images.size(); i++) {
      LabelledImage image = images.get(i);
      byte[] bytes = Files.readAllBytes(image.path());
      for (int k = 0; k < names.size(); k++) {
        String name = names.get((i + k) % names.size());
        runs.get(name).classify(detectors.get(name), image, bytes);
      }
    }
    Map<String, Result> results = new LinkedHashMap<>();
    runs.forEach((name, run) -> results.put(name, run.result(run.nanos / 1e9)));
    return results;
  }

  public Result run(List<LabelledImage> images) throws IOException {
    Run run = new Run();
    long start = System.nanoTime();
    for (LabelledImage image : images) {
      run.classify(detector, image, Files.readAllBytes(image.path()));
    }
    return run.result((System.nanoTime() - start) / 1e9);
  }

  /** What one detector answered so far. */
  private static final class Run {
    final List<ScoredImage> scored = new ArrayList<>();
    final List<LabelledImage> classified = new ArrayList<>();
    final List<Failure> failures = new ArrayList<>();
    final Map<String, List<Double>> stages = new LinkedHashMap<>();
    double threshold = Double.NaN;
    long nanos;

    void classify(CatDetector detector, LabelledImage image, byte[] bytes) {
      long start = System.nanoTime();
      try {
        CatVerdict v = detector.detect(bytes);
        threshold = v.threshold();
        scored.add(new ScoredImage(image.isCat(), v.catScore()));
        classified.add(image);
        v.timings().millis().forEach((stage, ms) -> stages.computeIfAbsent(stage, k -> new ArrayList<>()).add(ms));
        stages.computeIfAbsent("total", k -> new ArrayList<>()).add(v.timings().total());
      } catch (ImageRejectedException e) {
        failures.add(new Failure(image, e.code() + ": " + e.getMessage()));
      }
      nanos += System.nanoTime() - start;
    }

    Result result(double wallSeconds) {
      Map<String, double[]> stageMillis = new LinkedHashMap<>();
      stages.forEach((k, v) -> stageMillis.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
      return new Result(List.copyOf(scored), List.copyOf(classified), threshold, stageMillis, List.copyOf(failures), wallSeconds);
    }
  }
}
