package io.catwrangler.local.sqlite;

import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.ClassifyRequestCodec;
import io.catwrangler.core.port.DeadLetter;
import io.catwrangler.core.port.Lease;
import io.catwrangler.core.port.MalformedMessageException;
import io.catwrangler.core.port.WorkQueue;
import io.catwrangler.events.ImageId;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The work queue in SQLite, with SQS's semantics: a lease hides a message for its visibility timeout and counts an
 * attempt; a message not acked by then becomes visible again by itself; one that comes back after its
 * {@code maxAttempts}-th lease is moved to the {@code dead_letters} table instead of being leased again (reason
 * "max attempts reached"), like SQS's redrive policy with {@code maxReceiveCount}. Dead letters are kept until an
 * operator retries them.
 *
 * <p>A receipt is {@code "<row id>:<lease token>"}; the token changes with every lease, so a worker whose lease ran
 * out and was given to another cannot ack, release or dead-letter the message any more (its call does nothing).
 * Time comes from the injected clock (epoch milliseconds in the table).
 */
public final class SqliteWorkQueue implements WorkQueue {
  static final String MAX_ATTEMPTS_REACHED = "max attempts reached";
  private static final System.Logger LOG = System.getLogger(SqliteWorkQueue.class.getName());

  private final SqliteDatabase db;
  private final int maxAttempts;
  private final Clock clock;
  private final ClassifyRequestCodec codec = new ClassifyRequestCodec();
  private final List<Runnable> readyListeners = new CopyOnWriteArrayList<>();

  /**
   * @param maxAttempts leases a message gets before it is dead-lettered (SQS {@code maxReceiveCount})
   */
  public SqliteWorkQueue(SqliteDatabase db, int maxAttempts, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts must be at least 1, was " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Calls {@code listener} after a commit that made a message visible at once (enqueue, release without delay,
   * retry), so idle workers can wake up; messages that become visible later are found by polling.
   */
  public void onReady(Runnable listener) {
    readyListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void enqueue(ClassifyRequest request) {
    String body = codec.encode(request);
    db.write(
        c -> {
          long now = clock.millis();
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO queue (image_id, body, enqueued_at, visible_at, attempts) VALUES (?, ?, ?, ?, 0)")) {
            insert.setString(1, request.imageId().value());
            insert.setString(2, body);
            insert.setLong(3, now);
            insert.setLong(4, now);
            insert.executeUpdate();
          }
          signalReady();
          return null;
        });
  }

