package io.catwrangler.local.runtime;

import io.catwrangler.core.projection.ProjectEventFeed;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The projector thread: tails the event table from the view's checkpoint ({@link ProjectEventFeed}), one view
 * transaction per batch, and sleeps until the event store rings (or a short poll finds events another process
 * appended). After its first catch-up it runs {@code afterFirstCatchUp} once (start-up recovery needs a current
 * view).
 */
final class ProjectorLoop implements Runnable {
  private static final System.Logger LOG = System.getLogger(ProjectorLoop.class.getName());
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);
  /**
   * The least time between the starts of two batches that were not full: under load the appends of this interval
   * are projected in one view transaction instead of one each (two events per image, each its own append), at most
   * this much later; an idle server projects an append at once.
   */
  static final Duration MIN_INTERVAL = Duration.ofMillis(20);

  private final ProjectEventFeed feed;
  private final Wakeup appended;
  private final Runnable afterFirstCatchUp;
  /** Held while a batch is projected; a view reset takes it too, so no batch straddles a reset. */
  private final ReentrantLock batchLock = new ReentrantLock();
  private volatile boolean running = true;
  private volatile boolean caughtUpOnce;
  private volatile Instant failingSince;

  ProjectorLoop(ProjectEventFeed feed, Wakeup appended, Runnable afterFirstCatchUp) {
    this.feed = feed;
    this.appended = appended;
    this.afterFirstCatchUp = afterFirstCatchUp;
  }

  void stop() {
    running = false;
    appended.ring();
  }

  /** Runs {@code action} with no projection batch in progress. */
  void exclusive(Runnable action) {
    batchLock.lock();
    try {
      action.run();
    } finally {
      batchLock.unlock();
    }
  }

  /** True once the view had caught up with the event table at least once since start. */
  boolean caughtUpOnce() {
    return caughtUpOnce;
  }

  /** When the projector started failing without a success since; null while it works. */
  Instant failingSince() {
    return failingSince;
  }

  @Override
  public void run() {
    long lastStart = System.nanoTime() - MIN_INTERVAL.toNanos();
    boolean full = false;
    while (running) {
      long early = lastStart + MIN_INTERVAL.toNanos() - System.nanoTime();
      if (!full && early > 0 && !Wakeup.sleep(Duration.ofNanos(early))) {
        return;
      }
      lastStart = System.nanoTime();
      long seen = appended.generation();
      int read;
      try {
        batchLock.lock();
        try {
          read = feed.catchUpOnce();
        } finally {
          batchLock.unlock();
        }
        failingSince = null;
      } catch (RuntimeException e) {
        if (failingSince == null) {
          failingSince = Instant.now();
          LOG.log(Level.ERROR, "projection failed; retrying", e);
        }
        if (!appended.pause(seen, ERROR_PAUSE)) {
          return;
        }
        continue;
      }
      full = read >= feed.batchSize();
      if (full) {
        continue; // more may be waiting
      }
      // A batch that was not full read everything committed before it was read, and an append committed since
      // rang after `seen` was taken, so the pause below returns at once: no empty read after each batch (with one
      // image at a time that empty read was a third of the projector's transactions).
      if (!caughtUpOnce) {
        caughtUpOnce = true;
        try {
          afterFirstCatchUp.run();
        } catch (RuntimeException e) {
          LOG.log(Level.ERROR, "start-up recovery failed", e);
        }
      }
      if (!appended.pause(seen, POLL)) {
        return;
      }
    }
  }
}
