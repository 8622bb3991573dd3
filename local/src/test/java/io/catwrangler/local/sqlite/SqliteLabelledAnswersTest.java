package io.catwrangler.local.sqlite;

import io.catwrangler.core.port.contract.LabelledAnswersContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;

/** The labelled-answers contract against SQLite's {@code view_labels}. */
class SqliteLabelledAnswersTest extends LabelledAnswersContract<SqliteResultView> {
  private final TempDatabases databases = new TempDatabases();

  @Override
  protected SqliteResultView newView() {
    return new SqliteResultView(databases.create());
  }

  @AfterEach
  void closeDatabases() throws IOException {
    databases.close();
  }
}
