package io.catwrangler.local.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * How well scores work as probabilities: the scores cut into ten equal bins, and in each the mean score against the
 * share of cats actually there. A calibrated score has the two close in every bin with photos; the expected
 * calibration error (ECE) is their gap weighted by the bin's share of photos, the Brier score the mean squared error.
 */
public record Reliability(List<Bin> bins, double expectedCalibrationError, double brierScore) {
  public static final int BINS = 10;

  /** Scores in [from, to) (the last bin includes 1): how many, their mean, and the share of cats among them. */
  public record Bin(double from, double to, int n, double meanScore, double catShare) {}

  public static Reliability of(List<ScoredImage> scored) {
    int[] n = new int[BINS];
    double[] score = new double[BINS];
    int[] cats = new int[BINS];
    double brier = 0;
    for (ScoredImage s : scored) {
      int b = Math.min(BINS - 1, (int) Math.floor(s.score() * BINS));
      n[b]++;
      score[b] += s.score();
      cats[b] += s.isCat() ? 1 : 0;
      double y = s.isCat() ? 1 : 0;
      brier += (s.score() - y) * (s.score() - y);
    }
    List<Bin> bins = new ArrayList<>();
    double ece = 0;
    for (int b = 0; b < BINS; b++) {
      double mean = n[b] == 0 ? Double.NaN : score[b] / n[b];
      double share = n[b] == 0 ? Double.NaN : (double) cats[b] / n[b];
      bins.add(new Bin((double) b / BINS, (double) (b + 1) / BINS, n[b], mean, share));
      if (n[b] > 0) {
        ece += Math.abs(mean - share) * n[b] / scored.size();
      }
    }
    return new Reliability(bins, ece, scored.isEmpty() ? Double.NaN : brier / scored.size());
  }
}
