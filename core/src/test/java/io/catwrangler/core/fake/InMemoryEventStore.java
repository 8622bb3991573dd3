package io.catwrangler.core.fake;

import io.catwrangler.core.port.ConcurrencyConflictException;
import io.catwrangler.core.port.EventFeed;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.Page;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.core.port.SequencedEvent;
import io.catwrangler.events.Event;
import io.catwrangler.events.EventCodec;
import io.catwrangler.events.ImageId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An event store in memory, for use-case tests. Events are kept as JSON, like a real store, so what is read back
 * went through the codec. One lock: appends are serialised, which is what the optimistic check needs.
 */
public final class InMemoryEventStore implements EventStore, EventFeed {
  private final EventCodec codec = new EventCodec();
  private final TreeMap<ImageId, List<String>> streams = new TreeMap<>();
  private final List<String> feed = new ArrayList<>(); // index + 1 = global sequence
  private final AtomicInteger appends = new AtomicInteger();
  private final AtomicInteger conflicts = new AtomicInteger();

  @Override
  public synchronized void append(ImageId imageId, long expectedVersion, List<? extends Event> events) {
    EventStore.requireAppendable(imageId, expectedVersion, events);
    List<String> stream = streams.getOrDefault(imageId, List.of());
    if (stream.size() != expectedVersion) {
      conflicts.incrementAndGet();
      throw new ConcurrencyConflictException(imageId, expectedVersion);
    }
    List<String> encoded = events.stream().map(codec::encode).toList();
    streams.computeIfAbsent(imageId, id -> new ArrayList<>()).addAll(encoded);
    feed.addAll(encoded);
    appends.incrementAndGet();
  }

  @Override
  public synchronized List<Event> read(ImageId imageId) {
    return streams.getOrDefault(imageId, List.of()).stream().map(codec::decode).toList();
  }

  @Override
  public synchronized Page<ImageId> imageIds(PageRequest page) {
    Map<ImageId, List<String>> tail =
        page.cursor().map(c -> streams.tailMap(ImageId.of(c), false)).orElse(streams);
    List<ImageId> ids = tail.keySet().stream().limit(page.limit() + 1L).toList();
    if (ids.size() <= page.limit()) {
      return Page.last(ids);
    }
    List<ImageId> items = ids.subList(0, page.limit());
    return new Page<>(items, Optional.of(items.get(items.size() - 1).value()));
  }

  @Override
  public synchronized List<SequencedEvent> readAfter(long sequence, int limit) {
    List<SequencedEvent> result = new ArrayList<>();
    for (long s = sequence + 1; s <= feed.size() && result.size() < limit; s++) {
      result.add(new SequencedEvent(s, codec.decode(feed.get((int) (s - 1)))));
    }
    return result;
  }

  /** Every event of every stream, in commit order. */
  public synchronized List<Event> all() {
    return feed.stream().map(codec::decode).toList();
  }

  /** Writes an event as a newer release would, bypassing the checks (for "unreadable stream" tests). */
  public synchronized void appendRaw(ImageId imageId, String json) {
    streams.computeIfAbsent(imageId, id -> new ArrayList<>()).add(json);
    feed.add(json);
  }

  public int appendCount() {
    return appends.get();
  }

  public int conflictCount() {
    return conflicts.get();
  }
}
