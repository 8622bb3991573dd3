package io.catwrangler.local.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementCacheTest {
  @TempDir Path dir;
  private String url;

  @BeforeEach
  void aWalDatabaseWithRows() throws SQLException {
    url = "jdbc:sqlite:" + dir.resolve("cache.db");
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode = WAL");
      s.execute("CREATE TABLE t (n INTEGER PRIMARY KEY)");
      s.execute("INSERT INTO t (n) VALUES (1), (2), (3)");
    }
  }

  private static PreparedStatement compiled(PreparedStatement statement) throws SQLException {
    return statement.unwrap(PreparedStatement.class);
  }

  @Test
  void theSameTextIsCompiledOnceAndItsParametersDoNotCarryOver() throws SQLException {
    try (Connection c = StatementCache.wrap(DriverManager.getConnection(url), 8)) {
      PreparedStatement first;
      try (PreparedStatement s = c.prepareStatement("SELECT ?")) {
        first = compiled(s);
        s.setString(1, "x");
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          assertThat(rs.getString(1)).isEqualTo("x");
        }
      }
      try (PreparedStatement s = c.prepareStatement("SELECT ?")) {
        assertThat(compiled(s)).isSameAs(first);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          assertThat(rs.getString(1)).isNull(); // unbound: x was cleared
        }
      }
    }
  }

  @Test
  void aTextStillInUseGetsAStatementOfItsOwnForTheNestedQuery() throws SQLException {
    String sql = "SELECT n FROM t WHERE n >= ? ORDER BY n";
    List<String> pairs = new ArrayList<>();
    try (Connection c = StatementCache.wrap(DriverManager.getConnection(url), 8);
        PreparedStatement outer = c.prepareStatement(sql)) {
      outer.setInt(1, 2);
      try (ResultSet rows = outer.executeQuery()) {
        while (rows.next()) {
          try (PreparedStatement inner = c.prepareStatement(sql)) {
            assertThat(compiled(inner)).isNotSameAs(compiled(outer));
            inner.setInt(1, 3);
            try (ResultSet innerRows = inner.executeQuery()) {
              innerRows.next();
              pairs.add(rows.getInt(1) + "/" + innerRows.getInt(1));
            }
          }
        }
      }
    }
    assertThat(pairs).containsExactly("2/3", "3/3"); // the outer query was not reset by the inner one
  }

  @Test
  void aClosedQueryHoldsNoReadSnapshotEvenIfItsResultsWereNotReadToTheEnd() throws SQLException {
    try (Connection reader = StatementCache.wrap(DriverManager.getConnection(url), 8);
        Connection writer = DriverManager.getConnection(url)) {
      try (PreparedStatement s = reader.prepareStatement("SELECT n FROM t")) {
        ResultSet rs = s.executeQuery(); // read one row, results left open: close() of the statement ends them
        rs.next();
      }
      write(writer);
      assertThat(checkpointBusy(writer)).isZero();

      // the control: the same reading through a statement that stays open pins the snapshot
      PreparedStatement open = DriverManager.getConnection(url).prepareStatement("SELECT n FROM t");
      try (Connection pinned = open.getConnection()) {
        open.executeQuery().next();
        write(writer);
        assertThat(checkpointBusy(writer)).isEqualTo(1);
      }
    }
  }

  @Test
  void statementsPastTheCapacityAndThoseOfAClosedConnectionAreClosed() throws SQLException {
    Connection c = StatementCache.wrap(DriverManager.getConnection(url), 2);
    PreparedStatement one;
    try (PreparedStatement s = c.prepareStatement("SELECT 1")) {
      one = compiled(s);
    }
    PreparedStatement two;
    try (PreparedStatement s = c.prepareStatement("SELECT 2")) {
      two = compiled(s);
    }
    try (PreparedStatement s = c.prepareStatement("SELECT 3")) {
      assertThat(one.isClosed()).isTrue(); // the least recently used of three, with room for two
      assertThat(two.isClosed()).isFalse();
      try (PreparedStatement again = c.prepareStatement("SELECT 1")) {
        assertThat(compiled(again)).isNotSameAs(one);
        assertThat(again.executeQuery().getInt(1)).isEqualTo(1);
      }
    }
    c.close();
    assertThat(two.isClosed()).isTrue();
  }

  private static void write(Connection writer) throws SQLException {
    try (Statement s = writer.createStatement()) {
      s.execute("INSERT INTO t (n) SELECT MAX(n) + 1 FROM t");
    }
  }

  /** {@code wal_checkpoint(TRUNCATE)}'s first column: 1 when a reader's snapshot kept it from finishing. */
  private static int checkpointBusy(Connection writer) throws SQLException {
    try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
