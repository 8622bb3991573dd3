package io.catwrangler.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * {@code catwrangler eval --labelled SERVER} as text: the server's {@code GET /quality} (the current model against
 * people's labels), laid out like {@code eval DIR}'s report.
 */
final class QualityReport {
  private QualityReport() {}

  static String of(String server, JsonNode q) {
    StringBuilder b = new StringBuilder();
    JsonNode model = q.path("model");
    JsonNode excluded = q.path("excluded");
    b.append(format("%s: %d labelled image(s), %d measured (%d not answered yet, %d answered by another model)%n",
        server, q.path("labelled").asLong(), q.path("n").asLong(), excluded.path("unanswered").asLong(),
        excluded.path("other_models").asLong()));
    b.append(format("%nmodel %s@%s, answers as they stand (threshold in use %.3f)%n", model.path("name").asText(),
        model.path("version").asText(), q.path("threshold").asDouble()));
    b.append(format("  %-10s %7s   %-17s %6s%n", "", "value", "95 % interval", "of"));
    for (String measure : new String[] {"accuracy", "precision", "recall"}) {
      JsonNode m = q.path(measure);
      b.append(format("  %-10s %7s   %-17s %6d%n", measure, number(m.path("value")),
          m.path("low").isNumber() ? number(m.path("low")) + " – " + number(m.path("high")) : "–",
          m.path("of").asLong()));
    }
    JsonNode c = q.path("counts");
    b.append(format("  confusion: %d true positive, %d false positive, %d true negative, %d false negative%n",
        c.path("tp").asLong(), c.path("fp").asLong(), c.path("tn").asLong(), c.path("fn").asLong()));
    b.append(format("  interval: %s (Wilson score interval, 95 %%)%n", q.path("interval").asText()));
    b.append(format("%nre-decided at another threshold (from the stored scores, no model run)%n"));
    b.append(format("  %9s %9s %9s %9s %5s %5s %5s %5s %8s%n", "threshold", "accuracy", "precision", "recall",
        "TP", "FP", "TN", "FN", "changed"));
    for (JsonNode row : q.path("thresholds")) {
      JsonNode rc = row.path("counts");
      b.append(format("  %9.3f %9s %9s %9s %5d %5d %5d %5d %8d%n", row.path("threshold").asDouble(),
          number(row.path("accuracy").path("value")), number(row.path("precision").path("value")),
          number(row.path("recall").path("value")), rc.path("tp").asLong(), rc.path("fp").asLong(),
          rc.path("tn").asLong(), rc.path("fn").asLong(), row.path("answers_changed").asLong()));
    }
    if (q.path("labelled").asLong() == 0) {
      b.append(format("%nno image is labelled yet: POST /images/{id}/labels, or the web page's detail view%n"));
    }
    return b.toString();
  }

  /** A share to four places; "–" where there was nothing to measure (null). */
  private static String number(JsonNode value) {
    return value.isNumber() ? format("%.4f", value.asDouble()) : "–";
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
