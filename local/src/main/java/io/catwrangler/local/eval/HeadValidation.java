package io.catwrangler.local.eval;

import io.catwrangler.detector.head.HeadFeature;
import io.catwrangler.detector.head.LogisticHead;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.IntPredicate;

/**
 * Whether a new head (e.g. the classifier's calibration) generalises, judged against a reference head (e.g. today's
 * head-v1) on photos neither was fitted on: both fitted by {@link HeadFitting} on the same photos and answering at
 * probability 0.5. Two splits: leave one source out (a head that learns a source's look rather than cats does worse
 * on the source it has not seen), and group folds (photos of one individual cat never on both sides).
 */
public final class HeadValidation {
  public static final int FOLDS = 5;

  private HeadValidation() {}

  /** A head to fit: its inputs, and their values for every photo. */
  public record Candidate(List<HeadFeature> features, double[][] x) {}

  /** The answers on one held-out part. */
  public record Split(String name, BinaryMetrics reference, BinaryMetrics candidate) {
    /** Held-out photos the candidate answered right minus those the reference answered right. */
    public int gain() {
      return candidate.truePositives() + candidate.trueNegatives() - reference.truePositives()
          - reference.trueNegatives();
    }
  }

  /** Every source left out in turn, sorted by name. */
  public static List<Split> leaveOneSourceOut(List<SourcedImage> images, Candidate reference, Candidate candidate,
      double c) {
    return bySource(images, (source, heldOut) -> split(source, images, reference, candidate, c, heldOut));
  }

  /** One split per source, sorted by name; {@code split} gets the source and which photos are held out. */
  private static List<Split> bySource(List<SourcedImage> images, BiFunction<String, IntPredicate, Split> split) {
    TreeSet<String> sources = new TreeSet<>();
    images.forEach(i -> sources.add(i.source()));
    List<Split> splits = new ArrayList<>();
    for (String source : sources) {
      splits.add(split.apply(source, i -> images.get(i).source().equals(source)));
    }
    return splits;
  }

  /**
   * Every source left out in turn for a cascade: {@code first} answers, and where its probability is in
   * [{@code from}, {@code to}) {@code second} answers instead; all three heads fitted on the other sources.
   */
  public static List<Split> leaveOneSourceOutCascade(List<SourcedImage> images, Candidate reference, Candidate first,
      Candidate second, double from, double to, double c) {
    return bySource(images, (source, heldOut) -> {
      LogisticHead one = fitOn(images, first, c, heldOut.negate());
      LogisticHead two = fitOn(images, second, c, heldOut.negate());
      List<ScoredImage> test = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        if (heldOut.test(i)) {
          double p = one.probability(first.x()[i]);
          if (p >= from && p < to) {
            p = two.probability(second.x()[i]);
          }
          test.add(new ScoredImage(images.get(i).isCat(), p));
        }
      }
      return new Split(source, heldOutAnswers(images, reference, c, heldOut), BinaryMetrics.at(test, 0.5));
    });
  }

  /** The out-of-fold answers of {@value #FOLDS} group folds, added up. */
  public static Split groupFolds(List<SourcedImage> images, Candidate reference, Candidate candidate, double c) {
    int[] fold = foldOf(images);
    BinaryMetrics ref = new BinaryMetrics(0, 0, 0, 0);
    BinaryMetrics cand = new BinaryMetrics(0, 0, 0, 0);
    for (int f = 0; f < FOLDS; f++) {
      int k = f;
      Split s = split("fold " + f, images, reference, candidate, c, i -> fold[i] == k);
      ref = plus(ref, s.reference());
      cand = plus(cand, s.candidate());
    }
    return new Split("group folds", ref, cand);
  }

  /** Out-of-fold probabilities of a head from the same group folds, e.g. to choose its threshold. */
  public static List<ScoredImage> outOfFoldProbabilities(List<SourcedImage> images, Candidate candidate, double c) {
    int[] fold = foldOf(images);
    double[] p = new double[images.size()];
    for (int f = 0; f < FOLDS; f++) {
      int k = f;
      LogisticHead head = fitOn(images, candidate, c, i -> fold[i] != k);
      for (int i = 0; i < images.size(); i++) {
        if (fold[i] == k) {
          p[i] = head.probability(candidate.x()[i]);
        }
      }
    }
    List<ScoredImage> out = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      out.add(new ScoredImage(images.get(i).isCat(), p[i]));
    }
    return out;
  }

  /** Groups shuffled with a fixed seed and dealt round the folds: the same photos always give the same folds. */
  static int[] foldOf(List<SourcedImage> images) {
    List<String> groups = new ArrayList<>(new TreeSet<>(images.stream().map(SourcedImage::group).toList()));
    Collections.shuffle(groups, new Random(0));
    Map<String, Integer> foldOfGroup = new HashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      foldOfGroup.put(groups.get(g), g % FOLDS);
    }
    return images.stream().mapToInt(i -> foldOfGroup.get(i.group())).toArray();
  }

  private static Split split(String name, List<SourcedImage> images, Candidate reference, Candidate candidate,
      double c, IntPredicate heldOut) {
    return new Split(name, heldOutAnswers(images, reference, c, heldOut),
        heldOutAnswers(images, candidate, c, heldOut));
  }

  private static BinaryMetrics heldOutAnswers(List<SourcedImage> images, Candidate candidate, double c,
      IntPredicate heldOut) {
    LogisticHead head = fitOn(images, candidate, c, heldOut.negate());
    List<ScoredImage> test = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      if (heldOut.test(i)) {
        test.add(new ScoredImage(images.get(i).isCat(), head.probability(candidate.x()[i])));
      }
    }
    return BinaryMetrics.at(test, 0.5);
  }

  private static LogisticHead fitOn(List<SourcedImage> images, Candidate candidate, double c, IntPredicate use) {
    List<double[]> rows = new ArrayList<>();
    List<Boolean> labels = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      if (use.test(i)) {
        rows.add(candidate.x()[i]);
        labels.add(images.get(i).isCat());
      }
    }
    boolean[] y = new boolean[labels.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels.get(i);
    }
    return HeadFitting.fit("validation", candidate.features(), rows.toArray(double[][]::new), y, c, 0.5);
  }

  private static BinaryMetrics plus(BinaryMetrics a, BinaryMetrics b) {
    return new BinaryMetrics(a.truePositives() + b.truePositives(), a.falsePositives() + b.falsePositives(),
        a.trueNegatives() + b.trueNegatives(), a.falseNegatives() + b.falseNegatives());
  }
}
