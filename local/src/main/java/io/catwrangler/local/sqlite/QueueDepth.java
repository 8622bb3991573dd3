package io.catwrangler.local.sqlite;

/**
 * How many messages the work queue holds right now.
 *
 * @param visible ready to be leased
 * @param inFlight leased, their visibility timeout not yet over
 * @param delayed released with a delay that has not passed yet
 * @param deadLetters given up on, waiting for an operator
 */
public record QueueDepth(long visible, long inFlight, long delayed, long deadLetters) {

  /** Messages not yet done: visible, in flight or delayed (dead letters not counted). */
  public long queued() {
    return visible + inFlight + delayed;
  }
}
