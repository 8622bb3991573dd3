package io.catwrangler.local.runtime;

import java.time.Duration;

/**
 * A doorbell for idle threads: {@link #ring} after work appears; a waiter that read {@link #generation} before it
 * looked for work sleeps in {@link #await} only if nobody rang since, so no ring is missed.
 */
final class Wakeup {
  private long generation;

  synchronized long generation() {
    return generation;
  }

  synchronized void ring() {
    generation++;
    notifyAll();
  }

  /** Waits until the bell rings after {@code seen}, or {@code timeout} passes. */
  synchronized void await(long seen, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (generation == seen) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      wait(Math.max(1, left / 1_000_000), 0);
    }
  }

  /** {@link #await}; false when interrupted (the interrupt flag set again: the owner is closing hard). */
  boolean pause(long seen, Duration timeout) {
    try {
      await(seen, timeout);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Sleeps {@code duration} without a bell; false when interrupted (the interrupt flag set again). */
  static boolean sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
