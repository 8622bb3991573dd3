package io.catwrangler.local.sqlite;

import io.catwrangler.core.port.StorageFullException;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.core.port.UnitOfWork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The embedded database: one SQLite file in WAL mode, one writer connection and a few reader connections.
 *
 * <p>Writes are serialised in this process by a lock around the writer connection and across processes by
 * {@code BEGIN IMMEDIATE} (SQLite's write lock, waited for up to the busy timeout), so a transaction's check and
 * write cannot interleave with another's. A {@link #write} inside another on the same thread joins the outer
 * transaction: adapters can be combined into one atomic step. Readers run in their own read transaction (WAL
 * gives them a snapshot; they never wait for the writer). SQL failures come out as
 * {@link StorageUnavailableException}.
 *
 * <p>WAL checkpoints (copying the log back into the database file, with its fsyncs) run on a background thread
 * every second instead of inside whichever commit crosses SQLite's 1000-page mark: a checkpoint costs 100 ms and more
 * on a disk with slow flushes, which would otherwise land on an unlucky upload. A much larger automatic threshold
 * stays as the safety net.
 */
public final class SqliteDatabase implements AutoCloseable {
  /** The database's name in the data folder. */
  public static final String FILE_NAME = "catwrangler.db";

  /** Prepared statements each connection keeps ({@link StatementCache}); the code has about 60 texts. */
  private static final int STATEMENTS_PER_CONNECTION = 128;

  /** The safety-net threshold (pages, about 40 MB of log) at which a commit checkpoints by itself. */
  private static final int AUTOCHECKPOINT_PAGES = 10_000;

  /**
   * @param durability when a commit is on the disk (see {@link Durability})
   * @param busyTimeout how long a write waits for another process's write lock before failing as unavailable
   * @param readers reader connections (concurrent queries)
   */
  public record Options(Durability durability, Duration busyTimeout, int readers) {
    public static final Options DEFAULTS = new Options(Durability.NORMAL, Duration.ofSeconds(10), 4);

    public Options {
      Objects.requireNonNull(durability, "durability");
      Objects.requireNonNull(busyTimeout, "busy timeout");
      if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("busy timeout out of range: " + busyTimeout);
      }
      if (readers < 1 || readers > 64) {
        throw new IllegalArgumentException("1 to 64 reader connections, not " + readers);
      }
    }
  }

  private final Path file;
  private final Options options;
  private final Connection writer;
  private final ReentrantLock writeLock = new ReentrantLock(true); // fair: no writer starves behind the others
  private final BlockingQueue<Connection> readers;
  private final List<Connection> allReaders = new ArrayList<>();
  private final ThreadLocal<List<Runnable>> afterCommit = ThreadLocal.withInitial(ArrayList::new);
  private final Connection checkpointer;
  private final ScheduledExecutorService checkpoints;
  private volatile boolean closed;
  private final UnitOfWork unitOfWork =
      new UnitOfWork() {
        @Override
        public <T> T atomically(Supplier<T> work) {
          return write(c -> work.get());
        }
      };

  private SqliteDatabase(Path file, Options options) throws SQLException {
    this.file = file;
    this.options = options;
    this.writer = connect(false);
    Schema.apply(writer);
    this.readers = new ArrayBlockingQueue<>(options.readers());
    for (int i = 0; i < options.readers(); i++) {
      Connection reader = connect(true);
      allReaders.add(reader);
      readers.add(reader);
    }
    this.checkpointer = connect(false);
    this.checkpoints =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "catwrangler-wal-checkpoint");
              thread.setDaemon(true);
              return thread;
            });
    checkpoints.scheduleWithFixedDelay(this::checkpointQuietly, 1, 1, TimeUnit.SECONDS);
  }

  private void checkpointQuietly() {
    synchronized (checkpointer) {
      checkpointOnce();
    }
  }

  private void checkpointOnce() {
    try {
      // PASSIVE: copies what it can without waiting for readers or blocking the writer
      execute(checkpointer, "PRAGMA wal_checkpoint(PASSIVE)");
    } catch (SQLException | RuntimeException e) {
      // the next round tries again; the automatic threshold bounds the log meanwhile
    }
  }

  /**
   * Opens (creating if needed) the database file and brings its schema up to date.
   *
   * @throws StorageUnavailableException the file cannot be opened or is not a database of this program
   */
  public static SqliteDatabase open(Path file, Options options) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(options, "options");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return new SqliteDatabase(file, options);
    } catch (SQLException e) {
      if (isFull(e)) {
        throw new StorageFullException("cannot open the database " + file + ": the disk holding it is full; free"
            + " space there and start again", e);
      }
      throw new StorageUnavailableException("cannot open the database " + file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new StorageUnavailableException("cannot open the database " + file + ": " + e.getMessage(), e);
    }
  }

  public static SqliteDatabase open(Path file) {
    return open(file, Options.DEFAULTS);
  }

  public Path file() {
    return file;
  }

  public Options options() {
    return options;
  }

  /**
   * Runs {@code work} in a write transaction ({@code BEGIN IMMEDIATE} … {@code COMMIT}); any exception rolls it back
   * and is rethrown ({@link SQLException} as {@link StorageUnavailableException}). Inside another write on this
   * thread it joins that transaction.
   */
  public <T> T write(SqlWork<T> work) {
    requireOpen();
    if (writeLock.isHeldByCurrentThread()) {
      try {
        return work.run(writer);
      } catch (SQLException e) {
        throw unavailable(e);
      }
    }
    T result;
    List<Runnable> callbacks;
    writeLock.lock();
    try {
      requireOpen();
      afterCommit.get().clear();
      try {
        execute(writer, "BEGIN IMMEDIATE");
        try {
          result = work.run(writer);
          execute(writer, "COMMIT");
        } catch (SQLException | RuntimeException | Error e) {
          rollbackQuietly(e);
          throw e;
        }
      } catch (SQLException e) {
        throw unavailable(e);
      }
      callbacks = List.copyOf(afterCommit.get());
    } finally {
      afterCommit.get().clear();
      writeLock.unlock();
    }
    callbacks.forEach(Runnable::run);
    return result;
  }

  /**
   * Work over several adapters of this database as one write transaction: their writes join it and their reads go
   * through it (the writer's connection, instead of a reader whose page cache every commit in between has emptied).
   */
  public UnitOfWork unitOfWork() {
    return unitOfWork;
  }

  /** Runs {@code callback} once the current outermost write transaction has committed (not if it rolls back). */
  public void afterCommit(Runnable callback) {
    if (!writeLock.isHeldByCurrentThread()) {
      throw new IllegalStateException("afterCommit outside a write transaction");
    }
    afterCommit.get().add(callback);
  }

  /**
   * Runs {@code work} in a read transaction on a reader connection (one consistent snapshot for all its queries).
   * Inside a write on this thread it reads through the writer, so it sees that transaction's changes.
   */
  public <T> T read(SqlWork<T> work) {
    requireOpen();
    if (writeLock.isHeldByCurrentThread()) {
      try {
        return work.run(writer);
      } catch (SQLException e) {
        throw unavailable(e);
      }
    }
    Connection reader = borrowReader();
    try {
      execute(reader, "BEGIN");
      try {
        return work.run(reader);
      } finally {
        execute(reader, "COMMIT");
      }
    } catch (SQLException e) {
      throw unavailable(e);
    } finally {
      readers.add(reader);
    }
  }

  /**
   * Writes a consistent copy of the whole database to {@code target} while it is in use ({@code VACUUM INTO}); the
   * target must not exist.
   */
  public void backupTo(Path target) {
    if (Files.exists(target)) {
      throw new IllegalArgumentException(target + " exists already");
    }
    requireOpen();
    // VACUUM cannot run inside a transaction, nor on a query-only reader: the checkpoint connection does it (it
    // reads one snapshot; writers go on meanwhile)
    synchronized (checkpointer) {
      try (var statement = checkpointer.prepareStatement("VACUUM INTO ?")) {
        statement.setString(1, target.toAbsolutePath().toString());
        statement.execute();
      } catch (SQLException e) {
        throw unavailable(e);
      }
    }
  }

  /** Closes every connection after the write in progress, if any; the WAL is checkpointed into the main file. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      checkpoints.shutdown();
      try {
        checkpoints.awaitTermination(options.busyTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      closeQuietly(checkpointer);
      for (Connection reader : allReaders) {
        try {
          // waits for a reader in use to come back, so no query is cut off
          readers.poll(options.busyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        closeQuietly(reader);
      }
      try {
        execute(writer, "PRAGMA wal_checkpoint(TRUNCATE)");
      } catch (SQLException ignored) {
        // another process reading: the WAL is checkpointed later, nothing is lost
      }
      closeQuietly(writer);
    } finally {
      writeLock.unlock();
    }
  }

  private Connection connect(boolean reader) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(
        options.durability() == Durability.FULL
            ? SQLiteConfig.SynchronousMode.FULL
            : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout((int) options.busyTimeout().toMillis());
    config.enforceForeignKeys(true);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    config.setWalAutocheckpoint(AUTOCHECKPOINT_PAGES);
    Connection connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    if (reader) {
      // a reader never writes: a bug that tries fails loudly instead of taking the write lock
      execute(connection, "PRAGMA query_only = true");
    }
    return StatementCache.wrap(connection, STATEMENTS_PER_CONNECTION);
  }

  private Connection borrowReader() {
    try {
      Connection reader = readers.poll(options.busyTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (reader == null) {
        throw new StorageUnavailableException("no database reader free within " + options.busyTimeout(), null);
      }
      return reader;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageUnavailableException("interrupted waiting for a database reader", e);
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new StorageUnavailableException("the database " + file + " is closed", null);
    }
  }

  private void rollbackQuietly(Throwable cause) {
    try {
      execute(writer, "ROLLBACK");
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private StorageUnavailableException unavailable(SQLException e) {
    return unavailable(file, e);
  }

  /** {@code SQLITE_FULL} (the disk or the page limit) as {@link StorageFullException}, anything else as unavailable. */
  static StorageUnavailableException unavailable(Path file, SQLException e) {
    if (isFull(e)) {
      return new StorageFullException("the disk holding the database " + file + " is full", e);
    }
    return new StorageUnavailableException("database " + file.getFileName() + ": " + e.getMessage(), e);
  }

  static boolean isFull(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLiteException sqlite && sqlite.getResultCode().code == SQLiteErrorCode.SQLITE_FULL.code) {
        return true;
      }
      if (t instanceof SQLException sql && (sql.getErrorCode() == SQLiteErrorCode.SQLITE_FULL.code)) {
        return true;
      }
    }
    return false;
  }

  /** Runs {@code sql} through the connection's kept statements: BEGIN and COMMIT are compiled once. */
  private static void execute(Connection connection, String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.execute();
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // closing: nothing left to do with it
    }
  }
}
