package io.catwrangler.core.port;

import java.util.List;

/**
 * Classify requests given up on, for an operator to see and put back (embedded: {@code GET /admin/dead-letters} and
 * its retry routes). On AWS the DLQ is SQS's, redriven with {@code StartMessageMoveTask}.
 */
public interface ClassifyDeadLetters {

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
