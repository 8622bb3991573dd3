package io.catwrangler.local.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.port.StorageFullException;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.core.port.contract.ContractEvents;
import io.catwrangler.events.ImageId;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDatabaseTest {
  @TempDir Path dir;

  private static String pragma(SqliteDatabase db, String name) {
    return db.read(c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
        rs.next();
        return rs.getString(1);
      }
    });
  }

  @Test
  void runsInWalModeWithTheChosenDurability() {
    try (SqliteDatabase normal = SqliteDatabase.open(dir.resolve("normal.db"))) {
      assertThat(pragma(normal, "journal_mode")).isEqualTo("wal");
      assertThat(pragma(normal, "synchronous")).isEqualTo("1"); // NORMAL
      assertThat(pragma(normal, "busy_timeout")).isEqualTo("10000");
    }
    var full = new SqliteDatabase.Options(Durability.FULL, Duration.ofSeconds(3), 2);
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("full.db"), full)) {
      assertThat(pragma(db, "synchronous")).isEqualTo("2"); // FULL
      assertThat(pragma(db, "busy_timeout")).isEqualTo("3000");
    }
  }

  @Test
  void refusesADatabaseOfANewerRelease() {
    Path file = dir.resolve("newer.db");
    try (SqliteDatabase db = SqliteDatabase.open(file)) {
      db.write(c -> {
        try (Statement s = c.createStatement()) {
          s.execute("PRAGMA user_version = 99");
        }
        return null;
      });
    }
    assertThatThrownBy(() -> SqliteDatabase.open(file))
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessageContaining("newer");
  }

  @Test
  void aVersion1DatabaseIsBroughtToThisVersionKeepingItsRowsAndNotificationsStartAtItsViewCheckpoint()
      throws Exception {
    Path file = dir.resolve("v1.db");
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      for (String ddl : Schema.V1) {
        s.execute(ddl);
      }
      s.execute("UPDATE view_checkpoint SET sequence = 42 WHERE id = 1");
      s.execute("INSERT INTO events (image_id, version, event_id, type, occurred_at, body)"
          + " VALUES ('a', 1, 'e1', 'ImageReceived', '2026-01-01T00:00:00Z', '{}')");
      s.execute("PRAGMA user_version = 1");
    }

    try (SqliteDatabase db = SqliteDatabase.open(file)) {
      assertThat(pragma(db, "user_version")).isEqualTo(String.valueOf(Schema.VERSION)).isEqualTo("4");
      assertThat(new SqliteResultView(db).checkpoint()).isEqualTo(42);
      // version 4's index, named by the batch counts query
      assertThat(new SqliteResultView(db).batch(io.catwrangler.events.BatchId.of("b"),
          io.catwrangler.core.port.PageRequest.first(10)).total()).isZero();
      assertThat(new SqliteResultView(db).tally(ContractEvents.MODEL, java.util.List.of(0.5)).answered().n())
          .isZero();
      String eventsAndCheckpoint = db.read(c -> {
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM events), sequence FROM notify_checkpoint")) {
          rs.next();
          return rs.getInt(1) + "/" + rs.getInt(2);
        }
      });
      assertThat(eventsAndCheckpoint).isEqualTo("1/42");
    }
  }

  @Test
  void aDatabaseOrDiskFullIsReportedAsFullAndWritesWorkAgainOnceThereIsRoom() {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("small.db"))) {
      // SQLITE_FULL without filling a disk: the writer connection may not grow the file past its current pages
      db.write(c -> {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE TABLE blobs (b BLOB)");
          s.execute("PRAGMA max_page_count = " + pragmaOn(c, "page_count"));
        }
        return null;
      });
      SqlWork<Void> insert = c -> {
        try (Statement s = c.createStatement()) {
          s.execute("INSERT INTO blobs VALUES (zeroblob(100000))");
        }
        return null;
      };

      assertThatThrownBy(() -> db.write(insert))
          .isInstanceOf(StorageFullException.class)
          .hasMessageContaining("is full");

      db.write(c -> {
        try (Statement s = c.createStatement()) {
          s.execute("PRAGMA max_page_count = 1000000");
        }
        return null;
      });
      db.write(insert);
      int pages = db.read(c -> pragmaOn(c, "page_count"));
      assertThat(pages).isGreaterThan(20);
    }
  }

  @Test
  void anExistingDatabaseOpensWithoutWritingWhileAnotherConnectionHoldsTheWriteLock() throws Exception {
    Path file = dir.resolve("busy.db");
    SqliteDatabase.open(file).close();
    try (var holder = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = holder.createStatement()) {
      s.execute("BEGIN IMMEDIATE"); // as a writer elsewhere, or a disk on which no write can start
      var shortWait = new SqliteDatabase.Options(Durability.NORMAL, Duration.ofMillis(200), 1);
      try (SqliteDatabase db = SqliteDatabase.open(file, shortWait)) {
        assertThat(pragma(db, "user_version")).isEqualTo(String.valueOf(Schema.VERSION));
      } finally {
        s.execute("ROLLBACK");
      }
    }
  }

  private static int pragmaOn(java.sql.Connection c, String name) throws java.sql.SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void anOnlineBackupIsACompleteDatabase() {
    ImageId id = ContractEvents.image(1);
    Path backup = dir.resolve("backup").resolve("copy.db");
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve(SqliteDatabase.FILE_NAME))) {
      new SqliteEventStore(db).append(id, 0, ContractEvents.stream(id, 4));
      backup.getParent().toFile().mkdirs();
      db.backupTo(backup);
    }
    try (SqliteDatabase copy = SqliteDatabase.open(backup)) {
      assertThat(new SqliteEventStore(copy).read(id)).isEqualTo(ContractEvents.stream(id, 4));
    }
  }

  @Test
  void aClosedDatabaseIsUnavailable() {
    SqliteDatabase db = SqliteDatabase.open(dir.resolve(SqliteDatabase.FILE_NAME));
    db.close();
    db.close();
    assertThatThrownBy(() -> new SqliteEventStore(db).lastSequence()).isInstanceOf(StorageUnavailableException.class);
  }
}
