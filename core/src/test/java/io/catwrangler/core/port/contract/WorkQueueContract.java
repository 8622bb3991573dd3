package io.catwrangler.core.port.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.port.ClassifyQueue;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.DeadLetter;
import io.catwrangler.core.port.Lease;
import io.catwrangler.core.port.WorkQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WorkQueue} must do (SQS semantics), besides what every {@link ClassifyQueue} does. Time passes
 * through {@link #elapse}: move a test clock, or sleep for a queue with real time (then shorten
 * {@link #visibility()}).
 */
public abstract class WorkQueueContract extends ClassifyQueueContract {
  protected static final int MAX_ATTEMPTS = 3;

  /** A new, empty queue that dead-letters a message after {@code maxAttempts} leases. */
  protected abstract WorkQueue newQueue(int maxAttempts);

  /** Lets {@code duration} pass for the queue. */
  protected abstract void elapse(Duration duration);

  /** The visibility timeout the tests lease with. */
  protected Duration visibility() {
    return Duration.ofSeconds(30);
  }

  private Duration pastVisibility() {
    return visibility().plusSeconds(1);
  }

  @Override
  protected ClassifyQueue newClassifyQueue() {
    return newQueue(MAX_ATTEMPTS);
  }

  @Override
  protected List<ClassifyRequest> takeAll(ClassifyQueue queue) {
    WorkQueue work = (WorkQueue) queue;
    List<ClassifyRequest> taken = new ArrayList<>();
    for (List<Lease> leases = work.lease(10, visibility()); !leases.isEmpty(); leases = work.lease(10, visibility())) {
      leases.forEach(lease -> taken.add(lease.request()));
      leases.forEach(work::ack);
    }
    return taken;
  }

  @Test
  void anEmptyQueueLeasesNothing() {
    assertThat(newQueue(MAX_ATTEMPTS).lease(10, visibility())).isEmpty();
  }

  @Test
  void leasesWhatWasEnqueuedAsTheFirstAttempt() {
    WorkQueue queue = newQueue(MAX_ATTEMPTS);
    queue.enqueue(request(1));

    List<Lease> leases = queue.lease(10, visibility());

    assertThat(leases).singleElement().satisfies(lease -> {
      assertThat(lease.request()).isEqualTo(request(1));
      assertThat(lease.attempt()).isEqualTo(1);
    });
  }

  @Test
  void aLeasedMessageIsHiddenUntilItsTimeoutThenComesBackAsTheNextAttempt() {
    WorkQueue queue = newQueue(MAX_ATTEMPTS);
    queue.enqueue(request(1));
    queue.lease(10, visibility());

    assertThat(queue.lease(10, visibility())).isEmpty();
    elapse(pastVisibility());

    assertThat(queue.lease(10, visibility())).singleElement().satisfies(lease -> {
      assertThat(lease.request()).isEqualTo(request(1));
      assertThat(lease.attempt()).isEqualTo(2);
    });
  }

  @Test
  void anAckedMessageNeverComesBack() {
    WorkQueue queue = newQueue(MAX_ATTEMPTS);
    queue.enqueue(request(1));
    queue.ack(queue.lease(10, visibility()).get(0));

    elapse(pastVisibility());

    assertThat(queue.lease(10, visibility())).isEmpty();
    assertThat(queue.deadLetters(10)).isEmpty();
  }

  @Test
  void aReleasedMessageComesBackAfterItsDelay() {
    WorkQueue queue = newQueue(MAX_ATTEMPTS);
    queue.enqueue(request(1));
    queue.enqueue(request(2));
    List<Lease> leases = queue.lease(10, visibility());
    Lease now = leases.stream().filter(l -> l.request().equals(request(1))).findFirst().orElseThrow();
    Lease later = leases.stream().filter(l -> l.request().equals(request(2))).findFirst().orElseThrow();

    queue.release(now, Duration.ZERO);
    queue.release(later, visibility());

    assertThat(queue.lease(10, visibility())).singleElement().satisfies(lease -> {
      assertThat(lease.request()).isEqualTo(request(1));
      assertThat(lease.attempt()).isEqualTo(2);
    });
    elapse(pastVisibility());
    assertThat(queue.lease(10, visibility()))
        .extracting(Lease::request)
        .contains(request(2));
  }

  @Test
  void leasesAtMostTheAskedNumberAndEachMessageOnce() {
    WorkQueue queue = newQueue(MAX_ATTEMPTS);
    for (int n = 0; n < 5; n++) {
      queue.enqueue(request(n));
    }

    List<Lease> first = queue.lease(3, visibility());
    List<Lease> rest = new ArrayList<>();
    for (int tries = 0; tries < 10 && first.size() + rest.size() < 5; tries++) {
      rest.addAll(queue.lease(3, visibility()));
    }

    assertThat(first.size()).isBetween(1, 3);
    List<ClassifyRequest> all = new ArrayList<>();
    first.forEach(l -> all.add(l.request()));
    rest.forEach(l -> all.add(l.request()));
    assertThat(all).doesNotHaveDuplicates().hasSize(5);
  }

  @Test
  void aMessageOutOfAttemptsGoesToTheDeadLetters() {
    WorkQueue queue = newQueue(MAX_ATTEMPTS);
    queue.enqueue(request(1));
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      assertThat(queue.lease(10, visibility())).singleElement().extracting(Lease::attempt).isEqualTo(attempt);
      elapse(pastVisibility());
    }

    assertThat(queue.lease(10, visibility())).isEmpty();
    assertThat(queue.deadLetters(10)).singleElement().satisfies(dead -> {
      assertThat(dead.request()).isEqualTo(request(1));
      assertThat(dead.attempts()).isEqualTo(MAX_ATTEMPTS);
    });
  }

  @Test
  void aMessageGivenUpOnIsADeadLetterWithTheReason() {
    WorkQueue queue = newQueue(MAX_ATTEMPTS);
    queue.enqueue(request(1));

    queue.deadLetter(queue.lease(10, visibility()).get(0), "malformed beyond repair");

    elapse(pastVisibility());
    assertThat(queue.lease(10, visibility())).isEmpty();
    assertThat(queue.deadLetters(10)).singleElement().satisfies(dead -> {
      assertThat(dead.request()).isEqualTo(request(1));
      assertThat(dead.reason()).isEqualTo("malformed beyond repair");
      assertThat(dead.attempts()).isEqualTo(1);
    });
  }

  @Test
  void aRetriedDeadLetterIsAFreshMessage() {
    WorkQueue queue = newQueue(MAX_ATTEMPTS);
    queue.enqueue(request(1));
    queue.deadLetter(queue.lease(10, visibility()).get(0), "try later");
    DeadLetter dead = queue.deadLetters(10).get(0);

    assertThat(queue.retry(dead.id())).isTrue();
    assertThat(queue.retry(dead.id())).isFalse();

    assertThat(queue.deadLetters(10)).isEmpty();
    assertThat(queue.lease(10, visibility())).singleElement().satisfies(lease -> {
      assertThat(lease.request()).isEqualTo(request(1));
      assertThat(lease.attempt()).isEqualTo(1);
    });
  }

  @Test
  void retryAllRedrivesEveryDeadLetter() {
    WorkQueue queue = newQueue(MAX_ATTEMPTS);
    for (int n = 0; n < 3; n++) {
      queue.enqueue(request(n));
    }
    for (int tries = 0; tries < 10 && queue.deadLetters(10).size() < 3; tries++) {
      queue.lease(10, visibility()).forEach(l -> queue.deadLetter(l, "operator test"));
    }

    assertThat(queue.retryAll()).isEqualTo(3);

    assertThat(queue.deadLetters(10)).isEmpty();
    List<Lease> leased = new ArrayList<>();
    for (int tries = 0; tries < 10 && leased.size() < 3; tries++) {
      leased.addAll(queue.lease(10, visibility()));
    }
    assertThat(leased).extracting(Lease::request).containsExactlyInAnyOrder(request(0), request(1), request(2));
  }

  @Test
  void concurrentWorkersNeverLeaseTheSameMessageTwice() throws Exception {
    WorkQueue queue = newQueue(MAX_ATTEMPTS);
    int messages = 40;
    for (int n = 0; n < messages; n++) {
      queue.enqueue(request(n));
    }
    int workers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    CountDownLatch start = new CountDownLatch(1);
    List<ClassifyRequest> leased = Collections.synchronizedList(new ArrayList<>());
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int tries = 0; tries < 50; tries++) {
                    List<Lease> batch = queue.lease(5, visibility());
                    batch.forEach(l -> leased.add(l.request()));
                    batch.forEach(queue::ack);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(leased).doesNotHaveDuplicates().hasSize(messages);
  }
}
