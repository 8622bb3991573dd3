package io.catwrangler.local.sqlite;

import io.catwrangler.core.port.UnitOfWork;
import io.catwrangler.core.port.contract.UnitOfWorkContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;

/**
 * The unit-of-work contract against SQLite's; its atomicity over the adapters is in
 * {@code local/runtime/OneTransactionStepsTest}.
 */
class SqliteUnitOfWorkContractTest extends UnitOfWorkContract {
  private final TempDatabases databases = new TempDatabases();

  @Override
  protected UnitOfWork newUnit() {
    return databases.create().unitOfWork();
  }

  @AfterEach
  void closeDatabases() throws IOException {
    databases.close();
  }
}
