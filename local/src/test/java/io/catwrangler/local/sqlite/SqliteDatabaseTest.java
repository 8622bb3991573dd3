package io.catwrangler.local.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
