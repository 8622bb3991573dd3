package io.catwrangler.local.eval;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import io.catwrangler.detector.head.HeadFeature;
import io.catwrangler.detector.head.LogisticHead;
import java.util.List;
import java.util.Random;

/**
 * Fits a {@link LogisticHead} with liblinear: inputs standardised on the training rows, L2-regularised logistic
 * regression (primal trust-region Newton, bias not regularised), a fixed random seed. The same rows give the same
 * head, bit for bit.
 */
public final class HeadFitting {
  /** Inverse regularisation strength; with a handful of standardised inputs and 1,600 rows it hardly binds. */
  public static final double DEFAULT_C = 1.0;
  private static final double EPSILON = 1e-6;

  private HeadFitting() {}

  /**
   * @param x one row of feature values per image
   * @param isCat the labels
   * @param threshold stored in the head: probability at or above which it answers yes
   */
  public static LogisticHead fit(String version, List<HeadFeature> features, double[][] x, boolean[] isCat,
      double c, double threshold) {
    int n = x.length;
    int d = features.size();
    if (n == 0 || isCat.length != n) {
      throw new IllegalArgumentException("need one label per row and at least one row");
    }
    boolean anyCat = false;
    boolean anyOther = false;
    for (boolean b : isCat) {
      anyCat |= b;
      anyOther |= !b;
    }
    if (!anyCat || !anyOther) {
      throw new IllegalArgumentException("need photos of both labels to fit a head");
    }
    double[] mean = new double[d];
    double[] scale = new double[d];
    for (int j = 0; j < d; j++) {
      double sum = 0;
      for (double[] row : x) {
        sum += row[j];
      }
      mean[j] = sum / n;
      double squares = 0;
      for (double[] row : x) {
        squares += (row[j] - mean[j]) * (row[j] - mean[j]);
      }
      // a constant input gets scale 1 and, being 0 after centring, no weight
      double sd = Math.sqrt(squares / n);
      scale[j] = sd > 1e-12 ? sd : 1;
    }
    Problem problem = new Problem();
    problem.l = n;
    problem.n = d + 1;
    problem.bias = 1;
    problem.x = new Feature[n][];
    problem.y = new double[n];
    for (int i = 0; i < n; i++) {
      Feature[] row = new Feature[d + 1];
      for (int j = 0; j < d; j++) {
        row[j] = new FeatureNode(j + 1, (x[i][j] - mean[j]) / scale[j]);
      }
      row[d] = new FeatureNode(d + 1, 1);
      problem.x[i] = row;
      problem.y[i] = isCat[i] ? 1 : 0;
    }
    Parameter parameter = new Parameter(SolverType.L2R_LR, c, EPSILON);
    parameter.setRegularizeBias(false);
    parameter.setRandom(new Random(0));
    Linear.disableDebugOutput();
    Model model = Linear.train(problem, parameter);
    double[] w = model.getFeatureWeights();
    // liblinear's weights favour its first label, the label of the first row
    double sign = model.getLabels()[0] == 1 ? 1 : -1;
    double[] weights = new double[d];
    for (int j = 0; j < d; j++) {
      weights[j] = sign * w[j];
    }
    double bias = sign * (w[d] * problem.bias);
    return new LogisticHead(version, features, mean, scale, weights, bias, threshold);
  }
}
