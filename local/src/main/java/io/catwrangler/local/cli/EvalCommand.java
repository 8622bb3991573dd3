package io.catwrangler.local.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catwrangler.core.detection.CatDetector;
import io.catwrangler.detector.CenterNetCatDetector;
import io.catwrangler.detector.DetectorConfig;
import io.catwrangler.detector.DetectorVariant;
import io.catwrangler.detector.ImageNetCatDetector;
import io.catwrangler.events.Json;
import io.catwrangler.local.eval.BinaryMetrics;
import io.catwrangler.local.eval.Evaluation;
import io.catwrangler.local.eval.LabelledFolder;
import io.catwrangler.local.eval.LabelledImage;
import io.catwrangler.local.eval.Percentiles;
import io.catwrangler.local.eval.Reliability;
import io.catwrangler.local.eval.ThresholdSearch;
import io.catwrangler.local.http.ApiClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code catwrangler eval DIR}: accuracy, calibration and speed of the detector on a labelled folder, and side by side
 * in the same run (images interleaved) what CenterNet alone answered before the classifier: today's head-v1 and the
 * bare cat score, each at its own threshold. Errors per category when the folder's manifest.csv has categories.
 * {@code catwrangler eval --labelled SERVER}: the same figures for the server's current model on the images people
 * labelled there ({@code GET /quality}), with no model run here.
 */
@Command(name = "eval", description = {"Measure the detector on a folder with cat/ and not_cat/ subfolders, beside "
    + "CenterNet's head-v1 and bare score.", "With --labelled SERVER: the server's current model on the images "
    + "people labelled (GET /quality)."})
final class EvalCommand implements Callable<Integer> {
  /** The name of the detector the service runs, first in every table. */
  static final String DEFAULT = "default";

  @Parameters(paramLabel = "DIR", arity = "0..1",
      description = "Folder with cat/ and not_cat/ subfolders of JPEG/PNG files (not with --labelled).")
  Path dir;

