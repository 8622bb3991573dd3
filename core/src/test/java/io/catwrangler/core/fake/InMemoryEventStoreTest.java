package io.catwrangler.core.fake;

import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.contract.EventFeedContract;

class InMemoryEventStoreTest extends EventFeedContract {
  @Override
  protected EventStore newStore() {
    return new InMemoryEventStore();
  }
}
