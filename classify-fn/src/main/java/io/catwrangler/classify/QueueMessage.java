package io.catwrangler.classify;

import java.util.Objects;

/**
 * One SQS message as the classifier needs it: what it says and how often SQS has delivered it.
 *
 * @param receiveCount SQS {@code ApproximateReceiveCount}, from 1; compared with {@code CW_MAX_ATTEMPTS} (the queue's
 *     {@code maxReceiveCount}) to know the last delivery before the DLQ
 */
public record QueueMessage(String messageId, String body, int receiveCount) {
  public QueueMessage {
    Objects.requireNonNull(messageId, "message id");
    Objects.requireNonNull(body, "body");
    receiveCount = Math.max(1, receiveCount);
  }
}
