package io.catwrangler.core.port;

import java.util.Objects;
import java.util.Optional;

/**
 * Which page to read: the opaque cursor from the previous page (empty for the first) and how many items at most.
 * Cursors are the adapter's business (a row key, an encoded DynamoDB LastEvaluatedKey); callers only hand them back.
 */
public record PageRequest(Optional<String> cursor, int limit) {
  public static final int MAX_LIMIT = 1000;

  public PageRequest {
    Objects.requireNonNull(cursor, "cursor (use Optional.empty())");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("a page holds 1 to " + MAX_LIMIT + " items, asked for " + limit);
    }
  }

  public static PageRequest first(int limit) {
    return new PageRequest(Optional.empty(), limit);
  }

  public PageRequest next(String cursor) {
    return new PageRequest(Optional.of(cursor), limit);
  }
}
