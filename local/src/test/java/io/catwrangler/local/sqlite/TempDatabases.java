package io.catwrangler.local.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Databases in temporary folders for one test, closed and deleted together. */
final class TempDatabases implements AutoCloseable {
  private final List<SqliteDatabase> open = new ArrayList<>();
  private final List<Path> folders = new ArrayList<>();

  /** A new, empty database in a folder of its own. */
  SqliteDatabase create() {
    try {
      Path folder = Files.createTempDirectory("catwrangler-test-");
      folders.add(folder);
      return open(folder.resolve(SqliteDatabase.FILE_NAME));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Opens (another connection set to) the database file. */
  SqliteDatabase open(Path file) {
    SqliteDatabase db = SqliteDatabase.open(file);
    open.add(db);
    return db;
  }

  @Override
  public void close() throws IOException {
    open.forEach(SqliteDatabase::close);
    open.clear();
    for (Path folder : folders) {
      try (var files = Files.walk(folder)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    folders.clear();
  }
}
