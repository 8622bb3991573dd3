package io.catwrangler.core.port.contract;

import static io.catwrangler.core.port.contract.ContractEvents.image;
import static io.catwrangler.core.port.contract.ContractEvents.received;
import static io.catwrangler.core.port.contract.ContractEvents.stream;
import static io.catwrangler.core.port.contract.ContractEvents.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.port.ConcurrencyConflictException;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.Page;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.events.Event;
import io.catwrangler.events.FailureReason;
import io.catwrangler.events.ImageId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventStore} must do. Extend it in the adapter's tests and return a fresh, empty store from
 * {@link #newStore()} (a temp folder, a new table).
 */
public abstract class EventStoreContract {
  protected EventStore store;

  /** A new, empty store; called before every test. */
  protected abstract EventStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  @Test
  void readsBackExactlyWhatWasAppended() {
    ImageId id = image(1);
    List<Event> events = stream(id, 6);

    store.append(id, 0, events.subList(0, 1));
    store.append(id, 1, events.subList(1, 6));

    assertThat(store.read(id)).containsExactlyElementsOf(events);
  }

  @Test
  void keepsEventsWithoutOptionalFields() {
    ImageId id = image(1);
    List<Event> events =
        List.of(ContractEvents.receivedWithoutMetadata(id, 1), ContractEvents.failed(id, 2, FailureReason.TOO_LARGE,
            false));

    store.append(id, 0, events);

    assertThat(store.read(id)).containsExactlyElementsOf(events);
  }

  @Test
  void anUnknownStreamIsEmpty() {
    assertThat(store.read(image(404))).isEmpty();
  }

  @Test
  void aNewStreamMustBeExpectedAtVersionZero() {
    ImageId id = image(1);

    assertThatThrownBy(() -> store.append(id, 1, List.of(received(id, 2, "b", "x.jpg"))))
        .isInstanceOf(ConcurrencyConflictException.class);
    assertThat(store.read(id)).isEmpty();
  }

  @Test
  void aStaleExpectedVersionConflictsAndWritesNothing() {
    ImageId id = image(1);
    List<Event> events = stream(id, 2);
    store.append(id, 0, events);

    assertThatThrownBy(() -> store.append(id, 1, List.of(succeeded(id, 2, true))))
        .isInstanceOfSatisfying(
            ConcurrencyConflictException.class,
            e -> {
              assertThat(e.imageId()).isEqualTo(id);
              assertThat(e.expectedVersion()).isEqualTo(1);
            });
    assertThat(store.read(id)).containsExactlyElementsOf(events);
  }

  @Test
  void anExpectedVersionAheadOfTheStreamConflicts() {
    ImageId id = image(1);
    store.append(id, 0, stream(id, 1));

    assertThatThrownBy(() -> store.append(id, 3, List.of(succeeded(id, 4, true))))
        .isInstanceOf(ConcurrencyConflictException.class);
    assertThat(store.read(id)).hasSize(1);
  }

  @Test
  void aRetriedWriteOfTheSameEventsConflictsInsteadOfDuplicating() {
    ImageId id = image(1);
    List<Event> events = stream(id, 3);
    store.append(id, 0, events);

    assertThatThrownBy(() -> store.append(id, 0, events)).isInstanceOf(ConcurrencyConflictException.class);
    assertThat(store.read(id)).containsExactlyElementsOf(events);
  }

  @Test
  void aMultiEventAppendIsAllOrNothing() {
    ImageId id = image(1);
    store.append(id, 0, stream(id, 1));
    List<Event> two = List.of(received(id, 2, "b2", "again.jpg"), succeeded(id, 3, true));
    store.append(id, 1, two);

    List<Event> lateTwo = List.of(received(id, 2, "b3", "late.jpg"), succeeded(id, 3, false));
    assertThatThrownBy(() -> store.append(id, 1, lateTwo)).isInstanceOf(ConcurrencyConflictException.class);

    assertThat(store.read(id)).hasSize(3).endsWith(two.toArray(Event[]::new));
  }

  @Test
  void refusesEventsThatBreakTheStreamRules() {
    ImageId id = image(1);
    ImageId other = image(2);

    assertThatThrownBy(() -> store.append(id, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.append(id, 0, List.of(received(id, 2, "b", "x.jpg"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.append(id, 0, List.of(received(other, 1, "b", "x.jpg"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> store.append(id, 0, List.of(received(id, 1, "b", "x.jpg"), succeeded(id, 3, true))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.read(id)).isEmpty();
  }

  @Test
  void streamsAreIndependent() {
    ImageId a = image(1);
    ImageId b = image(2);

    store.append(a, 0, stream(a, 2));
    store.append(b, 0, stream(b, 1));
    store.append(b, 1, List.of(succeeded(b, 2, false)));

    assertThat(store.read(a)).containsExactlyElementsOf(stream(a, 2));
    assertThat(store.read(b)).hasSize(2).allMatch(e -> e.imageId().equals(b));
  }

  @Test
  void onlyOneOfManyConcurrentAppendsAtTheSameVersionWins() throws Exception {
    ImageId id = image(1);
    store.append(id, 0, stream(id, 1));
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        boolean isCat = w % 2 == 0;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    store.append(id, 1, List.of(succeeded(id, 2, isCat)));
                    return true;
                  } catch (ConcurrencyConflictException lost) {
                    return false;
                  }
                }));
      }
      start.countDown();
      int wins = 0;
      for (Future<Boolean> result : results) {
        wins += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(wins).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.read(id)).hasSize(2);
  }

  @Test
  void listsEveryImageIdOnceAcrossPages() {
    Set<ImageId> expected = new HashSet<>();
    for (int n = 0; n < 23; n++) {
      ImageId id = image(n);
      store.append(id, 0, stream(id, 1 + n % 3));
      expected.add(id);
    }

    List<ImageId> seen = new ArrayList<>();
    PageRequest request = PageRequest.first(10);
    int pages = 0;
    while (true) {
      Page<ImageId> page = store.imageIds(request);
      assertThat(page.items().size()).isLessThanOrEqualTo(10);
      seen.addAll(page.items());
      pages++;
      if (page.nextCursor().isEmpty()) {
        break;
      }
      request = request.next(page.nextCursor().get());
      assertThat(pages).as("pages").isLessThan(20);
    }

    assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void anEmptyStoreListsNoImages() {
    Page<ImageId> page = store.imageIds(PageRequest.first(10));

    assertThat(page.items()).isEmpty();
    assertThat(page.nextCursor()).isEmpty();
  }
}
