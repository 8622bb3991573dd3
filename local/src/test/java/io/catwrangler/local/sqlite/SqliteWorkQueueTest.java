package io.catwrangler.local.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.Lease;
import io.catwrangler.core.port.contract.ContractEvents;
import io.catwrangler.core.port.contract.MutableClock;
import io.catwrangler.events.ImageId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteWorkQueueTest {
  private static final Duration VISIBILITY = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.startingAt("2025-04-01T08:00:00Z");

  private SqliteDatabase open() {
    return SqliteDatabase.open(dir.resolve(SqliteDatabase.FILE_NAME));
  }

  private static ClassifyRequest request(int n) {
    return ClassifyRequest.of(ContractEvents.received(ContractEvents.image(n), 1, "batch", "photo.jpg"));
  }

  @Test
  void anEmptyPollDoesNotWaitForTheWriteLockButAVisibleMessageIsStillLeased() throws Exception {
    try (SqliteDatabase db = open()) {
      SqliteWorkQueue queue = new SqliteWorkQueue(db, 3, clock);
      assertThat(whileAnotherWriterHoldsTheLock(db, () -> queue.lease(5, VISIBILITY))).isEmpty();
      queue.enqueue(request(1));
      assertThat(queue.lease(5, VISIBILITY)).hasSize(1);
      clock.advance(VISIBILITY.plusSeconds(1));
      assertThat(queue.lease(5, VISIBILITY)).as("a lease that ran out is visible again").hasSize(1);
    }
  }

  @Test
  void deadLettersAreListedWhileAnotherConnectionHoldsTheWriteLock() throws Exception {
    Path file = dir.resolve(SqliteDatabase.FILE_NAME);
    try (SqliteDatabase db = SqliteDatabase.open(file)) {
      SqliteWorkQueue queue = new SqliteWorkQueue(db, 3, clock);
      queue.enqueue(request(1));
      queue.deadLetter(queue.lease(1, VISIBILITY).get(0), "given up");
      queue.enqueue(request(2));

      // another connection (an operator's sqlite3, say) in a write transaction: SQLite's write lock
      try (java.sql.Connection other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
          java.sql.Statement statement = other.createStatement()) {
        statement.execute("BEGIN IMMEDIATE");
        try {
          assertThat(CompletableFuture.supplyAsync(() -> queue.deadLetters(10)).get(10, TimeUnit.SECONDS))
              .singleElement().satisfies(dead -> {
                assertThat(dead.request()).isEqualTo(request(1));
                assertThat(dead.reason()).isEqualTo("given up");
              });
        } finally {
          statement.execute("ROLLBACK");
        }
      }

      assertThat(whileAnotherWriterHoldsTheLock(db, () -> queue.deadLetters(10))).hasSize(1);
    }
  }

  @Test
  void aMessageOutOfAttemptsIsListedAsADeadLetterWithoutALeaseMovingItFirst() {
    try (SqliteDatabase db = open()) {
      SqliteWorkQueue queue = new SqliteWorkQueue(db, 1, clock);
      queue.enqueue(request(1));
      queue.lease(1, VISIBILITY);
      clock.advance(VISIBILITY.plusSeconds(1));

      assertThat(queue.deadLetters(10)).singleElement().satisfies(dead -> {
        assertThat(dead.request()).isEqualTo(request(1));
        assertThat(dead.attempts()).isEqualTo(1);
      });
      assertThat(queue.lease(1, VISIBILITY)).isEmpty();
    }
  }

  /**
   * {@code action}'s result, run on another thread while this process's writer (an upload, a worker's commit) holds
   * the write lock; fails if it waits for the lock.
   */
  private static <T> T whileAnotherWriterHoldsTheLock(SqliteDatabase db, java.util.function.Supplier<T> action)
      throws Exception {
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> db.write(c -> {
      writing.countDown();
      await(finish);
      return null;
    }));
    writing.await();
    try {
      return CompletableFuture.supplyAsync(action).get(10, TimeUnit.SECONDS);
    } finally {
      finish.countDown();
      writer.get(10, TimeUnit.SECONDS);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aLeaseThatRunsOutCanNoLongerAckOnceTheMessageIsLeasedAgain() {
    try (SqliteDatabase db = open()) {
      SqliteWorkQueue queue = new SqliteWorkQueue(db, 3, clock);
      queue.enqueue(request(1));
      Lease stale = queue.lease(1, VISIBILITY).get(0);
      clock.advance(VISIBILITY.plusSeconds(1));
      Lease current = queue.lease(1, VISIBILITY).get(0);

      queue.ack(stale);
      queue.release(stale, Duration.ZERO);
      queue.deadLetter(stale, "stale");

      assertThat(queue.depth()).isEqualTo(new QueueDepth(0, 1, 0, 0));
      queue.ack(current);
      assertThat(queue.depth()).isEqualTo(new QueueDepth(0, 0, 0, 0));
    }
  }

  @Test
  void aMessageReleasedAfterItsLastAttemptIsDeadLetteredInsteadOfLeased() {
    try (SqliteDatabase db = open()) {
      SqliteWorkQueue queue = new SqliteWorkQueue(db, 2, clock);
      queue.enqueue(request(1));
      queue.release(queue.lease(1, VISIBILITY).get(0), Duration.ZERO);
      Lease last = queue.lease(1, VISIBILITY).get(0);
      assertThat(last.attempt()).isEqualTo(2);
      queue.release(last, Duration.ofSeconds(5));

      assertThat(queue.depth().delayed()).isEqualTo(1);
      clock.advance(Duration.ofSeconds(6));
      assertThat(queue.lease(1, VISIBILITY)).isEmpty();
      assertThat(queue.deadLetters(10)).singleElement().satisfies(dead -> {
        assertThat(dead.attempts()).isEqualTo(2);
        assertThat(dead.reason()).isEqualTo(SqliteWorkQueue.MAX_ATTEMPTS_REACHED);
        assertThat(dead.deadLetteredAt()).isEqualTo(clock.instant());
      });
      assertThat(queue.hasMessageFor(ContractEvents.image(1))).isTrue();
    }
  }

  @Test
  void releasingAllLeasesAtStartUpKeepsTheAttemptCount() {
    try (SqliteDatabase db = open()) {
      SqliteWorkQueue queue = new SqliteWorkQueue(db, 3, clock);
      queue.enqueue(request(1));
      queue.enqueue(request(2));
      queue.lease(1, Duration.ofHours(1));

      assertThat(queue.releaseAllLeases()).isEqualTo(1);

      List<Lease> leases = queue.lease(10, VISIBILITY);
      assertThat(leases).extracting(Lease::attempt).containsExactlyInAnyOrder(1, 2);
    }
  }

  @Test
  void readyListenersHearOfWorkThatIsVisibleAtOnce() {
    try (SqliteDatabase db = open()) {
      SqliteWorkQueue queue = new SqliteWorkQueue(db, 3, clock);
      AtomicInteger rings = new AtomicInteger();
      queue.onReady(rings::incrementAndGet);

      queue.enqueue(request(1));
      Lease lease = queue.lease(1, VISIBILITY).get(0);
      queue.release(lease, Duration.ofSeconds(10));
      assertThat(rings).hasValue(1);

      clock.advance(Duration.ofSeconds(11));
      queue.release(queue.lease(1, VISIBILITY).get(0), Duration.ZERO);
      assertThat(rings).hasValue(2);
    }
  }

  @Test
  void reopeningKeepsQueuedAndDeadLetteredMessages() {
    ImageId waiting = ContractEvents.image(1);
    try (SqliteDatabase db = open()) {
      SqliteWorkQueue queue = new SqliteWorkQueue(db, 3, clock);
      queue.enqueue(request(1));
      queue.enqueue(request(2));
      Lease lease = queue.lease(10, VISIBILITY).stream()
          .filter(l -> l.request().equals(request(2))).findFirst().orElseThrow();
      queue.deadLetter(lease, "kept across restarts");
      queue.releaseAllLeases();
    }
    try (SqliteDatabase db = open()) {
      SqliteWorkQueue queue = new SqliteWorkQueue(db, 3, clock);
      assertThat(queue.depth()).isEqualTo(new QueueDepth(1, 0, 0, 1));
      assertThat(queue.hasMessageFor(waiting)).isTrue();
      assertThat(queue.hasMessageFor(ContractEvents.image(3))).isFalse();
      assertThat(queue.deadLetters(10)).singleElement().satisfies(dead -> {
        assertThat(dead.request()).isEqualTo(request(2));
        assertThat(dead.reason()).isEqualTo("kept across restarts");
      });
      assertThat(queue.lease(10, VISIBILITY)).singleElement().satisfies(l -> {
        assertThat(l.request()).isEqualTo(request(1));
        assertThat(l.attempt()).isEqualTo(2);
      });
      assertThat(queue.retry("not-an-id")).isFalse();
    }
  }
}
