package io.catwrangler.core.projection;

import io.catwrangler.core.port.EventStore;
import io.catwrangler.events.Event;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The shared step of both projectors: a row plus some events of its image → the next row, if any. */
final class Projector {
  private final EventStore events;

  Projector(EventStore events) {
    this.events = events;
  }

  /** The next state per image, in the order images first appear; empty where nothing is new. */
  Map<ImageId, Advance> advance(List<? extends Event> batch, Function<ImageId, Optional<ImageState>> stored) {
    Map<ImageId, List<Event>> byImage = new LinkedHashMap<>();
    for (Event event : batch) {
      byImage.computeIfAbsent(event.imageId(), id -> new ArrayList<>()).add(event);
    }
    Map<ImageId, Advance> result = new LinkedHashMap<>();
    byImage.forEach((imageId, imageEvents) -> result.put(imageId, advance(imageId, imageEvents, stored.apply(imageId))));
    return result;
  }

  private Advance advance(ImageId imageId, List<Event> imageEvents, Optional<ImageState> stored) {
    ImageState base = stored.orElseGet(() -> ImageState.initial(imageId));
    Optional<ImageState> read = stored;
    List<Event> fresh =
        imageEvents.stream()
            .filter(e -> e.version() > base.version())
            .sorted(Comparator.comparingLong(Event::version))
            .toList();
    if (fresh.isEmpty()) {
      return new Advance(Optional.empty(), false, read);
    }
    ImageState state = base;
    for (Event event : fresh) {
      if (event.version() <= state.version()) {
        continue; // the same event twice in one batch
      }
      if (event.version() != state.version() + 1) {
        // a gap (a lost or reordered change record): the stream itself is the truth
        return new Advance(Optional.of(ImageState.fold(imageId, events.read(imageId))), true, read);
      }
      state = state.apply(event);
    }
    return new Advance(Optional.of(state), false, read);
  }

  /** @param stored the row this advance started from, as read from the view */
  record Advance(Optional<ImageState> next, boolean refolded, Optional<ImageState> stored) {}
}
