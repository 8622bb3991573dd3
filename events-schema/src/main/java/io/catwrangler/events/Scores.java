package io.catwrangler.events;

final class Scores {
  private Scores() {}

  static void requireUnit(double value, String what) {
    if (!(value >= 0.0 && value <= 1.0)) { // also rejects NaN
      throw new IllegalArgumentException(what + " must be in [0, 1], was " + value);
    }
  }

  static void requirePositive(long value, String what) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive, was " + value);
    }
  }
}