  @Override
  public List<Lease> lease(int max, Duration visibilityTimeout) {
    if (max < 1) {
      throw new IllegalArgumentException("lease at least one message, not " + max);
    }
    requireNotNegative(visibilityTimeout, "visibility timeout");
    // an idle worker polls often: a look on a reader first keeps it off the write lock, which uploads and the other
    // workers' commits wait for (nothing is missed: the write below would find no visible row either)
    if (!anyVisible(clock.millis())) {
      return List.of();
    }
    return db.write(
        c -> {
          long now = clock.millis();
          sweepExhausted(c, now);
          List<Lease> leases = new ArrayList<>();
          List<Long> malformed = new ArrayList<>();
          try (PreparedStatement select =
                  c.prepareStatement(
                      "SELECT id, body, attempts FROM queue WHERE visible_at <= ? ORDER BY visible_at, id LIMIT ?");
              PreparedStatement take =
                  c.prepareStatement(
                      "UPDATE queue SET attempts = attempts + 1, visible_at = ?, lease_token = ? WHERE id = ?")) {
            select.setLong(1, now);
            select.setInt(2, max);
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                long id = rs.getLong(1);
                ClassifyRequest request;
                try {
                  request = codec.decode(rs.getString(2));
                } catch (MalformedMessageException e) {
                  LOG.log(Level.WARNING, "queue message " + id + " is malformed; dead-lettering it: " + e.getMessage());
                  malformed.add(id);
                  continue;
                }
                String token = UUID.randomUUID().toString();
                take.setLong(1, now + visibilityTimeout.toMillis());
                take.setString(2, token);
                take.setLong(3, id);
                take.executeUpdate();
                leases.add(new Lease(id + ":" + token, request, rs.getInt(3) + 1));
              }
            }
          }
          for (long id : malformed) {
            moveToDeadLetters(c, id, null, "malformed message", now);
          }
          return leases;
        });
  }

  @Override
  public void ack(Lease lease) {
    Receipt receipt = Receipt.parse(lease.receipt());
    db.write(
        c -> {
          try (PreparedStatement delete = c.prepareStatement("DELETE FROM queue WHERE id = ? AND lease_token = ?")) {
            delete.setLong(1, receipt.id());
            delete.setString(2, receipt.token());
            if (delete.executeUpdate() == 0) {
              LOG.log(Level.DEBUG, () -> "ack of message " + receipt.id() + " with a stale lease: ignored");
            }
          }
          return null;
        });
  }

  @Override
  public void release(Lease lease, Duration delay) {
    requireNotNegative(delay, "delay");
    Receipt receipt = Receipt.parse(lease.receipt());
    db.write(
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE queue SET visible_at = ?, lease_token = NULL WHERE id = ? AND lease_token = ?")) {
            update.setLong(1, clock.millis() + delay.toMillis());
            update.setLong(2, receipt.id());
            update.setString(3, receipt.token());
            if (update.executeUpdate() > 0 && delay.isZero()) {
              signalReady();
            }
          }
          return null;
        });
  }

  @Override
  public void deadLetter(Lease lease, String reason) {
    Objects.requireNonNull(reason, "reason");
    Receipt receipt = Receipt.parse(lease.receipt());
    db.write(
        c -> {
          if (!moveToDeadLetters(c, receipt.id(), receipt.token(), reason, clock.millis())) {
            LOG.log(Level.DEBUG, () -> "dead-letter of message " + receipt.id() + " with a stale lease: ignored");
          }
          return null;
        });
  }

  @Override
  public List<DeadLetter> deadLetters(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    // a listing is a read: the write lock (uploads and workers wait for it) only when a message that ran out of
    // attempts is still to be moved, which the workers' next lease does anyway
    long now = clock.millis();
    if (anyExhausted(now)) {
      db.write(c -> {
        sweepExhausted(c, now);
        return null;
      });
    }
    return db.read(
        c -> {
          List<DeadLetter> letters = new ArrayList<>();
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT id, body, attempts, reason, dead_lettered_at FROM dead_letters ORDER BY id LIMIT ?")) {
            select.setInt(1, limit);
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                long id = rs.getLong(1);
                try {
                  letters.add(
                      new DeadLetter(
                          Long.toString(id),
                          codec.decode(rs.getString(2)),
                          rs.getInt(3),
                          rs.getString(4),
                          Instant.ofEpochMilli(rs.getLong(5))));
                } catch (MalformedMessageException e) {
                  LOG.log(Level.WARNING, "dead letter " + id + " is not a classify request; not listed");
                }
              }
            }
          }
          return letters;
        });
  }

  @Override
  public boolean retry(String deadLetterId) {
    long id;
    try {
      id = Long.parseLong(deadLetterId);
    } catch (NumberFormatException e) {
      return false;
    }
    return db.write(
        c -> {
          boolean moved = redrive(c, "WHERE id = " + id) > 0;
          if (moved) {
            signalReady();
          }
          return moved;
        });
  }

  @Override
  public int retryAll() {
    return db.write(
        c -> {
          sweepExhausted(c, clock.millis());
          int moved = redrive(c, "");
          if (moved > 0) {
            signalReady();
          }
          return moved;
        });
  }

  /** Counts of visible, in-flight, delayed and dead-lettered messages, as of now. */
  public QueueDepth depth() {
    long now = clock.millis();
    return db.read(
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT"
                      + " COALESCE(SUM(visible_at <= ?1), 0),"
                      + " COALESCE(SUM(visible_at > ?1 AND lease_token IS NOT NULL), 0),"
                      + " COALESCE(SUM(visible_at > ?1 AND lease_token IS NULL), 0),"
                      + " (SELECT COUNT(*) FROM dead_letters)"
                      + " FROM queue")) {
            select.setLong(1, now);
            try (ResultSet rs = select.executeQuery()) {
              rs.next();
              return new QueueDepth(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
            }
          }
        });
  }

  /** True when a message for the image is queued (visible, leased or delayed) or dead-lettered. */
  public boolean hasMessageFor(ImageId imageId) {
    return db.read(
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT EXISTS (SELECT 1 FROM queue WHERE image_id = ?1)"
                      + " OR EXISTS (SELECT 1 FROM dead_letters WHERE image_id = ?1)")) {
            select.setString(1, imageId.value());
            try (ResultSet rs = select.executeQuery()) {
              rs.next();
              return rs.getBoolean(1);
            }
          }
        });
  }

  /**
   * Ends every lease at once, keeping the attempt counts: at start-up, when no worker of a previous run can still
   * hold one (the runtime holds the data folder's lock), so their messages need not wait out the visibility
   * timeout.
   *
   * @return how many leases were ended
   */
  public int releaseAllLeases() {
    return db.write(
        c -> {
          long now = clock.millis();
          int released;
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE queue SET visible_at = ?, lease_token = NULL WHERE lease_token IS NOT NULL AND visible_at > ?")) {
            update.setLong(1, now);
            update.setLong(2, now);
            released = update.executeUpdate();
          }
          if (released > 0) {
            signalReady();
          }
          return released;
        });
  }

  private boolean anyVisible(long now) {
    return db.read(
        c -> {
          try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM queue WHERE visible_at <= ? LIMIT 1")) {
            select.setLong(1, now);
            try (ResultSet rs = select.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  private boolean anyExhausted(long now) {
    return db.read(
        c -> {
          try (PreparedStatement select =
              c.prepareStatement("SELECT 1 FROM queue WHERE visible_at <= ? AND attempts >= ? LIMIT 1")) {
            select.setLong(1, now);
            select.setInt(2, maxAttempts);
            try (ResultSet rs = select.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  /** Moves messages that came back after their last allowed lease to the dead letters. */
  private void sweepExhausted(Connection c, long now) throws SQLException {
    try (PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO dead_letters (image_id, body, attempts, reason, enqueued_at, dead_lettered_at)"
                    + " SELECT image_id, body, attempts, ?, enqueued_at, ? FROM queue"
                    + " WHERE visible_at <= ? AND attempts >= ? ORDER BY id");
        PreparedStatement delete =
            c.prepareStatement("DELETE FROM queue WHERE visible_at <= ? AND attempts >= ?")) {
      insert.setString(1, MAX_ATTEMPTS_REACHED);
      insert.setLong(2, now);
      insert.setLong(3, now);
      insert.setInt(4, maxAttempts);
      int moved = insert.executeUpdate();
      if (moved > 0) {
        delete.setLong(1, now);
        delete.setInt(2, maxAttempts);
        delete.executeUpdate();
        LOG.log(Level.WARNING, moved + " message(s) ran out of attempts and were dead-lettered");
      }
    }
  }

  /** @param token the lease token that must match; null for any */
  private static boolean moveToDeadLetters(Connection c, long id, String token, String reason, long now)
      throws SQLException {
    String match = token == null ? "" : " AND lease_token = ?";
    try (PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO dead_letters (image_id, body, attempts, reason, enqueued_at, dead_lettered_at)"
                    + " SELECT image_id, body, attempts, ?, enqueued_at, ? FROM queue WHERE id = ?" + match);
        PreparedStatement delete = c.prepareStatement("DELETE FROM queue WHERE id = ?" + match)) {
      insert.setString(1, reason);
      insert.setLong(2, now);
      insert.setLong(3, id);
      delete.setLong(1, id);
      if (token != null) {
        insert.setString(4, token);
        delete.setString(2, token);
      }
      if (insert.executeUpdate() == 0) {
        return false;
      }
      delete.executeUpdate();
      return true;
    }
  }

  /** Moves dead letters back to the queue, visible now with no attempts; {@code where} selects them. */
  private int redrive(Connection c, String where) throws SQLException {
    long now = clock.millis();
    try (PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO queue (image_id, body, enqueued_at, visible_at, attempts)"
                    + " SELECT image_id, body, enqueued_at, ?, 0 FROM dead_letters " + where + " ORDER BY id");
        PreparedStatement delete = c.prepareStatement("DELETE FROM dead_letters " + where)) {
      insert.setLong(1, now);
      int moved = insert.executeUpdate();
      delete.executeUpdate();
      return moved;
    }
  }

  private void signalReady() {
    readyListeners.forEach(db::afterCommit);
  }

  private static void requireNotNegative(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative");
    }
  }

  /** A lease's receipt: the row and the token of that lease. */
  private record Receipt(long id, String token) {
    static Receipt parse(String receipt) {
      int colon = receipt.indexOf(':');
      try {
        if (colon > 0) {
          return new Receipt(Long.parseLong(receipt.substring(0, colon)), receipt.substring(colon + 1));
        }
      } catch (NumberFormatException e) {
        // falls through
      }
      throw new IllegalArgumentException("not a receipt of this queue: " + receipt);
    }
  }
}
