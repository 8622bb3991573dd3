package io.catwrangler.aws.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** A map that keeps its {@code capacity} most recently used entries (not thread-safe: callers synchronise). */
public final class LeastRecentlyUsed {
  private LeastRecentlyUsed() {}

  public static <K, V> Map<K, V> map(int capacity) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }
}
