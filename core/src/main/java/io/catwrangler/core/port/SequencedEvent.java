package io.catwrangler.core.port;

import io.catwrangler.events.Event;
import java.util.Objects;

/** An event with its position in the store-wide commit order. */
public record SequencedEvent(long sequence, Event event) {
  public SequencedEvent {
    if (sequence < 1) {
      throw new IllegalArgumentException("sequences start at 1");
    }
    Objects.requireNonNull(event, "event");
  }
}
