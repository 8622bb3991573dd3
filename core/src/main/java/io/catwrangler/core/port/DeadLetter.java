package io.catwrangler.core.port;

import java.time.Instant;
import java.util.Objects;

/**
 * A message that ran out of attempts or was given up on, kept for an operator to look at and retry.
 *
 * @param id the adapter's handle for {@link WorkQueue#retry}
 * @param attempts how many times it was leased
 * @param reason why it was given up (the worker's reason, or "max attempts reached")
 */
public record DeadLetter(String id, ClassifyRequest request, int attempts, String reason, Instant deadLetteredAt) {
  public DeadLetter {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(deadLetteredAt, "dead-lettered at");
  }
}
