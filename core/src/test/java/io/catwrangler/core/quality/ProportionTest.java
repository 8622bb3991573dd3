package io.catwrangler.core.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The Wilson score interval against values computed independently (Wilson 1927; Newcombe 1998, table I). */
class ProportionTest {
  private static final double EXACT = 1e-9;

  private static void assertWilson(long k, long n, double low, double high, double tolerance) {
    Proportion.Interval interval = new Proportion(k, n).wilson95().orElseThrow();
    assertThat(interval.low()).as("low of %d/%d", k, n).isCloseTo(low, within(tolerance));
    assertThat(interval.high()).as("high of %d/%d", k, n).isCloseTo(high, within(tolerance));
  }

  @Test
  void matchesComputedValues() {
    assertWilson(8, 10, 0.4901624715366418, 0.9433178485456248, EXACT);
    assertWilson(81, 100, 0.7222115462093562, 0.8748524849023126, EXACT);
    assertWilson(40, 50, 0.6696289406777459, 0.887562499842239, EXACT);
  }

  @Test
  void matchesNewcombesPublishedExamples() {
    // Newcombe (1998), Statistics in Medicine 17:857-872, table I, method 3, to four places
    assertWilson(81, 263, 0.2553, 0.3662, 5e-5);
    assertWilson(15, 148, 0.0624, 0.1605, 5e-5);
    assertWilson(0, 20, 0.0, 0.1611, 5e-5);
    assertWilson(1, 29, 0.0061, 0.1718, 5e-5);
  }

  @Test
  void staysInsideZeroAndOneAtTheEdges() {
    assertWilson(0, 10, 0.0, 0.2775327998628892, EXACT);
    assertWilson(10, 10, 0.7224672001371107, 1.0, EXACT);
    assertWilson(1, 1, 0.20654931437723745, 1.0, EXACT);
  }

  @Test
  void hasNoValueAndNoIntervalWithoutTrials() {
    Proportion none = new Proportion(0, 0);

    assertThat(none.value()).isEmpty();
    assertThat(none.wilson95()).isEmpty();
    assertThat(new Proportion(3, 4).value()).hasValue(0.75);
  }

  @Test
  void refusesImpossibleCounts() {
    assertThatThrownBy(() -> new Proportion(5, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Proportion(-1, 4)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aConfusionMatrixGivesAccuracyPrecisionAndRecall() {
    Confusion c = new Confusion(40, 10, 45, 5);

    assertThat(c.n()).isEqualTo(100);
    assertThat(c.accuracy()).isEqualTo(new Proportion(85, 100));
    assertThat(c.precision()).isEqualTo(new Proportion(40, 50));
    assertThat(c.recall()).isEqualTo(new Proportion(40, 45));
    assertThat(Confusion.NONE.precision().value()).isEmpty();
  }
}
