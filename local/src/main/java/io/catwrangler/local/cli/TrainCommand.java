package io.catwrangler.local.cli;

import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.detector.Boxes;
import io.catwrangler.detector.CenterNetCatDetector;
import io.catwrangler.detector.DetectorConfig;
import io.catwrangler.detector.ImageNetCatDetector;
import io.catwrangler.detector.head.HeadFeature;
import io.catwrangler.detector.head.LogisticHead;
import io.catwrangler.detector.views.View;
import io.catwrangler.local.eval.BinaryMetrics;
import io.catwrangler.local.eval.HeadFitting;
import io.catwrangler.local.eval.HeadValidation;
import io.catwrangler.local.eval.HeadValidation.Candidate;
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
import java.util.HashMap;
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
 * {@code catwrangler train --data DIR --out FILE}: fits the calibration of the classifier's cat score (a logistic head
 * on the logit of the summed domestic-cat probability, {@code imagenet.cat}; optionally CenterNet's scores too, e.g.
 * {@code whole.cat}) on labelled photos, and says whether it generalises: leave one source out and group folds, each
 * against today's CenterNet head ({@code whole.cat,whole.dog}) fitted on the same photos. The same photos give the
 * same file, byte for byte.
 */
@Command(name = "train", description = "Fit the calibration of the cat score on labelled photos (cat/ and not_cat/ "
    + "subfolders with a manifest.csv, e.g. ../shared/train).")
