package io.catwrangler.local.runtime;

import io.catwrangler.core.classify.ClassifyAttempt;
import io.catwrangler.core.classify.ClassifyImages;
import io.catwrangler.core.classify.ClassifyOutcome;
import io.catwrangler.core.port.Lease;
import io.catwrangler.core.port.WorkQueue;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One worker thread: lease a batch, classify each request, then ack it (settled: in the transaction that records
 * the answer, when one is recorded), release it with backoff (transient trouble) or dead-letter it (transient
 * trouble on its last allowed attempt). Each request is acked as soon as it is done, so a crash mid-batch redoes
 * only what was not finished — and redoing is harmless, since classification is idempotent on the image.
 *
 * <p>While the disk is full ({@link DiskSpace}) the worker leases nothing: a classification could not be recorded,
 * and each try would use up an attempt. A settle (ack, release) that fails is tried again every second while the
 * lease lasts, so work resumes within a second of the store coming back instead of after the visibility timeout.
 */
final class ClassifyWorker implements Runnable {
  private static final System.Logger LOG = System.getLogger(ClassifyWorker.class.getName());
  private static final Duration IDLE_POLL = Duration.ofMillis(200);
  private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);
  /** How often a failed settle is tried again, and how often a full disk is looked at again. */
  static final Duration STORAGE_RETRY = Duration.ofSeconds(1);

  private final WorkQueue queue;
  private final ClassifyImages classifier;
  private final LocalConfig config;
  private final Wakeup workReady;
  private final Counters counters;
  private final DiskSpace space;
  private volatile boolean running = true;
  private boolean pausedForSpace;

  /** What the workers did since start, shared by all of them. */
  static final class Counters {
    final AtomicLong classified = new AtomicLong();
    final AtomicLong alreadyClassified = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final LatencyRecorder latency = new LatencyRecorder();
  }

  ClassifyWorker(WorkQueue queue, ClassifyImages classifier, LocalConfig config, Wakeup workReady, Counters counters,
      DiskSpace space) {
    this.space = space;
    this.queue = queue;
    this.classifier = classifier;
    this.config = config;
    this.workReady = workReady;
    this.counters = counters;
  }

  /** Stops leasing; the request in hand is finished, the rest of the batch released. */
  void stop() {
    running = false;
  }

  @Override
  public void run() {
    ThreadNiceness.lowerCurrentThread(config.workerNice());
    while (running) {
      long seen = workReady.generation();
      if (waitingForSpace()) {
        if (!workReady.pause(seen, STORAGE_RETRY)) {
          return;
        }
        continue;
      }
      List<Lease> leases;
      long leaseEndsNanos = System.nanoTime() + config.visibilityTimeout().toNanos();
      try {
        leases = queue.lease(config.batchSize(), config.visibilityTimeout());
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "cannot lease work: " + e.getMessage());
        if (!workReady.pause(seen, ERROR_PAUSE)) {
          return;
        }
        continue;
      }
      if (leases.isEmpty()) {
        if (!workReady.pause(seen, IDLE_POLL)) {
          return;
        }
        continue;
      }
      for (Lease lease : leases) {
        if (running) {
          handle(lease, leaseEndsNanos);
        } else {
          giveBack(lease);
        }
      }
    }
  }

  private void handle(Lease lease, long leaseEndsNanos) {
    ClassifyOutcome outcome;
    // an answer is acked in the step that records it (one transaction embedded): the outcome returned is this very
    // object only when that step took effect
    ClassifyOutcome[] ackedWithRecord = new ClassifyOutcome[1];
    long start = System.nanoTime();
    try {
      outcome = classifier.classify(new ClassifyAttempt(lease.request(), lease.attempt()), recorded -> {
        if (recorded.settled()) {
          queue.ack(lease);
          ackedWithRecord[0] = recorded;
        }
      });
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "classify " + lease.request().imageId() + " failed unexpectedly", e);
      outcome = new ClassifyOutcome.RetryLater(lease.request().imageId(), "unexpected " + e.getClass().getSimpleName());
    }
    counters.latency.record(System.nanoTime() - start);
    if (outcome == ackedWithRecord[0]) {
      count(outcome);
      return;
    }
    settleWhileLeased(lease, outcome, leaseEndsNanos);
  }

  /**
   * Settles, trying again every {@link #STORAGE_RETRY} while the store refuses (a full disk, a locked database), until
   * the lease would have run out anyway. After that the request comes back by itself: classification is idempotent,
   * so nothing is doubled.
   */
  private void settleWhileLeased(Lease lease, ClassifyOutcome outcome, long leaseEndsNanos) {
    boolean counted = false;
    while (true) {
      try {
        if (!counted) {
          count(outcome);
          counted = true;
        }
        settle(lease, outcome);
        return;
      } catch (RuntimeException e) {
        boolean more = running && leaseEndsNanos - System.nanoTime() > STORAGE_RETRY.toNanos();
        LOG.log(Level.WARNING, "cannot settle the lease of " + lease.request().imageId() + ": " + e.getMessage()
            + (more ? "; trying again in " + STORAGE_RETRY.toSeconds() + " s" : "; it comes back when its lease ends"));
        if (!more || !Wakeup.sleep(STORAGE_RETRY)) {
          return;
        }
      }
    }
  }

  /** True while the disk is full; says so once when that starts and once when it ends. */
  private boolean waitingForSpace() {
    var shortage = space.shortage();
    if (shortage.isPresent() != pausedForSpace) {
      pausedForSpace = shortage.isPresent();
      LOG.log(pausedForSpace ? Level.WARNING : Level.INFO, pausedForSpace
          ? "classification paused: " + shortage.get()
          : "classification resumed: there is space on the disk again");
    }
    return pausedForSpace;
  }

  private void count(ClassifyOutcome outcome) {
    if (outcome instanceof ClassifyOutcome.Succeeded) {
      counters.classified.incrementAndGet();
    } else if (outcome instanceof ClassifyOutcome.AlreadyClassified) {
      counters.alreadyClassified.incrementAndGet();
    } else if (outcome instanceof ClassifyOutcome.FailedTerminal) {
      counters.failed.incrementAndGet();
    }
  }

  private void settle(Lease lease, ClassifyOutcome outcome) {
    if (outcome.settled()) {
      queue.ack(lease);
      return;
    }
    String reason = ((ClassifyOutcome.RetryLater) outcome).reason();
    if (lease.attempt() >= config.maxAttempts()) {
      LOG.log(Level.WARNING, "giving up on " + lease.request().imageId() + " after " + lease.attempt()
          + " attempts: " + reason);
      queue.deadLetter(lease, reason);
      counters.deadLettered.incrementAndGet();
    } else {
      Duration delay = config.backoffAfter(lease.attempt());
      LOG.log(Level.INFO, "retrying " + lease.request().imageId() + " in " + delay.toMillis() + " ms: " + reason);
      queue.release(lease, delay);
      counters.retried.incrementAndGet();
    }
  }

  private void giveBack(Lease lease) {
    try {
      queue.release(lease, Duration.ZERO);
    } catch (RuntimeException e) {
      // released at the next start anyway
      LOG.log(Level.DEBUG, () -> "cannot release " + lease.request().imageId() + " on shutdown: " + e.getMessage());
    }
  }
}
