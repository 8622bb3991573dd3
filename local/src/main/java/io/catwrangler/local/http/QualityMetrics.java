package io.catwrangler.local.http;

import io.catwrangler.core.quality.Confusion;
import io.catwrangler.core.quality.LabelTally;
import io.catwrangler.core.quality.ModelQuality;
import io.catwrangler.core.quality.Proportion;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The quality figures of {@code GET /quality} as Prometheus gauges: the current model against people's labels. A
 * share with nothing to measure (no labelled cats yet, say) is NaN, so the series exist from the start.
 */
final class QualityMetrics {
  private QualityMetrics() {}

  static void write(PrometheusText out, ModelQuality q) {
    LabelTally tally = q.tally();
    out.family("catwrangler_quality_model_info", "gauge", "The model the quality figures measure (always 1).");
    out.sample("catwrangler_quality_model_info", labels("name", q.model().name(), "version", q.model().version()), 1);
    String images = "catwrangler_quality_labelled_images";
    out.family(images, "gauge", "Images people labelled: measured (answered by the current model), or left out.");
    out.sample(images, Map.of("state", "measured"), tally.answered().n());
    out.sample(images, Map.of("state", "unanswered"), tally.unanswered());
    out.sample(images, Map.of("state", "other_model"), tally.otherModels());
    String answers = "catwrangler_quality_answers";
    out.family(answers, "gauge", "Labelled answers of the current model: tp, fp, tn, fn (positive: a cat).");
    Confusion c = tally.answered();
    out.sample(answers, Map.of("outcome", "tp"), c.tp());
    out.sample(answers, Map.of("outcome", "fp"), c.fp());
    out.sample(answers, Map.of("outcome", "tn"), c.tn());
    out.sample(answers, Map.of("outcome", "fn"), c.fn());
    out.family("catwrangler_quality_ratio", "gauge",
        "Accuracy, precision and recall of the current model on labelled images, as answered.");
    out.family("catwrangler_quality_ratio_low", "gauge", "Lower bound of the Wilson 95 % interval of the ratio.");
    out.family("catwrangler_quality_ratio_high", "gauge", "Upper bound of the Wilson 95 % interval of the ratio.");
    ratios(out, "", labels(), c);
    out.family("catwrangler_quality_redecide_ratio", "gauge",
        "The ratios if the answers were decided again at this threshold from their stored scores.");
    out.family("catwrangler_quality_redecide_answers_changed", "gauge",
        "Labelled answers whose yes/no a re-decide at this threshold would change.");
    for (LabelTally.AtThreshold row : tally.atThresholds()) {
      String threshold = PrometheusText.number(row.threshold());
      ratios(out, "redecide_", labels("threshold", threshold), row.confusion());
      out.sample("catwrangler_quality_redecide_answers_changed", labels("threshold", threshold), row.answersChanged());
    }
  }

  private static void ratios(PrometheusText out, String kind, Map<String, String> extra, Confusion c) {
    Map<String, Proportion> measures = new LinkedHashMap<>();
    measures.put("accuracy", c.accuracy());
    measures.put("precision", c.precision());
    measures.put("recall", c.recall());
    measures.forEach((measure, p) -> {
      Map<String, String> labels = new LinkedHashMap<>(extra);
      labels.put("measure", measure);
      out.sample("catwrangler_quality_" + kind + "ratio", labels, p.value().orElse(Double.NaN));
      if (kind.isEmpty()) {
        out.sample("catwrangler_quality_ratio_low", labels,
            p.wilson95().map(Proportion.Interval::low).orElse(Double.NaN));
        out.sample("catwrangler_quality_ratio_high", labels,
            p.wilson95().map(Proportion.Interval::high).orElse(Double.NaN));
      }
    });
  }

  private static Map<String, String> labels(String... pairs) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      labels.put(pairs[i], pairs[i + 1]);
    }
    return labels;
  }
}
