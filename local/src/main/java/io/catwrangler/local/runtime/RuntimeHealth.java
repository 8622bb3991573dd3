package io.catwrangler.local.runtime;

import java.util.List;

/**
 * What the embedded runtime can do now, for {@code GET /healthz} and the metrics.
 *
 * @param accepting uploads can be stored (the database answers and the disk has room)
 * @param classifying stored uploads get answers (workers and projector running, the disk has room)
 * @param problems why not, in words for an operator; empty when both are true
 */
public record RuntimeHealth(boolean accepting, boolean classifying, List<String> problems) {
  public RuntimeHealth {
    problems = List.copyOf(problems);
  }

  public boolean healthy() {
    return accepting && classifying;
  }
}
