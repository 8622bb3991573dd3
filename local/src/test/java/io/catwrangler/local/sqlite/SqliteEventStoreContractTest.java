package io.catwrangler.local.sqlite;

import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.contract.EventFeedContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;

/** The event store and feed contracts against SQLite. */
class SqliteEventStoreContractTest extends EventFeedContract {
  private final TempDatabases databases = new TempDatabases();

  @Override
  protected EventStore newStore() {
    return new SqliteEventStore(databases.create());
  }

  @AfterEach
  void closeDatabases() throws IOException {
    databases.close();
  }
}
