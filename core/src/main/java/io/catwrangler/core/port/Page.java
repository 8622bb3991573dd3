package io.catwrangler.core.port;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One page of items; {@code nextCursor} is empty on the last page. */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
  public Page {
    items = List.copyOf(items);
    Objects.requireNonNull(nextCursor, "next cursor (use Optional.empty())");
  }

  public static <T> Page<T> last(List<T> items) {
    return new Page<>(items, Optional.empty());
  }
}
