package io.catwrangler.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catwrangler.detector.CenterNetCatDetector;
import io.catwrangler.local.eval.BinaryMetrics;
import io.catwrangler.local.eval.Evaluation;
import io.catwrangler.local.eval.LabelledFolder;
import io.catwrangler.local.eval.LabelledImage;
import io.catwrangler.local.eval.Percentiles;
import io.catwrangler.local.eval.ThresholdSearch;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code catwrangler eval DIR}: accuracy and speed of the detector on a labelled folder. */
@Command(name = "eval", description = "Measure the detector on a folder with cat/ and not_cat/ subfolders.")
final class EvalCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DIR", description = "Folder with cat/ and not_cat/ subfolders of JPEG/PNG files.")
  Path dir;

  @Option(names = "--json", description = "Print one JSON object instead of a report.")
  boolean json;

  @Mixin DetectorOptions detectorOptions = new DetectorOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    List<LabelledImage> images = LabelledFolder.read(dir);
    Evaluation.Result result;
    try (CenterNetCatDetector detector = detectorOptions.load()) {
      result = new Evaluation(detector).run(images);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson(result)));
    } else {
      out.print(report(result));
    }
    out.flush();
    return 0;
  }

  ObjectNode toJson(Evaluation.Result r) {
    BinaryMetrics m = r.metrics();
    ThresholdSearch.Best best = r.best();
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("dir", dir.toString());
    o.put("n", m.n());
    o.put("accuracy", m.accuracy());
    o.put("precision", m.precision());
    o.put("recall", m.recall());
    o.put("f1", m.f1());
    o.put("threshold", detectorOptions.threshold);
    o.put("true_positives", m.truePositives());
    o.put("false_positives", m.falsePositives());
    o.put("true_negatives", m.trueNegatives());
    o.put("false_negatives", m.falseNegatives());
    o.put("best_threshold", best.threshold());
    o.put("best_accuracy", best.metrics().accuracy());
    o.put("images_per_second", r.imagesPerSecond());
    o.put("failed", r.failures().size());
    ObjectNode stages = o.putObject("stage_ms");
    r.stageMillis().forEach((stage, ms) -> {
      ObjectNode s = stages.putObject(stage);
      s.put("p50", Percentiles.of(ms, 50));
      s.put("p95", Percentiles.of(ms, 95));
    });
    o.put("peak_rss_mb", ProcessMemory.peakRssMegabytes());
    return o;
  }

  String report(Evaluation.Result r) {
    BinaryMetrics m = r.metrics();
    ThresholdSearch.Best best = r.best();
    StringBuilder b = new StringBuilder();
    b.append(String.format("%s: %d images (%d cat, %d not cat)%n", dir, m.n(),
        m.truePositives() + m.falseNegatives(), m.trueNegatives() + m.falsePositives()));
    b.append(String.format("%nat threshold %.3f (in use)%n", detectorOptions.threshold));
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
    if (!r.failures().isEmpty()) {
      b.append(String.format("%n%d file(s) could not be classified:%n", r.failures().size()));
      r.failures().forEach(f -> b.append("  ").append(f.image().path()).append(": ").append(f.reason()).append('\n'));
    }
    return b.toString();
  }
}
