package io.catwrangler.local.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of request bodies held in memory at once, across all requests: many large uploads arriving together are
 * refused with a 503 beyond it instead of running the heap out.
 */
final class MemoryBudget {
  /** No limit: for bodies that are read and dropped. */
  static final MemoryBudget NONE = new MemoryBudget(Long.MAX_VALUE);

  private final long limit;
  private final AtomicLong held = new AtomicLong();

  MemoryBudget(long limit) {
    this.limit = limit;
  }

  /** A quarter of the heap: room for the decoder, the model and the stores beside the bodies. */
  static MemoryBudget quarterOfHeap() {
    return new MemoryBudget(Runtime.getRuntime().maxMemory() / 4);
  }

  boolean reserve(long bytes) {
    while (true) {
      long now = held.get();
      if (now + bytes > limit && now > 0) { // one body alone is always let through, whatever its size
        return false;
      }
      if (held.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    held.addAndGet(-bytes);
  }

  long held() {
    return held.get();
  }
}
