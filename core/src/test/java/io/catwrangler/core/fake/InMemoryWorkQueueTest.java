package io.catwrangler.core.fake;

import io.catwrangler.core.port.WorkQueue;
import io.catwrangler.core.port.contract.MutableClock;
import io.catwrangler.core.port.contract.WorkQueueContract;
import java.time.Duration;

class InMemoryWorkQueueTest extends WorkQueueContract {
  private final MutableClock clock = MutableClock.startingAt("2025-04-01T00:00:00Z");

  @Override
  protected WorkQueue newQueue(int maxAttempts) {
    return new InMemoryWorkQueue(maxAttempts, clock);
  }

  @Override
  protected void elapse(Duration duration) {
    clock.advance(duration);
  }
}
