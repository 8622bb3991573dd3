package io.catwrangler.core.port;

import java.time.Duration;
import java.util.List;

/**
 * The embedded runtime's classify queue, which its workers lease from, with SQS's semantics: at-least-once
 * delivery, a visibility timeout per lease, a receive count per message, and dead letters. The adapter is built
 * with a maximum number of attempts; a message that comes back after its last allowed lease (timeout or release)
 * goes to the dead letters instead of being leased again. Use cases that only queue take a {@link ClassifyQueue}.
 */
public interface WorkQueue extends ClassifyQueue, ClassifyDeadLetters {

  /**
   * Up to {@code max} visible messages, each hidden from other callers for {@code visibilityTimeout} and with its
   * attempt count increased. May return fewer than are visible; empty when none is.
   */
  List<Lease> lease(int max, Duration visibilityTimeout);

  /** Done with it: the message is deleted. */
  void ack(Lease lease);

  /** Not done: the message becomes visible again after {@code delay} (zero: at once) and keeps its attempt count. */
  void release(Lease lease, Duration delay);

  /** Give up on the message now, whatever its attempt count. */
  void deadLetter(Lease lease, String reason);
}
