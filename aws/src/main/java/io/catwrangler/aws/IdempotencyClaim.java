package io.catwrangler.aws;

import java.util.Objects;

/** What {@link DynamoDbIdempotencyStore#begin} found. */
public sealed interface IdempotencyClaim {

  /** The key is this execution's now (INPROGRESS): do the work, then {@code complete} it, or {@code delete} it. */
  record Acquired(String key) implements IdempotencyClaim {
    public Acquired {
      Objects.requireNonNull(key, "key");
    }
  }

  /** The work was done before: here is its stored result; do not do it again. */
  record Completed(String key, String result) implements IdempotencyClaim {
    public Completed {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(result, "result");
    }
  }
}
