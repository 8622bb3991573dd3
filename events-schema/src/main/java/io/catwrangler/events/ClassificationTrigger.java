package io.catwrangler.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why a classification was recorded: the first detector run for this model ({@code initial}), an operator's
 * re-decision from the stored score at a new threshold without running the detector ({@code redecide}), or an
 * operator's re-run of the detector ({@code reclassify}).
 */
public enum ClassificationTrigger {
  INITIAL("initial"),
  REDECIDE("redecide"),
  RECLASSIFY("reclassify");

  private final String wireName;

  ClassificationTrigger(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<ClassificationTrigger> fromWireName(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }
}
