package io.catwrangler.local.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.catwrangler.detector.head.HeadFeature;
import io.catwrangler.detector.head.LogisticHead;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadFittingTest {
  private static final List<HeadFeature> FEATURES =
      List.of(HeadFeature.parse("whole.cat"), HeadFeature.parse("whole.dog"));

  /** Cats have a high first input; the second input is noise with a slight pull towards "not cat". */
  private static double[][] rows(int n, long seed, boolean[] labels) {
    Random r = new Random(seed);
    double[][] x = new double[n][];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 2 == 0;
      x[i] = new double[] {(labels[i] ? 1.0 : -1.5) + r.nextGaussian(), (labels[i] ? -0.3 : 0.3) + r.nextGaussian()};
    }
    return x;
  }

  @Test
  void theSameRowsGiveTheSameHeadByteForByte() {
    boolean[] y = new boolean[400];
    double[][] x = rows(400, 7, y);
    String a = HeadFitting.fit("head-v1", FEATURES, x, y, 1.0, 0.5).format(List.of("c"));
    String b = HeadFitting.fit("head-v1", FEATURES, x, y, 1.0, 0.5).format(List.of("c"));
    assertThat(a).isEqualTo(b);
  }

  @Test
  void weightsPointTowardsCatsWhicheverLabelComesFirst() {
    boolean[] y = new boolean[400];
    double[][] x = rows(400, 7, y);
    LogisticHead catFirst = HeadFitting.fit("h", FEATURES, x, y, 1.0, 0.5);
    // the same rows, a not-cat first: liblinear then orients its weights the other way round
    double[][] x2 = new double[400][];
    boolean[] y2 = new boolean[400];
    for (int i = 0; i < 400; i++) {
      x2[i] = x[(i + 1) % 400];
      y2[i] = y[(i + 1) % 400];
    }
    LogisticHead otherFirst = HeadFitting.fit("h", FEATURES, x2, y2, 1.0, 0.5);
    assertThat(catFirst.weights()[0]).isPositive();
    assertThat(catFirst.weights()[1]).isNegative();
    assertThat(otherFirst.weights()[0]).isCloseTo(catFirst.weights()[0], within(1e-4));
    assertThat(otherFirst.bias()).isCloseTo(catFirst.bias(), within(1e-4));
    // inputs are standardised on the rows
    assertThat(catFirst.mean()[0]).isCloseTo(-0.25, within(0.2));
    assertThat(catFirst.scale()[0]).isCloseTo(Math.sqrt(1 + 1.25 * 1.25), within(0.2));
  }

  @Test
  void theFittedHeadSeparatesTheTrainingRows() {
    boolean[] y = new boolean[400];
    double[][] x = rows(400, 3, y);
    LogisticHead head = HeadFitting.fit("h", FEATURES, x, y, 1.0, 0.5);
    int right = 0;
    for (int i = 0; i < x.length; i++) {
      right += (head.probability(x[i]) >= 0.5) == y[i] ? 1 : 0;
    }
    assertThat(right / 400.0).isGreaterThan(0.85);
  }

  @Test
  void bothLabelsAreNeeded() {
    assertThatThrownBy(() -> HeadFitting.fit("h", FEATURES, new double[][] {{0, 0}, {1, 1}}, new boolean[] {true, true},
        1.0, 0.5)).hasMessageContaining("both labels");
  }
}
