package io.catwrangler.local.sqlite;

import io.catwrangler.core.port.CheckpointedResultView;
import io.catwrangler.core.port.contract.CheckpointedResultViewContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;

/** The result view contracts (plain and checkpointed) against SQLite. */
class SqliteResultViewContractTest extends CheckpointedResultViewContract {
  private final TempDatabases databases = new TempDatabases();

  @Override
  protected CheckpointedResultView newView() {
    return new SqliteResultView(databases.create());
  }

  @AfterEach
  void closeDatabases() throws IOException {
    databases.close();
  }
}
