package io.catwrangler.core.classify;

import io.catwrangler.core.port.ClassifyRequest;
import java.util.Objects;

/**
 * One delivery of a classify request.
 *
 * @param attempt which delivery this is, from 1 (SQS {@code ApproximateReceiveCount}, the embedded queue's lease
 *     count); on the last allowed one a detector error is recorded as RETRIES_EXHAUSTED
 */
public record ClassifyAttempt(ClassifyRequest request, int attempt) {
  public ClassifyAttempt {
    Objects.requireNonNull(request, "request");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts start at 1");
    }
  }
}
