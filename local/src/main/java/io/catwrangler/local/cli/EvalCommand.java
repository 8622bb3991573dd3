package io.catwrangler.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catwrangler.detector.CenterNetCatDetector;
import io.catwrangler.detector.DetectorConfig;
import io.catwrangler.detector.DetectorVariant;
import io.catwrangler.local.eval.BinaryMetrics;
import io.catwrangler.local.eval.Evaluation;
import io.catwrangler.local.eval.LabelledFolder;
import io.catwrangler.local.eval.LabelledImage;
import io.catwrangler.local.eval.Percentiles;
import io.catwrangler.local.eval.ThresholdSearch;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code catwrangler eval DIR}: accuracy and speed of the detector on a labelled folder; with {@code --variants}, of
 * several detector variants side by side, measured in the same run.
 */
@Command(name = "eval", description = "Measure the detector on a folder with cat/ and not_cat/ subfolders.")
final class EvalCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DIR", description = "Folder with cat/ and not_cat/ subfolders of JPEG/PNG files.")
  Path dir;

  @Option(names = "--json", description = "Print one JSON object instead of a report.")
  boolean json;

  @Option(names = "--variants", split = ",", paramLabel = "NAME",
      description = "Also measure these detector variants, each at its own threshold (chosen on shared/train), in the "
          + "same run: 'all', or some of head, bare, zoom, zoom-head, tiles. The default variant always comes first.")
  List<String> variants = new ArrayList<>();

  @Mixin DetectorOptions detectorOptions = new DetectorOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    List<LabelledImage> images = LabelledFolder.read(dir);
    DetectorConfig base = detectorOptions.config();
    Map<String, Evaluation.Result> results;
    List<DetectorVariant> chosen = chosenVariants(base.variant());
    try (CenterNetCatDetector first = CenterNetCatDetector.load(base)) {
      Map<String, CenterNetCatDetector> detectors = new LinkedHashMap<>();
      detectors.put(base.variant().name(), first);
      for (DetectorVariant v : chosen.subList(1, chosen.size())) {
        detectors.put(v.name(), first.sharingModel(base.withVariant(v)));
      }
      results = Evaluation.compare(detectors, images);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson(chosen, results)));
    } else {
      out.print(report(chosen, results));
    }
    out.flush();
    return 0;
  }

  /** The configured (default) variant first, then the ones asked for, each once. */
  List<DetectorVariant> chosenVariants(DetectorVariant configured) {
    Set<DetectorVariant> chosen = new LinkedHashSet<>();
    chosen.add(configured);
    for (String name : variants) {
      if (name.strip().equalsIgnoreCase("all")) {
        chosen.addAll(DetectorVariant.ALL);
      } else {
        chosen.add(DetectorVariant.named(name));
      }
    }
    return new ArrayList<>(chosen);
  }

  ObjectNode toJson(List<DetectorVariant> chosen, Map<String, Evaluation.Result> results) {
    DetectorVariant main = chosen.get(0);
    Evaluation.Result r = results.get(main.name());
    BinaryMetrics m = r.metrics();
    ThresholdSearch.Best best = r.best();
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("dir", dir.toString());
    o.put("variant", main.name());
    o.put("model_version", main.version());
    o.put("n", m.n());
    o.put("accuracy", m.accuracy());
    o.put("precision", m.precision());
    o.put("recall", m.recall());
    o.put("f1", m.f1());
    o.put("threshold", r.threshold());
    o.put("true_positives", m.truePositives());
    o.put("false_positives", m.falsePositives());
    o.put("true_negatives", m.trueNegatives());
    o.put("false_negatives", m.falseNegatives());
    o.put("best_threshold", best.threshold());
    o.put("best_accuracy", best.metrics().accuracy());
    o.put("images_per_second", r.imagesPerSecond());
    o.put("ms_per_image", r.meanMillisPerImage());
    o.put("failed", r.failures().size());
    ObjectNode stages = o.putObject("stage_ms");
    r.stageMillis().forEach((stage, ms) -> {
      ObjectNode s = stages.putObject(stage);
      s.put("p50", Percentiles.of(ms, 50));
      s.put("p95", Percentiles.of(ms, 95));
    });
    o.put("peak_rss_mb", ProcessMemory.peakRssMegabytes());
    if (chosen.size() > 1) {
      ArrayNode all = o.putArray("variants");
      for (DetectorVariant v : chosen) {
        Evaluation.Result vr = results.get(v.name());
        BinaryMetrics vm = vr.metrics();
        ObjectNode n = all.addObject();
        n.put("variant", v.name());
        n.put("model_version", v.version());
        n.put("inferences", v.inferences());
        n.put("threshold", vr.threshold());
        n.put("n", vm.n());
        n.put("accuracy", vm.accuracy());
        n.put("precision", vm.precision());
        n.put("recall", vm.recall());
        n.put("false_positives", vm.falsePositives());
        n.put("false_negatives", vm.falseNegatives());
        n.put("best_threshold", vr.best().threshold());
        n.put("best_accuracy", vr.best().metrics().accuracy());
        n.put("ms_per_image", vr.meanMillisPerImage());
        n.put("images_per_second", vr.imagesPerSecond());
        double ratio = timeVsBare(v, results);
        if (Double.isNaN(ratio)) {
          n.putNull("time_vs_bare");
        } else {
          n.put("time_vs_bare", ratio);
        }
      }
    }
    return o;
  }

  String report(List<DetectorVariant> chosen, Map<String, Evaluation.Result> results) {
    DetectorVariant main = chosen.get(0);
    Evaluation.Result r = results.get(main.name());
    BinaryMetrics m = r.metrics();
    ThresholdSearch.Best best = r.best();
    StringBuilder b = new StringBuilder();
    b.append(String.format("%s: %d images (%d cat, %d not cat)%n", dir, m.n(),
        m.truePositives() + m.falseNegatives(), m.trueNegatives() + m.falsePositives()));
    b.append(String.format("%ndetector variant %s (%s), at threshold %.3f (in use)%n", main.name(), main.version(),
        r.threshold()));
    b.append(String.format("  accuracy  %.4f%n  precision %.4f%n  recall    %.4f%n  F1        %.4f%n",
        m.accuracy(), m.precision(), m.recall(), m.f1()));
    b.append(String.format("  confusion: %d true positive, %d false positive, %d true negative, %d false negative%n",
        m.truePositives(), m.falsePositives(), m.trueNegatives(), m.falseNegatives()));
    b.append(String.format("%nin hindsight (for comparison, not a tuned setting): threshold %.3f would give accuracy %.4f%n",
        best.threshold(), best.metrics().accuracy()));
    b.append(String.format("%ntime per image (ms)        p50      p95%n"));
    r.stageMillis().forEach((stage, ms) -> b.append(String.format("  %-20s %8.1f %8.1f%n", stage,
        Percentiles.of(ms, 50), Percentiles.of(ms, 95))));
    b.append(String.format("  throughput: %.1f images/s over %.1f s (one image at a time)%n",
        r.imagesPerSecond(), r.wallSeconds()));
    b.append(String.format("  peak RSS: %d MB%n", ProcessMemory.peakRssMegabytes()));
    if (chosen.size() > 1) {
      b.append(String.format("%nvariants side by side (same run, images interleaved; each at its own threshold)%n"));
      b.append(String.format("  %-10s %-16s %4s %9s %9s %9s %9s %4s %4s %9s %8s%n", "variant", "version", "inf",
          "threshold", "accuracy", "precision", "recall", "FP", "FN", "ms/image", "vs bare"));
      for (DetectorVariant v : chosen) {
        Evaluation.Result vr = results.get(v.name());
        BinaryMetrics vm = vr.metrics();
        double ratio = timeVsBare(v, results);
        b.append(String.format("  %-10s %-16s %4d %9.3f %9.4f %9.4f %9.4f %4d %4d %9.1f %8s%n", v.name(), v.version(),
            v.inferences(), vr.threshold(), vm.accuracy(), vm.precision(), vm.recall(), vm.falsePositives(),
            vm.falseNegatives(), vr.meanMillisPerImage(), Double.isNaN(ratio) ? "-" : String.format("%.2f×", ratio)));
      }
    }
    if (!r.failures().isEmpty()) {
      b.append(String.format("%n%d file(s) could not be classified:%n", r.failures().size()));
      r.failures().forEach(f -> b.append("  ").append(f.image().path()).append(": ").append(f.reason()).append('\n'));
    }
    return b.toString();
  }

  /** Mean time per image relative to the bare variant's in the same run; NaN when bare was not run. */
  private static double timeVsBare(DetectorVariant v, Map<String, Evaluation.Result> results) {
    Evaluation.Result bare = results.get(DetectorVariant.BARE.name());
    if (bare == null || bare.meanMillisPerImage() == 0) {
      return Double.NaN;
    }
    return results.get(v.name()).meanMillisPerImage() / bare.meanMillisPerImage();
  }
}
