package io.catwrangler.core.port.contract;

import static io.catwrangler.core.port.contract.ContractEvents.image;
import static io.catwrangler.core.port.contract.ContractEvents.stream;
import static io.catwrangler.core.port.contract.ContractEvents.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.port.ConcurrencyConflictException;
import io.catwrangler.core.port.EventFeed;
import io.catwrangler.core.port.SequencedEvent;
import io.catwrangler.events.Event;
import io.catwrangler.events.ImageId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@link EventStoreContract} plus the global feed, for stores that also implement {@link EventFeed} (the
 * embedded one). {@link #newStore()} must return a store that is an {@link EventFeed}, or override {@link #feed()}.
 */
public abstract class EventFeedContract extends EventStoreContract {

  protected EventFeed feed() {
    return (EventFeed) store;
  }

  @Test
  void theFeedHasEveryEventInCommitOrder() {
    ImageId a = image(1);
    ImageId b = image(2);
    store.append(a, 0, stream(a, 2));
    store.append(b, 0, stream(b, 1));
    store.append(a, 2, List.of(succeeded(a, 3, true)));

    List<SequencedEvent> all = feed().readAfter(0, 100);

    assertThat(all).extracting(SequencedEvent::event)
        .containsExactly(
            stream(a, 2).get(0), stream(a, 2).get(1), stream(b, 1).get(0), succeeded(a, 3, true));
    assertThat(all).extracting(SequencedEvent::sequence).isSorted().doesNotHaveDuplicates();
    assertThat(all.get(0).sequence()).isPositive();
  }

  @Test
  void readingAfterAPositionContinuesFromThere() {
    ImageId a = image(1);
    store.append(a, 0, stream(a, 3));
    List<SequencedEvent> first = feed().readAfter(0, 100);
    long last = first.get(first.size() - 1).sequence();

    assertThat(feed().readAfter(last, 100)).isEmpty();
    store.append(a, 3, stream(a, 5).subList(3, 5));
    assertThat(feed().readAfter(last, 100))
        .extracting(SequencedEvent::event)
        .containsExactlyElementsOf(stream(a, 5).subList(3, 5));
  }

  @Test
  void pagingByLimitSeesEveryEventOnce() {
    List<Event> appended = new ArrayList<>();
    for (int n = 0; n < 7; n++) {
      ImageId id = image(n);
      List<Event> events = stream(id, 1 + n % 4);
      store.append(id, 0, events);
      appended.addAll(events);
    }

    List<Event> seen = new ArrayList<>();
    long position = 0;
    List<SequencedEvent> page;
    while (!(page = feed().readAfter(position, 4)).isEmpty()) {
      assertThat(page.size()).isLessThanOrEqualTo(4);
      page.forEach(e -> seen.add(e.event()));
      position = page.get(page.size() - 1).sequence();
    }

    assertThat(seen).containsExactlyElementsOf(appended);
  }

  @Test
  void aLostAppendLeavesNoTraceInTheFeed() {
    ImageId a = image(1);
    store.append(a, 0, stream(a, 1));

    assertThatThrownBy(() -> store.append(a, 0, stream(a, 2)))
        .isInstanceOf(ConcurrencyConflictException.class);

    assertThat(feed().readAfter(0, 100)).hasSize(1);
  }
}
