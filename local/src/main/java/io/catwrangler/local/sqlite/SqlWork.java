package io.catwrangler.local.sqlite;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done with a connection inside a transaction of {@link SqliteDatabase}. */
@FunctionalInterface
public interface SqlWork<T> {
  T run(Connection connection) throws SQLException;
}
