package io.catwrangler.core.quality;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A share measured on labelled images — {@code successes} of {@code trials} — with its Wilson score interval.
 * Wilson rather than the normal approximation because the counts here are often small and the share often near 0 or
 * 1, where the normal interval leaves [0, 1] or shrinks to nothing (docs/decisions/0040).
 */
public record Proportion(long successes, long trials) {
  /** The two-sided 95 % normal quantile, Φ⁻¹(0.975). */
  public static final double Z95 = 1.959963984540054;

  public Proportion {
    if (trials < 0 || successes < 0 || successes > trials) {
      throw new IllegalArgumentException("successes must be in [0, trials], was " + successes + " of " + trials);
    }
  }

  /** The share; empty when there were no trials. */
  public OptionalDouble value() {
    return trials == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) successes / trials);
  }

  /** The Wilson score interval at 95 %; empty when there were no trials. */
  public Optional<Interval> wilson95() {
    return wilson(Z95);
  }

  /** The Wilson score interval for the normal quantile {@code z}; empty when there were no trials. */
  public Optional<Interval> wilson(double z) {
    if (trials == 0) {
      return Optional.empty();
    }
    double n = trials;
    double p = successes / n;
    double z2 = z * z;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denominator;
    double half = z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    // at p = 0 or 1 one bound is exactly 0 or 1; rounding must not push it past
    return Optional.of(new Interval(Math.max(0, centre - half), Math.min(1, centre + half)));
  }

  /** A confidence interval within [0, 1]. */
  public record Interval(double low, double high) {}
}