  @Option(names = "--labelled", paramLabel = "SERVER",
      description = "Instead of a folder: accuracy, precision and recall (Wilson 95 % intervals) of the running "
          + "server's model on the images people labelled, and at other thresholds (GET /quality).")
  String labelled;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:CATWRANGLER_TOKEN}",
      description = "With --labelled: bearer token, when the server needs one (default: $CATWRANGLER_TOKEN).")
  String token;

  @Option(names = "--json", description = "Print one JSON object instead of a report.")
  boolean json;

  @Option(names = "--only-default", description = "Measure the service's detector alone, without CenterNet's "
      + "head-v1 and bare score beside it.")
  boolean onlyDefault;

  @Mixin DetectorOptions detectorOptions = new DetectorOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if ((labelled == null) == (dir == null)) {
      throw new ParameterException(spec.commandLine(), "give a folder (DIR) or --labelled SERVER, not both or neither");
    }
    if (labelled != null) {
      return labelled();
    }
    List<LabelledImage> images = LabelledFolder.read(dir);
    DetectorConfig base = detectorOptions.config();
    Map<String, Evaluation.Result> results;
    Map<String, String> versions = new LinkedHashMap<>();
    try (ImageNetCatDetector main = ImageNetCatDetector.load(base);
        CenterNetCatDetector head = onlyDefault ? null : CenterNetCatDetector.load(base.withVariant(DetectorVariant.HEAD))) {
      Map<String, CatDetector> detectors = new LinkedHashMap<>();
      detectors.put(DEFAULT, main);
      if (head != null) {
        detectors.put(DetectorVariant.HEAD.version(), head);
        detectors.put(DetectorVariant.BARE.name(), head.sharingModel(base.withVariant(DetectorVariant.BARE)));
      }
      detectors.forEach((name, d) -> versions.put(name, d.model().name() + "@" + d.model().version()));
      results = Evaluation.compare(detectors, images);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(versions, results)));
    } else {
      out.print(report(versions, results));
    }
    out.flush();
    return 0;
  }

  /** {@code GET /quality} of the server, as a report or (with {@code --json}) the server's JSON as it is. */
  private int labelled() throws InterruptedException {
    ApiClient client = new ApiClient(URI.create(labelled), Optional.ofNullable(token), Duration.ofSeconds(60));
    return ClientErrors.exchange(spec, client, c -> c.get("/quality"),
        ClientErrors.jsonOr(json, (out, quality) -> out.print(QualityReport.of(labelled, quality))));
  }

  ObjectNode toJson(Map<String, String> versions, Map<String, Evaluation.Result> results) {
    Evaluation.Result r = results.get(DEFAULT);
    BinaryMetrics m = r.metrics();
    ThresholdSearch.Best best = r.best();
    ObjectNode o = Json.object();
    o.put("dir", dir.toString());
    o.put("variant", DEFAULT);
    o.put("model_version", versions.get(DEFAULT));
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
    Reliability reliability = Reliability.of(r.scored());
    ObjectNode cal = o.putObject("calibration");
    cal.put("expected_calibration_error", reliability.expectedCalibrationError());
    cal.put("brier_score", reliability.brierScore());
    ArrayNode bins = cal.putArray("bins");
    for (Reliability.Bin bin : reliability.bins()) {
      ObjectNode b = bins.addObject().put("from", bin.from()).put("to", bin.to()).put("n", bin.n());
      if (bin.n() > 0) {
        b.put("mean_score", bin.meanScore()).put("cat_share", bin.catShare());
      }
    }
    o.put("peak_rss_mb", ProcessMemory.peakRssMegabytes());
    ArrayNode all = o.putArray("variants");
    results.forEach((name, vr) -> {
      BinaryMetrics vm = vr.metrics();
      ObjectNode n = all.addObject();
      n.put("variant", name);
      n.put("model_version", versions.get(name));
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
      ObjectNode errors = n.putObject("errors_by_category");
      vr.errorsByCategory().forEach((category, c) -> errors.putObject(category).put("wrong", c[0]).put("n", c[1]));
    });
    return o;
  }

  String report(Map<String, String> versions, Map<String, Evaluation.Result> results) {
    Evaluation.Result r = results.get(DEFAULT);
    BinaryMetrics m = r.metrics();
    ThresholdSearch.Best best = r.best();
    StringBuilder b = new StringBuilder();
    b.append(String.format("%s: %d images (%d cat, %d not cat)%n", dir, m.n(),
        m.truePositives() + m.falseNegatives(), m.trueNegatives() + m.falsePositives()));
    b.append(String.format("%ndetector %s, at threshold %.3f (in use)%n", versions.get(DEFAULT), r.threshold()));
    b.append(String.format("  accuracy  %.4f%n  precision %.4f%n  recall    %.4f%n  F1        %.4f%n",
        m.accuracy(), m.precision(), m.recall(), m.f1()));
    b.append(String.format("  confusion: %d true positive, %d false positive, %d true negative, %d false negative%n",
        m.truePositives(), m.falsePositives(), m.trueNegatives(), m.falseNegatives()));
    b.append(String.format("%nin hindsight (for comparison, not a tuned setting): threshold %.3f would give accuracy %.4f%n",
        best.threshold(), best.metrics().accuracy()));
    Reliability reliability = Reliability.of(r.scored());
    b.append(String.format("%ncalibration (is the cat score a probability?): ECE %.4f, Brier score %.4f%n",
        reliability.expectedCalibrationError(), reliability.brierScore()));
    b.append(String.format("  %-11s %5s %11s %10s%n", "score", "n", "mean score", "cat share"));
    for (Reliability.Bin bin : reliability.bins()) {
      if (bin.n() > 0) {
        b.append(String.format("  %.1f – %.1f %5d %11.3f %10.3f%n", bin.from(), bin.to(), bin.n(), bin.meanScore(),
            bin.catShare()));
      }
    }
    b.append(String.format("%ntime per image (ms)        p50      p95%n"));
    r.stageMillis().forEach((stage, ms) -> b.append(String.format("  %-20s %8.1f %8.1f%n", stage,
        Percentiles.of(ms, 50), Percentiles.of(ms, 95))));
    b.append(String.format("  throughput: %.1f images/s over %.1f s (one image at a time)%n",
        r.imagesPerSecond(), r.wallSeconds()));
    b.append(String.format("  peak RSS: %d MB%n", ProcessMemory.peakRssMegabytes()));
    if (results.size() > 1) {
      b.append(String.format("%nside by side (same run, images interleaved; each at its own threshold)%n"));
      b.append(String.format("  %-8s %-48s %9s %9s %9s %9s %4s %4s %9s%n", "name", "model", "threshold",
          "accuracy", "precision", "recall", "FP", "FN", "ms/image"));
      results.forEach((name, vr) -> {
        BinaryMetrics vm = vr.metrics();
        b.append(String.format("  %-8s %-48s %9.3f %9.4f %9.4f %9.4f %4d %4d %9.1f%n", name, versions.get(name),
            vr.threshold(), vm.accuracy(), vm.precision(), vm.recall(), vm.falsePositives(), vm.falseNegatives(),
            vr.meanMillisPerImage()));
      });
    }
    b.append(String.format("%nwrong answers per category (wrong / photos)%n  %-16s", "category"));
    results.keySet().forEach(name -> b.append(String.format(" %9s", name)));
    b.append('\n');
    for (String category : r.errorsByCategory().keySet()) {
      b.append(String.format("  %-16s", category));
      results.values().forEach(vr -> {
        int[] c = vr.errorsByCategory().getOrDefault(category, new int[2]);
        b.append(String.format(" %9s", c[0] + "/" + c[1]));
      });
      b.append('\n');
    }
    if (!r.wrong().isEmpty()) {
      b.append(String.format("%nwrong answers of %s:%n", DEFAULT));
      r.wrong().forEach(w -> b.append("  ").append(w).append('\n'));
    }
    if (!r.failures().isEmpty()) {
      b.append(String.format("%n%d file(s) could not be classified:%n", r.failures().size()));
      r.failures().forEach(f -> b.append("  ").append(f.image().path()).append(": ").append(f.reason()).append('\n'));
    }
    return b.toString();
  }
}
