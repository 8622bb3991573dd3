package io.catwrangler.core.detection;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Milliseconds spent per stage (e.g. decode, preprocess, inference, postprocess), in the order they ran. */
public record StageTimings(Map<String, Double> millis) {
  public StageTimings {
    millis = Collections.unmodifiableMap(new LinkedHashMap<>(millis));
  }

  public double total() {
    return millis.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  public double of(String stage) {
    return millis.getOrDefault(stage, 0.0);
  }
}
