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
import java.util.function.IntPredicate;

/**
 * Whether a head generalises, judged against the bare cat score on photos it was not fitted on, each side fitted on
 * the same photos: the head by {@link HeadFitting} (answering at probability 0.5), the bare score by choosing its
 * threshold ({@link ThresholdSearch#best}: between two scores, preferring 0.30; of the ways tried, the one that makes
 * the bare score strongest, so the head is held to the harder comparison). Two splits: leave one source out (a head that
 * learns a source's look rather than cats does worse on the source it has not seen), and group folds (photos of one
 * individual cat never on both sides).
 */
public final class HeadValidation {
  public static final int FOLDS = 5;
  private static final double BARE_PREFERRED = 0.30;

  private HeadValidation() {}

  /** The answers on one held-out part. */
  public record Split(String name, BinaryMetrics bare, BinaryMetrics head) {
    /** Held-out photos the head answered right minus those the bare score answered right. */
    public int gain() {
      return head.truePositives() + head.trueNegatives() - bare.truePositives() - bare.trueNegatives();
    }
  }

  /** Every source left out in turn, sorted by name. */
  public static List<Split> leaveOneSourceOut(List<SourcedImage> images, List<HeadFeature> features, double[][] x,
      double[] bareScore, double c) {
    TreeSet<String> sources = new TreeSet<>();
    images.forEach(i -> sources.add(i.source()));
    List<Split> splits = new ArrayList<>();
    for (String source : sources) {
      splits.add(split(source, images, features, x, bareScore, c, i -> images.get(i).source().equals(source)));
    }
    return splits;
  }

  /** The out-of-fold answers of {@value #FOLDS} group folds, added up. */
  public static Split groupFolds(List<SourcedImage> images, List<HeadFeature> features, double[][] x,
      double[] bareScore, double c) {
    int[] fold = foldOf(images);
    BinaryMetrics bare = new BinaryMetrics(0, 0, 0, 0);
    BinaryMetrics head = new BinaryMetrics(0, 0, 0, 0);
    for (int f = 0; f < FOLDS; f++) {
      int k = f;
      Split s = split("fold " + f, images, features, x, bareScore, c, i -> fold[i] == k);
      bare = plus(bare, s.bare());
      head = plus(head, s.head());
    }
    return new Split("group folds", bare, head);
  }

  /** Out-of-fold head probabilities from the same group folds, e.g. to choose the head's threshold. */
  public static List<ScoredImage> outOfFoldProbabilities(List<SourcedImage> images, List<HeadFeature> features,
      double[][] x, double c) {
    int[] fold = foldOf(images);
    double[] p = new double[images.size()];
    for (int f = 0; f < FOLDS; f++) {
      int k = f;
      LogisticHead head = fitOn(images, features, x, c, i -> fold[i] != k);
      for (int i = 0; i < images.size(); i++) {
        if (fold[i] == k) {
          p[i] = head.probability(x[i]);
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

  private static Split split(String name, List<SourcedImage> images, List<HeadFeature> features, double[][] x,
      double[] bareScore, double c, IntPredicate heldOut) {
    LogisticHead head = fitOn(images, features, x, c, heldOut.negate());
    List<ScoredImage> bareTrain = new ArrayList<>();
    List<ScoredImage> bareTest = new ArrayList<>();
    List<ScoredImage> headTest = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      ScoredImage bare = new ScoredImage(images.get(i).isCat(), bareScore[i]);
      if (heldOut.test(i)) {
        bareTest.add(bare);
        headTest.add(new ScoredImage(images.get(i).isCat(), head.probability(x[i])));
      } else {
        bareTrain.add(bare);
      }
    }
    double bareThreshold = ThresholdSearch.best(bareTrain, BARE_PREFERRED).threshold();
    return new Split(name, BinaryMetrics.at(bareTest, bareThreshold), BinaryMetrics.at(headTest, 0.5));
  }

  private static LogisticHead fitOn(List<SourcedImage> images, List<HeadFeature> features, double[][] x, double c,
      IntPredicate use) {
    List<double[]> rows = new ArrayList<>();
    List<Boolean> labels = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      if (use.test(i)) {
        rows.add(x[i]);
        labels.add(images.get(i).isCat());
      }
    }
    boolean[] y = new boolean[labels.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels.get(i);
    }
    return HeadFitting.fit("validation", features, rows.toArray(double[][]::new), y, c, 0.5);
  }

  private static BinaryMetrics plus(BinaryMetrics a, BinaryMetrics b) {
    return new BinaryMetrics(a.truePositives() + b.truePositives(), a.falsePositives() + b.falsePositives(),
        a.trueNegatives() + b.trueNegatives(), a.falseNegatives() + b.falseNegatives());
  }
}
