package io.catwrangler.local.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.port.ConcurrencyConflictException;
import io.catwrangler.core.port.SequencedEvent;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.core.port.contract.ContractEvents;
import io.catwrangler.events.Event;
import io.catwrangler.events.EventType;
import io.catwrangler.events.ImageId;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteEventStoreTest {
  @TempDir Path dir;

  private Path file() {
    return dir.resolve(SqliteDatabase.FILE_NAME);
  }

  @Test
  void concurrentAppendersOnSeveralConnectionsNeverLoseOrDoubleAVersion() throws Exception {
    ImageId id = ContractEvents.image(1);
    int appendersPerDatabase = 3;
    int eventsEach = 15;
    try (SqliteDatabase first = SqliteDatabase.open(file());
        SqliteDatabase second = SqliteDatabase.open(file())) {
      List<SqliteEventStore> stores = List.of(new SqliteEventStore(first), new SqliteEventStore(second));
      ExecutorService pool = Executors.newFixedThreadPool(2 * appendersPerDatabase);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> conflicts = new ArrayList<>();
      try {
        for (int t = 0; t < 2 * appendersPerDatabase; t++) {
          SqliteEventStore store = stores.get(t % 2);
          conflicts.add(
              pool.submit(
                  () -> {
                    start.await();
                    int lost = 0;
                    for (int appended = 0; appended < eventsEach; ) {
                      long version = store.version(id);
                      try {
                        store.append(id, version, List.of(ContractEvents.received(id, version + 1, "b", "x.jpg")));
                        appended++;
                      } catch (ConcurrencyConflictException e) {
                        lost++;
                      }
                    }
                    return lost;
                  }));
        }
        start.countDown();
        for (Future<Integer> f : conflicts) {
          f.get(120, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }

      int total = 2 * appendersPerDatabase * eventsEach;
      List<Event> stream = stores.get(0).read(id);
      assertThat(stream).hasSize(total);
      for (int i = 0; i < total; i++) {
        assertThat(stream.get(i).version()).isEqualTo(i + 1);
      }
      List<SequencedEvent> feed = stores.get(1).readAfter(0, 10_000);
      assertThat(feed).hasSize(total);
      for (int i = 1; i < feed.size(); i++) {
        assertThat(feed.get(i).sequence()).isGreaterThan(feed.get(i - 1).sequence());
        assertThat(feed.get(i).event().version()).isEqualTo(feed.get(i - 1).event().version() + 1);
      }
    }
  }

  @Test
  void eventsCannotBeChangedOrDeleted() {
    try (SqliteDatabase db = SqliteDatabase.open(file())) {
      SqliteEventStore store = new SqliteEventStore(db);
      ImageId id = ContractEvents.image(2);
      store.append(id, 0, ContractEvents.stream(id, 2));

      for (String sql : List.of("UPDATE events SET body = '{}'", "DELETE FROM events")) {
        assertThatThrownBy(() -> db.write(c -> {
              try (Statement statement = c.createStatement()) {
                return statement.executeUpdate(sql);
              }
            }))
            .isInstanceOf(StorageUnavailableException.class)
            .hasMessageContaining("append-only");
      }
      assertThat(store.read(id)).isEqualTo(ContractEvents.stream(id, 2));
    }
  }

  @Test
  void reopeningKeepsEveryEventAndItsSequence() {
    ImageId a = ContractEvents.image(3);
    ImageId b = ContractEvents.image(4);
    List<SequencedEvent> before;
    try (SqliteDatabase db = SqliteDatabase.open(file())) {
      SqliteEventStore store = new SqliteEventStore(db);
      store.append(a, 0, ContractEvents.stream(a, 3));
      store.append(b, 0, ContractEvents.stream(b, 2));
      before = store.readAfter(0, 100);
    }
    try (SqliteDatabase db = SqliteDatabase.open(file())) {
      SqliteEventStore store = new SqliteEventStore(db);
      assertThat(store.readAfter(0, 100)).isEqualTo(before);
      assertThat(store.read(a)).isEqualTo(ContractEvents.stream(a, 3));
      assertThat(store.lastSequence()).isEqualTo(before.get(before.size() - 1).sequence());
      assertThat(store.count()).isEqualTo(5);
      assertThat(store.count(EventType.IMAGE_RECEIVED)).isPositive();
      assertThatThrownBy(() -> store.append(a, 2, List.of(ContractEvents.succeeded(a, 3, true))))
          .isInstanceOf(ConcurrencyConflictException.class);
    }
  }

  @Test
  void anAppendSignalsItsListenersAfterCommitOnly() {
    try (SqliteDatabase db = SqliteDatabase.open(file())) {
      SqliteEventStore store = new SqliteEventStore(db);
      List<Long> seen = new ArrayList<>();
      store.onAppend(() -> seen.add(store.lastSequence()));
      ImageId id = ContractEvents.image(5);

      store.append(id, 0, ContractEvents.stream(id, 1));
      assertThatThrownBy(() -> store.append(id, 0, ContractEvents.stream(id, 1)))
          .isInstanceOf(ConcurrencyConflictException.class);

      assertThat(seen).containsExactly(1L);
    }
  }
}
