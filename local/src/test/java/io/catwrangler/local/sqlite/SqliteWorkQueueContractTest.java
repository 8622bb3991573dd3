package io.catwrangler.local.sqlite;

import io.catwrangler.core.port.WorkQueue;
import io.catwrangler.core.port.contract.MutableClock;
import io.catwrangler.core.port.contract.WorkQueueContract;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** The work queue contract against SQLite, timed by a test clock. */
class SqliteWorkQueueContractTest extends WorkQueueContract {
  private final TempDatabases databases = new TempDatabases();
  private final MutableClock clock = MutableClock.startingAt("2025-04-01T08:00:00Z");

  @Override
  protected WorkQueue newQueue(int maxAttempts) {
    return new SqliteWorkQueue(databases.create(), maxAttempts, clock);
  }

  @Override
  protected void elapse(Duration duration) {
    clock.advance(duration);
  }

  @AfterEach
  void closeDatabases() throws IOException {
    databases.close();
  }
}
