package io.catwrangler.core.detection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One of the classifier's most likely labels, as its raw output keeps them ({@code raw.classifier.top}: rows of
 * class index, label, probability), for people reading an answer: "Egyptian cat 0.41, tabby 0.22".
 */
public record TopLabel(int classIndex, String label, double probability) {

  /** The top labels in a raw output, best first; empty for a detector that keeps none (CenterNet, Rekognition). */
  public static List<TopLabel> of(Map<String, Object> raw) {
    if (!(raw.get("classifier") instanceof Map<?, ?> classifier) || !(classifier.get("top") instanceof List<?> rows)) {
      return List.of();
    }
    List<TopLabel> out = new ArrayList<>();
    for (Object row : rows) {
      if (row instanceof List<?> r && r.size() == 3 && r.get(0) instanceof Number index
          && r.get(1) instanceof String label && r.get(2) instanceof Number p) {
        out.add(new TopLabel(index.intValue(), label, p.doubleValue()));
      }
    }
    return out;
  }

  /** "Egyptian cat 0.41, tabby 0.22, …" */
  public static String describe(List<TopLabel> labels) {
    return String.join(", ", labels.stream()
        .map(l -> String.format(java.util.Locale.ROOT, "%s %.2f", l.label(), l.probability())).toList());
  }
}