final class TrainCommand implements Callable<Integer> {
  /** The reference every calibration is compared with: CenterNet's head as head-v1 was fitted. */
  static final HeadFeature IMAGENET_CAT = HeadFeature.parse("imagenet.cat");
  static final List<HeadFeature> REFERENCE = List.of(HeadFeature.parse("whole.cat"), HeadFeature.parse("whole.dog"));

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "Folder with cat/ and not_cat/ and, ideally, a manifest.csv with source_repo and source_path.")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the calibration.")
  Path out;

  @Option(names = "--features", split = ",", paramLabel = "NAME",
      description = "Inputs (default: ${DEFAULT-VALUE}): imagenet.cat (the classifier's cat mass) and CenterNet's "
          + "whole.CLASS scores.")
  List<String> features = List.of("imagenet.cat");

  @Option(names = "--version", description = "Recorded with every answer (default: ${DEFAULT-VALUE}).")
  String version = "imagenet-cal-v1";

  @Option(names = "--cost", description = "liblinear's C, the inverse regularisation (default: ${DEFAULT-VALUE}).")
  double cost = HeadFitting.DEFAULT_C;

  @Option(names = "--min-precision", paramLabel = "P",
      description = "The threshold is the most accurate one whose out-of-fold precision is at least P, nearest 0.5 "
          + "(default: ${DEFAULT-VALUE}: 0.5 stays unless another is more accurate out of fold).")
  double minPrecision = 0;

  @Option(names = "--threshold", paramLabel = "P",
      description = "Store this threshold instead of the most accurate out-of-fold one (the calibration's default "
          + "is 0.5 by definition: more likely a cat than not).")
  Double fixedThreshold;

  @Option(names = "--cascade", split = ",", paramLabel = "FROM,TO",
      description = "Also validate the cascade: the imagenet.cat calibration answers, and where it says [FROM, TO) the "
          + "head fitted here answers instead (leave one source out, against the CenterNet head).")
  List<Double> cascade;

  @Option(names = "--threads", description = "ONNX Runtime threads per inference (default: min(2, cores)).")
  Integer threads;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter console = spec.commandLine().getOut();
    List<HeadFeature> inputs = features.stream().map(String::strip).map(HeadFeature::parse).toList();
    for (HeadFeature f : inputs) {
      if (!f.view().equals(ImageNetCatDetector.FEATURE_VIEW) && !f.view().equals(View.WHOLE.name())) {
        throw new CommandLine.ParameterException(spec.commandLine(), "unknown input " + f
            + ": imagenet.cat or whole.CLASS");
      }
    }
    List<SourcedImage> listed = TrainingSet.read(data);
    List<SourcedImage> images = new ArrayList<>();
    List<double[]> rows = new ArrayList<>();
    List<double[]> referenceRows = new ArrayList<>();
    DetectorConfig config = DetectorConfig.defaults().withBoxes(Boxes.ALWAYS);
    try (ImageNetCatDetector detector = ImageNetCatDetector.load(threads == null ? config : config.withThreads(threads))) {
      for (SourcedImage image : listed) {
        try {
          CatVerdict v = detector.detect(Files.readAllBytes(image.path()));
          Map<String, float[]> scores = new HashMap<>(ImageNetCatDetector.features(ImageNetCatDetector.catMass(v.raw())));
          @SuppressWarnings("unchecked")
          Map<String, Object> centerNet = (Map<String, Object>) v.raw().get("detector");
          scores.putAll(CenterNetCatDetector.classMaxByView(centerNet));
          rows.add(LogisticHead.values(inputs, scores));
          referenceRows.add(LogisticHead.values(REFERENCE, scores));
          images.add(image);
        } catch (ImageRejectedException e) {
          spec.commandLine().getErr().printf("skipped %s: %s%n", image.path(), e.getMessage());
        }
        if (images.size() % 200 == 0 && !images.isEmpty()) {
          spec.commandLine().getErr().printf("%d of %d photos scored%n", images.size(), listed.size());
        }
      }
    }
    Candidate candidate = new Candidate(inputs, rows.toArray(double[][]::new));
    Candidate reference = new Candidate(REFERENCE, referenceRows.toArray(double[][]::new));
    boolean[] isCat = new boolean[images.size()];
    for (int i = 0; i < isCat.length; i++) {
      isCat[i] = images.get(i).isCat();
    }

    List<HeadValidation.Split> bySource = HeadValidation.leaveOneSourceOut(images, reference, candidate, cost);
    HeadValidation.Split folds = HeadValidation.groupFolds(images, reference, candidate, cost);
    List<ScoredImage> outOfFold = HeadValidation.outOfFoldProbabilities(images, candidate, cost);
    ThresholdSearch.Best threshold = ThresholdSearch.bestOnGrid(outOfFold, 0.5, minPrecision)
        .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
            "no threshold reaches an out-of-fold precision of " + minPrecision));
    double stored = fixedThreshold != null ? fixedThreshold : threshold.threshold();
    LogisticHead head = HeadFitting.fit(version, inputs, candidate.x(), isCat, cost, stored);

    List<HeadValidation.Split> cascaded = List.of();
    if (cascade != null) {
      if (cascade.size() != 2 || !(cascade.get(0) < cascade.get(1)) || !inputs.contains(IMAGENET_CAT)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--cascade takes FROM,TO with FROM < TO, and the inputs must include imagenet.cat");
      }
      double[][] firstX = new double[images.size()][];
      for (int i = 0; i < firstX.length; i++) {
        firstX[i] = new double[] {candidate.x()[i][inputs.indexOf(IMAGENET_CAT)]};
      }
      cascaded = HeadValidation.leaveOneSourceOutCascade(images, reference,
          new Candidate(List.of(IMAGENET_CAT), firstX), candidate, cascade.get(0), cascade.get(1), cost);
    }
    long cats = images.stream().filter(SourcedImage::isCat).count();
    List<String> comments = new ArrayList<>();
    comments.add(String.format(Locale.ROOT, "fitted by catwrangler train on %d photos (%d cat, %d not cat) from %d "
        + "source(s); liblinear L2R_LR, C=%s, inputs standardised, bias not regularised", images.size(), cats,
        images.size() - cats, bySource.size(), cost));
    comments.add(String.format(Locale.ROOT, "threshold: the most accurate on out-of-fold probabilities of %d group "
        + "folds with precision >= %s (0.01 grid, ties nearest 0.5): accuracy %.4f, precision %.4f, recall %.4f",
        HeadValidation.FOLDS, minPrecision, threshold.metrics().accuracy(), threshold.metrics().precision(),
        threshold.metrics().recall()));
    if (fixedThreshold != null) {
      comments.add(String.format(Locale.ROOT, "stored threshold %s given by --threshold", fixedThreshold));
    }
    comments.add(String.format(Locale.ROOT, "group folds: accuracy %.4f, CenterNet head (whole.cat, whole.dog) %.4f",
        folds.candidate().accuracy(), folds.reference().accuracy()));
    comments.add("leave one source out, held-out photos right (this - CenterNet head): " + String.join(", ",
        bySource.stream().map(s -> s.name() + " " + signed(s.gain())).toList()));
    if (cascade != null) {
      comments.add(cascadeReport(cascaded).strip().replace("\n", ";"));
    }
    byte[] file = head.format(comments).getBytes(StandardCharsets.UTF_8);
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    Files.write(out, file);

    console.print(report(images.size(), cats, bySource, folds, threshold, head));
    if (cascade != null) {
      console.print(cascadeReport(cascaded));
    }
    console.flush();
    return 0;
  }

  private String report(int n, long cats, List<HeadValidation.Split> bySource, HeadValidation.Split folds,
      ThresholdSearch.Best threshold, LogisticHead head) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%s: %d photos (%d cat, %d not cat), inputs %s%n", data, n, cats,
        n - cats, head.features()));
    b.append(String.format(Locale.ROOT, "%nleave one source out (held-out accuracy at 0.5; both fitted on the rest)%n"));
    b.append(String.format(Locale.ROOT, "  %-40s %5s %9s %9s %6s%n", "source", "n", "CenterNet", "this", "gain"));
    int worse = 0;
    for (HeadValidation.Split s : bySource) {
      b.append(String.format(Locale.ROOT, "  %-40s %5d %9.4f %9.4f %6s%n", s.name(), s.candidate().n(),
          s.reference().accuracy(), s.candidate().accuracy(), signed(s.gain())));
      worse += s.gain() < 0 ? 1 : 0;
    }
    b.append(String.format(Locale.ROOT, "  sources where this does worse than the CenterNet head: %d%n", worse));
    b.append(String.format(Locale.ROOT, "%n%d group folds (one individual cat never on both sides)%n",
        HeadValidation.FOLDS));
    b.append(line("CenterNet", folds.reference())).append(line("this", folds.candidate()));
    b.append(String.format(Locale.ROOT, "%nthreshold %.2f (out-of-fold accuracy %.4f)%n", threshold.threshold(),
        threshold.metrics().accuracy()));
    b.append(String.format(Locale.ROOT, "weights %s, bias %.6f%nwrote %s (%s)%n", Arrays.toString(head.weights()),
        head.bias(), out, head.version()));
    return b.toString();
  }

  private String cascadeReport(List<HeadValidation.Split> splits) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%ncascade: imagenet.cat answers, this head where "
        + "it says [%s, %s); leave one source out against the CenterNet head%n", cascade.get(0), cascade.get(1)));
    int right = 0;
    int worse = 0;
    for (HeadValidation.Split s : splits) {
      right += s.candidate().truePositives() + s.candidate().trueNegatives();
      if (s.gain() < 0) {
        worse++;
        b.append(String.format(Locale.ROOT, "  worse: %s %s of %d%n", s.name(), signed(s.gain()), s.candidate().n()));
      }
    }
    b.append(String.format(Locale.ROOT, "  held-out photos right: %d; sources worse than the CenterNet head: %d%n",
        right, worse));
    return b.toString();
  }

  private static String line(String name, BinaryMetrics m) {
    return String.format(Locale.ROOT, "  %-9s accuracy %.4f  precision %.4f  recall %.4f%n", name, m.accuracy(),
        m.precision(), m.recall());
  }

  private static String signed(int v) {
    return (v > 0 ? "+" : "") + v;
  }
}
