package io.catwrangler.local.cli;

import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.detector.CenterNetCatDetector;
import io.catwrangler.detector.DetectorConfig;
import io.catwrangler.detector.DetectorVariant;
import io.catwrangler.detector.ScoreRule;
import io.catwrangler.detector.centernet.CocoLabels;
import io.catwrangler.detector.head.HeadFeature;
import io.catwrangler.detector.head.LogisticHead;
import io.catwrangler.detector.views.View;
import io.catwrangler.local.eval.BinaryMetrics;
import io.catwrangler.local.eval.HeadFitting;
import io.catwrangler.local.eval.HeadValidation;
import io.catwrangler.local.eval.ScoredImage;
import io.catwrangler.local.eval.SourcedImage;
import io.catwrangler.local.eval.ThresholdSearch;
import io.catwrangler.local.eval.TrainingSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code catwrangler train --data DIR --out FILE}: fits the detector's logistic head on labelled photos and says
 * whether it generalises (leave one source out, group folds, each against the bare cat score). The same photos give
 * the same file, byte for byte.
 */
@Command(name = "train", description = "Fit the detector's logistic head on labelled photos (cat/ and not_cat/ subfolders, as testdata/photos).")
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "Folder with cat/ and not_cat/ and, ideally, a manifest.csv with source_repo and source_path.")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the head.")
  Path out;

  @Option(names = "--features", split = ",", paramLabel = "VIEW.CLASS",
      description = "Inputs of the head (default: ${DEFAULT-VALUE}); views: whole, zoomNN.")
  List<String> features = List.of("whole.cat", "whole.dog");

  @Option(names = "--version", description = "Recorded with every answer (default: ${DEFAULT-VALUE}).")
  String version = "head-v1";

  @Option(names = "--cost", description = "liblinear's C, the inverse regularisation (default: ${DEFAULT-VALUE}).")
  double cost = HeadFitting.DEFAULT_C;

  @Option(names = "--min-precision", paramLabel = "P",
      description = "The threshold is the most accurate one whose out-of-fold precision is at least P (default: "
          + "${DEFAULT-VALUE}: the most accurate one, as head-v1 was chosen).")
  double minPrecision = 0;

  @Option(names = "--threads", description = "ONNX Runtime threads per inference (default: min(2, cores)).")
  Integer threads;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter console = spec.commandLine().getOut();
    List<HeadFeature> inputs = features.stream().map(String::strip).map(HeadFeature::parse).toList();
    List<SourcedImage> listed = TrainingSet.read(data);
    List<SourcedImage> images = new ArrayList<>();
    List<double[]> rows = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    try (CenterNetCatDetector detector = CenterNetCatDetector.load(config(inputs))) {
      for (SourcedImage image : listed) {
        try {
          CatVerdict v = detector.detect(Files.readAllBytes(image.path()));
          Map<String, float[]> classMax = CenterNetCatDetector.classMaxByView(v.raw());
          rows.add(LogisticHead.values(inputs, classMax));
          bare.add((double) classMax.get(View.WHOLE.name())[CocoLabels.CAT]);
          images.add(image);
        } catch (ImageRejectedException e) {
          spec.commandLine().getErr().printf("skipped %s: %s%n", image.path(), e.getMessage());
        }
        if (images.size() % 200 == 0 && !images.isEmpty()) {
          spec.commandLine().getErr().printf("%d of %d photos scored%n", images.size(), listed.size());
        }
      }
    }
    double[][] x = rows.toArray(double[][]::new);
    double[] bareScore = bare.stream().mapToDouble(Double::doubleValue).toArray();
    boolean[] isCat = new boolean[images.size()];
    for (int i = 0; i < isCat.length; i++) {
      isCat[i] = images.get(i).isCat();
    }

    List<HeadValidation.Split> bySource = HeadValidation.leaveOneSourceOut(images, inputs, x, bareScore, cost);
    HeadValidation.Split folds = HeadValidation.groupFolds(images, inputs, x, bareScore, cost);
    List<ScoredImage> outOfFold = HeadValidation.outOfFoldProbabilities(images, inputs, x, cost);
    ThresholdSearch.Best threshold = ThresholdSearch.bestOnGrid(outOfFold, 0.5, minPrecision)
        .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
            "no threshold reaches an out-of-fold precision of " + minPrecision));
    LogisticHead head = HeadFitting.fit(version, inputs, x, isCat, cost, threshold.threshold());

    long cats = images.stream().filter(SourcedImage::isCat).count();
    List<String> comments = new ArrayList<>();
    comments.add(String.format(Locale.ROOT, "fitted by catwrangler train on %d photos (%d cat, %d not cat) from %d "
        + "source(s); liblinear L2R_LR, C=%s, inputs standardised, bias not regularised", images.size(), cats,
        images.size() - cats, bySource.size(), cost));
    comments.add(String.format(Locale.ROOT, "threshold: the most accurate on out-of-fold probabilities of %d group "
        + "folds with precision >= %s (0.01 grid, ties nearest 0.5): accuracy %.4f, precision %.4f, recall %.4f",
        HeadValidation.FOLDS, minPrecision, threshold.metrics().accuracy(), threshold.metrics().precision(),
        threshold.metrics().recall()));
    comments.add(String.format(Locale.ROOT, "group folds: head accuracy %.4f, bare %.4f", folds.head().accuracy(),
        folds.bare().accuracy()));
    comments.add("leave one source out, held-out photos right (head - bare): " + String.join(", ",
        bySource.stream().map(s -> s.name() + " " + signed(s.gain())).toList()));
    byte[] file = head.format(comments).getBytes(StandardCharsets.UTF_8);
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    Files.write(out, file);

    console.print(report(images.size(), cats, bySource, folds, threshold, head));
    console.flush();
    return 0;
  }

  /** A detector that runs the views the inputs need; its own score is not used. */
  private DetectorConfig config(List<HeadFeature> inputs) {
    List<View> views = new ArrayList<>(List.of(View.WHOLE));
    inputs.stream().map(HeadFeature::view).distinct().filter(v -> !v.equals(View.WHOLE.name())).map(View::named)
        .forEach(views::add);
    DetectorVariant scoring = new DetectorVariant("train", "train", views, new ScoreRule.MaxCatScore(), 0.5);
    DetectorConfig c = DetectorConfig.defaults().withVariant(scoring);
    return threads == null ? c : c.withThreads(threads);
  }

  private String report(int n, long cats, List<HeadValidation.Split> bySource, HeadValidation.Split folds,
      ThresholdSearch.Best threshold, LogisticHead head) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%s: %d photos (%d cat, %d not cat), head inputs %s%n", data, n, cats,
        n - cats, head.features()));
    b.append(String.format(Locale.ROOT, "%nleave one source out (held-out accuracy; bare threshold fitted on the rest)%n"));
    b.append(String.format(Locale.ROOT, "  %-40s %5s %8s %8s %6s%n", "source", "n", "bare", "head", "gain"));
    int worse = 0;
    for (HeadValidation.Split s : bySource) {
      b.append(String.format(Locale.ROOT, "  %-40s %5d %8.4f %8.4f %6s%n", s.name(), s.head().n(),
          s.bare().accuracy(), s.head().accuracy(), signed(s.gain())));
      worse += s.gain() < 0 ? 1 : 0;
    }
    b.append(String.format(Locale.ROOT, "  sources where the head does worse than the bare score: %d%n", worse));
    b.append(String.format(Locale.ROOT, "%n%d group folds (one individual cat never on both sides)%n",
        HeadValidation.FOLDS));
    b.append(line("bare", folds.bare())).append(line("head", folds.head()));
    b.append(String.format(Locale.ROOT, "%nthreshold %.2f (out-of-fold accuracy %.4f)%n", threshold.threshold(),
        threshold.metrics().accuracy()));
    b.append(String.format(Locale.ROOT, "weights %s, bias %.6f%nwrote %s (%s)%n", Arrays.toString(head.weights()),
        head.bias(), out, head.version()));
    return b.toString();
  }

  private static String line(String name, BinaryMetrics m) {
    return String.format(Locale.ROOT, "  %-5s accuracy %.4f  precision %.4f  recall %.4f%n", name, m.accuracy(),
        m.precision(), m.recall());
  }

  private static String signed(int v) {
    return (v > 0 ? "+" : "") + v;
  }
}
