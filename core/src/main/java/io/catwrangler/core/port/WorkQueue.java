package io.catwrangler.core.port;

import java.time.Duration;
import java.util.List;

/**
 * Classify requests waiting for a worker, with SQS's semantics so both adapters behave alike: at-least-once
 * delivery, a visibility timeout per lease, a receive count per message, and a dead-letter list. The adapter is
 * built with a maximum number of attempts (SQS: {@code maxReceiveCount}); a message that comes back after its
 * last allowed lease (timeout or release) goes to the dead letters instead of being leased again.
 */
public interface WorkQueue {

  void enqueue(ClassifyRequest request);

  /**
   * Queues several requests (an operator's re-classification of every image) and returns how many were queued; a
   * request that could not be queued for a transient reason is not counted, and the caller reports it. Adapters
   * that can send several in one call do (SQS: SendMessageBatch of ten).
   */
  default int enqueueAll(java.util.List<ClassifyRequest> requests) {
    int queued = 0;
    for (ClassifyRequest request : requests) {
      try {
        enqueue(request);
        queued++;
      } catch (StorageUnavailableException notNow) {
        // not queued: counted by the caller as to retry later
      }
    }
    return queued;
  }

  /**
   * Up to {@code max} visible messages, each hidden from other callers for {@code visibilityTimeout} and with its
   * attempt count increased. May return fewer than are visible (SQS samples); empty when none is.
   */
  List<Lease> lease(int max, Duration visibilityTimeout);

  /** Done with it: the message is deleted. */
  void ack(Lease lease);

  /** Not done: the message becomes visible again after {@code delay} (zero: at once) and keeps its attempt count. */
  void release(Lease lease, Duration delay);

  /** Give up on the message now, whatever its attempt count. */
  void deadLetter(Lease lease, String reason);

  /** The oldest dead letters first, at most {@code limit}. */
  List<DeadLetter> deadLetters(int limit);

  /**
   * Puts a dead letter back on the queue with its attempt count reset.
   *
   * @return false when there is no dead letter with that id (already retried)
   */
  boolean retry(String deadLetterId);

  /** Puts every dead letter back (a DLQ redrive); returns how many. */
  int retryAll();
}
