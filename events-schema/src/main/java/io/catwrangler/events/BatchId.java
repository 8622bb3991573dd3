package io.catwrangler.events;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The upstream system's name for a group of images (header {@code X-Batch-Id}). Restricted to a safe alphabet
 * because it ends up in keys, URLs and log lines.
 */
public record BatchId(String value) implements Comparable<BatchId> {
  static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  public BatchId {
    Objects.requireNonNull(value, "batch id");
    if (!SAFE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "a batch id is 1 to 128 characters of A-Z a-z 0-9 . _ : - and starts with a letter or digit");
    }
  }

  public static BatchId of(String value) {
    return new BatchId(value);
  }

  @Override
  public int compareTo(BatchId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
