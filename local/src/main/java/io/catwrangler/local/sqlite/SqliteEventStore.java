package io.catwrangler.local.sqlite;

import io.catwrangler.core.port.ConcurrencyConflictException;
import io.catwrangler.core.port.EventFeed;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.Page;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.core.port.SequencedEvent;
import io.catwrangler.events.Event;
import io.catwrangler.events.EventCodec;
import io.catwrangler.events.EventType;
import io.catwrangler.events.ImageId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The event table in SQLite: one row per event, the event as JSON ({@link EventCodec}), a global
 * {@code sequence} (AUTOINCREMENT: strictly increasing, never reused) that makes the table its own change feed,
 * {@code UNIQUE (image_id, version)} and a unique {@code event_id}. Rows are only ever inserted; triggers refuse
 * UPDATE and DELETE.
 *
 * <p>An append checks the stream's version and inserts in one {@code BEGIN IMMEDIATE} transaction, so two appends
 * at the same version — threads of this process or other processes — cannot both win; the unique key is the
 * backstop. Since SQLite commits one writer at a time, sequences become visible in increasing order, which is what
 * lets a feed reader remember just the last sequence it handled.
 */
public final class SqliteEventStore implements EventStore, EventFeed {
  private final SqliteDatabase db;
  private final EventCodec codec = new EventCodec();
  private final List<Runnable> appendListeners = new CopyOnWriteArrayList<>();

  public SqliteEventStore(SqliteDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /**
   * Calls {@code listener} after every committed append of this instance (on the appending thread; keep it short,
   * e.g. signal a waiting reader). Appends by other processes are not signalled: readers also poll.
   */
  public void onAppend(Runnable listener) {
    appendListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void append(ImageId imageId, long expectedVersion, List<? extends Event> events) {
    EventStore.requireAppendable(imageId, expectedVersion, events);
    List<String> bodies = events.stream().map(codec::encode).toList();
    db.write(
        c -> {
            long current = currentVersion(c, imageId);
            if (current != expectedVersion) {
              throw new ConcurrencyConflictException(imageId, expectedVersion);
            }
            try (PreparedStatement insert =
                c.prepareStatement(
                    "INSERT INTO events (image_id, version, event_id, type, occurred_at, body)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
              for (int i = 0; i < events.size(); i++) {
                Event event = events.get(i);
                insert.setString(1, imageId.value());
                insert.setLong(2, event.version());
                insert.setString(3, event.eventId().toString());
                insert.setString(4, event.type().wireName());
                insert.setString(5, event.occurredAt().toString());
                insert.setString(6, bodies.get(i));
                insert.executeUpdate();
              }
            } catch (SQLiteException e) {
              if (isUniqueViolation(e)) {
                // same stream position or same deterministic event id: someone else's write is there
                throw new ConcurrencyConflictException(imageId, expectedVersion, e);
              }
              throw e;
            }
            appendListeners.forEach(db::afterCommit);
            return null;
          });
  }

  @Override
  public List<Event> read(ImageId imageId) {
    return db.read(
        c -> {
          try (PreparedStatement select =
              c.prepareStatement("SELECT body FROM events WHERE image_id = ? ORDER BY version")) {
            select.setString(1, imageId.value());
            List<Event> events = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                events.add(codec.decode(rs.getString(1)));
              }
            }
            return events;
          }
        });
  }

  /** Ordered by image id; the cursor is the last image id of the page. */
  @Override
  public Page<ImageId> imageIds(PageRequest page) {
    String after = page.cursor().map(cursor -> ImageId.of(cursor).value()).orElse("");
    return db.read(
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT DISTINCT image_id FROM events WHERE image_id > ? ORDER BY image_id LIMIT ?")) {
            select.setString(1, after);
            select.setInt(2, page.limit() + 1);
            List<ImageId> ids = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                ids.add(ImageId.of(rs.getString(1)));
              }
            }
            if (ids.size() <= page.limit()) {
              return Page.last(ids);
            }
            List<ImageId> items = ids.subList(0, page.limit());
            return new Page<>(items, Optional.of(items.get(items.size() - 1).value()));
          }
        });
  }

  @Override
  public List<SequencedEvent> readAfter(long sequence, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    return db.read(
        c -> {
          try (PreparedStatement select =
              c.prepareStatement("SELECT sequence, body FROM events WHERE sequence > ? ORDER BY sequence LIMIT ?")) {
            select.setLong(1, sequence);
            select.setInt(2, limit);
            List<SequencedEvent> events = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                events.add(new SequencedEvent(rs.getLong(1), codec.decode(rs.getString(2))));
              }
            }
            return events;
          }
        });
  }

  /** The sequence of the newest event; 0 when there is none. */
  public long lastSequence() {
    return db.read(c -> queryLong(c, "SELECT COALESCE(MAX(sequence), 0) FROM events"));
  }

  /** How many events the table holds. */
  public long count() {
    return db.read(c -> queryLong(c, "SELECT COUNT(*) FROM events"));
  }

  /** How many events of this type the table holds (e.g. submissions: {@code IMAGE_RECEIVED}). */
  public long count(EventType type) {
    return db.read(
        c -> {
          try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM events WHERE type = ?")) {
            select.setString(1, type.wireName());
            try (ResultSet rs = select.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  /** The version of the image's stream; 0 for an image never seen. */
  public long version(ImageId imageId) {
    return db.read(c -> currentVersion(c, imageId));
  }

  private static long currentVersion(Connection c, ImageId imageId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT COALESCE(MAX(version), 0) FROM events WHERE image_id = ?")) {
      select.setString(1, imageId.value());
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long queryLong(Connection c, String sql) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(sql);
        ResultSet rs = select.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static boolean isUniqueViolation(SQLiteException e) {
    SQLiteErrorCode code = e.getResultCode();
    return code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
        || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY
        || (code == SQLiteErrorCode.SQLITE_CONSTRAINT && String.valueOf(e.getMessage()).contains("UNIQUE"));
  }
}
