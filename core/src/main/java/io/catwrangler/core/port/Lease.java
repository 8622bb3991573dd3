package io.catwrangler.core.port;

import java.util.Objects;

/**
 * A message handed to one worker until its visibility timeout ends.
 *
 * @param receipt the adapter's handle for ack/release/dead-letter (an SQS receipt handle, a row id + lease token)
 * @param attempt how many times the message has been leased, this time included (1 the first time), like SQS's
 *     {@code ApproximateReceiveCount}
 */
public record Lease(String receipt, ClassifyRequest request, int attempt) {
  public Lease {
    Objects.requireNonNull(receipt, "receipt");
    Objects.requireNonNull(request, "request");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts start at 1");
    }
  }
}
