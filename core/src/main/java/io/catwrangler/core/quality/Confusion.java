package io.catwrangler.core.quality;

/**
 * Answers against people's labels, counted: a "positive" is "cat". {@code tp} the model said cat and the label says
 * cat, {@code fp} the model said cat and the label says not, {@code tn} both say not, {@code fn} the model said not
 * and the label says cat.
 */
public record Confusion(long tp, long fp, long tn, long fn) {
  public static final Confusion NONE = new Confusion(0, 0, 0, 0);

  public Confusion {
    if (tp < 0 || fp < 0 || tn < 0 || fn < 0) {
      throw new IllegalArgumentException("counts are not negative");
    }
  }

  /** Every labelled image counted. */
  public long n() {
    return tp + fp + tn + fn;
  }

  /** Right answers of all answers. */
  public Proportion accuracy() {
    return new Proportion(tp + tn, n());
  }

  /** Of the images the model called cats, how many are. */
  public Proportion precision() {
    return new Proportion(tp, tp + fp);
  }

  /** Of the cats, how many the model found. */
  public Proportion recall() {
    return new Proportion(tp, tp + fn);
  }
}
