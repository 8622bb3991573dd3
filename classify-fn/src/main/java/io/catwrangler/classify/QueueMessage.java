package io.catwrangler.classify;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One SQS message as the classifier needs it: what it says and how often SQS has delivered it.
 *
 * @param receiveCount SQS {@code ApproximateReceiveCount}, from 1; compared with {@code CW_MAX_ATTEMPTS} (the queue's
 *     {@code maxReceiveCount}) to know the last delivery before the DLQ
 * @param sentAt SQS {@code SentTimestamp}: when the message was first sent (kept when SQS moves it to the DLQ and
 *     when it is redriven from there)
 */
public record QueueMessage(String messageId, String body, int receiveCount, Optional<Instant> sentAt) {
  public QueueMessage {
    Objects.requireNonNull(messageId, "message id");
    Objects.requireNonNull(body, "body");
    receiveCount = Math.max(1, receiveCount);
    Objects.requireNonNull(sentAt, "sent at (use Optional.empty())");
  }
}
