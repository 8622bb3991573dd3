package io.catwrangler.local.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdSearchTest {

  /** Cats at 0.9, 0.8, 0.6, 0.45; not cats at 0.55, 0.3, 0.2, 0.1. */
  private static final List<ScoredImage> SCORED = List.of(
      new ScoredImage(true, 0.9), new ScoredImage(true, 0.8), new ScoredImage(true, 0.6),
      new ScoredImage(true, 0.45), new ScoredImage(false, 0.55), new ScoredImage(false, 0.3),
      new ScoredImage(false, 0.2), new ScoredImage(false, 0.1));

  @Test
  void theMostAccurateGridThresholdWinsTiesGoingNearestThePreferredValue() {
    // 7 of 8 right anywhere in (0.30, 0.45] and in (0.55, 0.60]; 0.45 is the one nearest 0.5
    ThresholdSearch.Best best = ThresholdSearch.bestOnGrid(SCORED, 0.5);
    assertThat(best.metrics().accuracy()).isEqualTo(7 / 8.0);
    assertThat(best.threshold()).isEqualTo(0.45);
  }

  @Test
  void aMinimumPrecisionExcludesTheThresholdsBelowIt() {
    // at 0.45 one dog passes (precision 4/5); from 0.56 on none does (precision 1), at one missed cat
    ThresholdSearch.Best best = ThresholdSearch.bestOnGrid(SCORED, 0.5, 0.97).orElseThrow();
    assertThat(best.threshold()).isEqualTo(0.56);
    assertThat(best.metrics().precision()).isEqualTo(1.0);
    assertThat(best.metrics().accuracy()).isEqualTo(7 / 8.0);
    assertThat(ThresholdSearch.bestOnGrid(SCORED, 0.5, 0.0)).contains(ThresholdSearch.bestOnGrid(SCORED, 0.5));
  }

  @Test
  void anUnreachablePrecisionGivesNothing() {
    assertThat(ThresholdSearch.bestOnGrid(SCORED, 0.5, 1.01)).isEmpty();
  }
}
