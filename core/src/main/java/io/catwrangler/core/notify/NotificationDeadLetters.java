package io.catwrangler.core.notify;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Notifications given up on after their last attempt, for an operator to see and send again (embedded:
 * {@code GET /admin/notifications/dead-letters} and its retry routes).
 */
public interface NotificationDeadLetters {

  /** The oldest first, at most {@code limit}. */
  List<DeadNotification> list(int limit);

  /** Puts one back for delivery now, attempts reset; false when there is no such dead letter. */
  boolean retry(String id);

  /** Puts every one back; returns how many. */
  int retryAll();

  /**
   * One dead notification.
   *
   * @param id the dead letter's handle (for retry)
   * @param notificationId the payload's {@code id}
   * @param destination where it was going, without query string (which may carry a receiver's token)
   * @param lastError what the last attempt got: a status, a timeout, a refusal
   */
  record DeadNotification(
      String id,
      String notificationId,
      String type,
      String destination,
      int attempts,
      String lastError,
      Instant createdAt,
      Instant deadLetteredAt) {
    public DeadNotification {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(notificationId, "notification id");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(destination, "destination");
      Objects.requireNonNull(lastError, "last error");
      Objects.requireNonNull(createdAt, "created at");
      Objects.requireNonNull(deadLetteredAt, "dead-lettered at");
    }
  }
}
