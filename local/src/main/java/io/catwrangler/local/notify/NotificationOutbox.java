package io.catwrangler.local.notify;

import io.catwrangler.core.notify.NotificationDeadLetters;
import io.catwrangler.core.notify.ProjectionNotifications;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.ImageStatus;
import io.catwrangler.events.Notification;
import io.catwrangler.local.sqlite.SqliteDatabase;
import io.catwrangler.local.sqlite.SqliteResultView;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The durable outbox of webhook notifications in the embedded database. Notifications are decided in the results
 * view's transaction ({@link #beforeRows}, installed with {@link SqliteResultView#onProjectionStep}): the rows that
 * complete a batch and the notification that says so commit together, so a kill at any moment leaves either both
 * or neither, and the projector decides again after a restart. A row stays until a receiver answers 2xx
 * ({@link #delivered}); failures are retried later ({@link #failed}) and end as dead letters after the last
 * attempt, which an operator lists and sends again.
 *
 * <p>Tables (schema version 2): {@code notify_batches} (who hears of each batch, and its size at the last announced
 * completion), {@code notify_outbox}, {@code notify_checkpoint} (the event sequence up to which notifications were
 * decided: a rebuild of the view re-projects from 0 and announces nothing it announced before).
 */
public final class NotificationOutbox implements SqliteResultView.StepListener, NotificationDeadLetters {
  private static final SqliteResultView.StepListener.AfterRows NOTHING = c -> {};

  private final SqliteDatabase db;
  private final ProjectionNotifications rules;
  private final Clock clock;
  private final Runnable onNew;
  private final Duration batchSettle;

  /**
   * One notification to send, as stored.
   *
   * @param subject the batch or image it is about
   */
  public record Pending(
      long id, String notificationId, String type, String subject, String url, String body, int attempts) {}

  /** What a held batch completion should do now that its settle time is over. */
  public enum Settled {
    /** The batch is still complete at the size announced: send it. */
    SEND,
    /** The batch has grown since: drop it; its next completion will be announced with the new size. */
    SUPERSEDED,
    /** The view does not show the batch whole (a rebuild in progress): look again after another settle time. */
    UNSURE
  }

  /**
   * @param batchSettle how long a batch's completion is held, to be replaced by a later one of the same batch
   * @param onNew told after a step that may have added notifications (the delivery thread's doorbell)
   */
  public NotificationOutbox(
      SqliteDatabase db, ProjectionNotifications rules, Clock clock, Duration batchSettle, Runnable onNew) {
    this.batchSettle = Objects.requireNonNull(batchSettle, "batch settle");
    this.db = Objects.requireNonNull(db, "db");
    this.rules = Objects.requireNonNull(rules, "rules");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.onNew = Objects.requireNonNull(onNew, "on new");
  }

  @Override
  public AfterRows beforeRows(Connection c, List<ImageState> states, long checkpoint) throws SQLException {
    if (checkpoint <= decidedUpTo(c)) {
      return NOTHING; // a rebuild going over events whose notifications were decided already
    }
    Map<ImageId, Optional<ImageStatus>> before = new HashMap<>();
    try (PreparedStatement select = c.prepareStatement("SELECT status FROM view_images WHERE image_id = ?");
        PreparedStatement register = c.prepareStatement(
            "INSERT OR IGNORE INTO notify_batches (batch_id, destination) VALUES (?, ?)")) {
      for (ImageState state : states) {
        select.setString(1, state.imageId().value());
        try (ResultSet rs = select.executeQuery()) {
          before.put(state.imageId(), rs.next() ? Optional.of(ImageStatus.valueOf(rs.getString(1))) : Optional.empty());
        }
        for (Map.Entry<BatchId, Set<String>> batch : rules.batchDestinations(state).entrySet()) {
          for (String destination : batch.getValue()) {
            register.setString(1, batch.getKey().value());
            register.setString(2, destination);
            register.executeUpdate();
          }
        }
      }
    }
    return c2 -> afterRows(c2, states, before, checkpoint);
  }

  private void afterRows(Connection c, List<ImageState> states, Map<ImageId, Optional<ImageStatus>> before,
      long checkpoint) throws SQLException {
    Instant now = clock.instant();
    int added = 0;
    for (ImageState state : states) {
      if (ProjectionNotifications.firstOutcome(before.get(state.imageId()), state)) {
        Set<String> urls = rules.imageDestinations(state);
        if (!urls.isEmpty()) {
          Notification n = Notification.imageAnswered(state, now);
          for (String url : urls) {
            added += enqueue(c, n, state.imageId().value(), url, now);
          }
        }
      }
    }
    for (BatchId batch : ProjectionNotifications.candidates(states)) {
      added += completeBatch(c, batch, now);
    }
    try (PreparedStatement update = c.prepareStatement("UPDATE notify_checkpoint SET sequence = ? WHERE id = 1")) {
      update.setLong(1, checkpoint);
      update.executeUpdate();
    }
    if (added > 0) {
      onNew.run(); // may ring before the commit: the delivery thread polls again shortly either way
    }
  }

  private int completeBatch(Connection c, BatchId batch, Instant now) throws SQLException {
    Map<String, Long> announced = new LinkedHashMap<>();
    try (PreparedStatement select =
        c.prepareStatement("SELECT destination, announced_total FROM notify_batches WHERE batch_id = ?")) {
      select.setString(1, batch.value());
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          announced.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    if (announced.isEmpty()) {
      return 0;
    }
    try (PreparedStatement pending = c.prepareStatement(
        "SELECT EXISTS (SELECT 1 FROM view_batch_images b JOIN view_images i ON i.image_id = b.image_id"
            + " WHERE b.batch_id = ? AND i.status = 'PENDING')")) {
      pending.setString(1, batch.value());
      try (ResultSet rs = pending.executeQuery()) {
        if (rs.next() && rs.getInt(1) == 1) {
          return 0;
        }
      }
    }
    long classified = 0;
    long failed = 0;
    long yes = 0;
    try (PreparedStatement counts = c.prepareStatement(
        "SELECT i.status, i.answer, COUNT(*) FROM view_batch_images b JOIN view_images i ON i.image_id = b.image_id"
            + " WHERE b.batch_id = ? GROUP BY i.status, i.answer")) {
      counts.setString(1, batch.value());
      try (ResultSet rs = counts.executeQuery()) {
        while (rs.next()) {
          long n = rs.getLong(3);
          switch (ImageStatus.valueOf(rs.getString(1))) {
            case CLASSIFIED -> {
              classified += n;
              yes += rs.getInt(2) == 1 ? n : 0;
            }
            case FAILED -> failed += n;
            case PENDING -> {
              return 0; // not reached: checked above, in the same transaction
            }
          }
        }
      }
    }
    var completed = new Notification.CompletedBatch(batch, classified, failed, yes, classified - yes);
    int added = 0;
    try (PreparedStatement update = c.prepareStatement(
        "UPDATE notify_batches SET announced_total = ? WHERE batch_id = ? AND destination = ?")) {
      for (Map.Entry<String, Long> entry : announced.entrySet()) {
        Optional<Notification> n = ProjectionNotifications.completion(completed, 0, entry.getValue(), now);
        Optional<String> url = rules.resolve(entry.getKey());
        if (n.isEmpty()) {
          continue;
        }
        if (url.isPresent()) {
          added += replaceCompletion(c, n.get(), batch, url.get(), now);
        }
        update.setLong(1, completed.total());
        update.setString(2, batch.value());
        update.setString(3, entry.getKey());
        update.executeUpdate();
      }
    }
    return added;
  }

  /** A batch's completion, held for the settle time, in place of an earlier one of the batch not yet delivered. */
  private int replaceCompletion(Connection c, Notification n, BatchId batch, String url, Instant now)
      throws SQLException {
    try (PreparedStatement delete = c.prepareStatement(
        "DELETE FROM notify_outbox WHERE type = ? AND subject = ? AND url = ? AND dead_at IS NULL")) {
      delete.setString(1, n.type().wireName());
      delete.setString(2, batch.value());
      delete.setString(3, url);
      delete.executeUpdate();
    }
    return enqueue(c, n, batch.value(), url, now.plus(batchSettle));
  }

  private static int enqueue(Connection c, Notification n, String subject, String url, Instant due)
      throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT OR IGNORE INTO notify_outbox (notification_id, type, subject, url, body, created_at, next_attempt_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, n.id().toString());
      insert.setString(2, n.type().wireName());
      insert.setString(3, subject);
      insert.setString(4, url);
      insert.setString(5, n.toJson());
      insert.setLong(6, n.occurredAt().toEpochMilli());
      insert.setLong(7, due.toEpochMilli());
      return insert.executeUpdate();
    }
  }

  private static long decidedUpTo(Connection c) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT sequence FROM notify_checkpoint WHERE id = 1");
        ResultSet rs = select.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** Up to {@code limit} notifications due now, the longest waiting first. */
  public List<Pending> due(int limit) {
    long now = clock.millis();
    return db.read(c -> {
      try (PreparedStatement select = c.prepareStatement(
          "SELECT id, notification_id, type, subject, url, body, attempts FROM notify_outbox"
              + " WHERE dead_at IS NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?")) {
        select.setLong(1, now);
        select.setInt(2, limit);
        List<Pending> due = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            due.add(new Pending(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getInt(7)));
          }
        }
        return due;
      }
    });
  }

  /** When the next notification that is not dead falls due; empty when there is none. */
  public Optional<Instant> nextDue() {
    return db.read(c -> {
      try (PreparedStatement select =
              c.prepareStatement("SELECT MIN(next_attempt_at) FROM notify_outbox WHERE dead_at IS NULL");
          ResultSet rs = select.executeQuery()) {
        long at = rs.next() ? rs.getLong(1) : 0;
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(at));
      }
    });
  }

  /**
   * Whether a batch completion whose settle time is over still holds: the batch neither grew nor has a PENDING
   * image. A batch that was complete for a moment while its uploads went on (answers as fast as uploads) is thus
   * announced once, when it is complete and stays so for the settle time.
   */
  public Settled settle(Pending completion) {
    return db.read(c -> {
      long announced;
      try (PreparedStatement total = c.prepareStatement(
          "SELECT json_extract(body, '$.batch.total') FROM notify_outbox WHERE id = ?")) {
        total.setLong(1, completion.id());
        try (ResultSet rs = total.executeQuery()) {
          if (!rs.next()) {
            return Settled.SUPERSEDED; // replaced meanwhile
          }
          announced = rs.getLong(1);
        }
      }
      try (PreparedStatement now = c.prepareStatement(
          "SELECT COUNT(*), COALESCE(SUM(i.status = 'PENDING'), 0) FROM view_batch_images b"
              + " JOIN view_images i ON i.image_id = b.image_id WHERE b.batch_id = ?")) {
        now.setString(1, completion.subject());
        try (ResultSet rs = now.executeQuery()) {
          rs.next();
          long images = rs.getLong(1);
          long pending = rs.getLong(2);
          if (images > announced) {
            return Settled.SUPERSEDED;
          }
          return images == announced && pending == 0 ? Settled.SEND : Settled.UNSURE;
        }
      }
    });
  }

  /** A held completion the batch outgrew: gone, without an attempt. */
  public void superseded(long id) {
    delivered(id);
  }

  /** Looked at again after {@code delay}, without counting an attempt. */
  public void postpone(long id, Duration delay) {
    long at = clock.millis() + delay.toMillis();
    db.write(c -> {
      try (PreparedStatement update = c.prepareStatement("UPDATE notify_outbox SET next_attempt_at = ? WHERE id = ?")) {
        update.setLong(1, at);
        update.setLong(2, id);
        update.executeUpdate();
      }
      return null;
    });
  }

  /** A receiver took it: gone from the outbox. */
  public void delivered(long id) {
    db.write(c -> {
      try (PreparedStatement delete = c.prepareStatement("DELETE FROM notify_outbox WHERE id = ?")) {
        delete.setLong(1, id);
        delete.executeUpdate();
      }
      return null;
    });
  }

  /**
   * An attempt failed: try again after {@code retryAfter}, or, when empty (the last attempt, or a destination no
   * longer allowed), make it a dead letter.
   */
  public void failed(long id, String error, Optional<Duration> retryAfter) {
    long now = clock.millis();
    String message = error.length() > 500 ? error.substring(0, 500) : error;
    db.write(c -> {
      try (PreparedStatement update = c.prepareStatement(
          "UPDATE notify_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, dead_at = ?"
              + " WHERE id = ?")) {
        update.setString(1, message);
        update.setLong(2, now + retryAfter.map(Duration::toMillis).orElse(0L));
        if (retryAfter.isPresent()) {
          update.setNull(3, java.sql.Types.INTEGER);
        } else {
          update.setLong(3, now);
        }
        update.setLong(4, id);
        update.executeUpdate();
      }
      return null;
    });
  }

  /** Notifications waiting to be delivered (not dead). */
  public long waiting() {
    return count("dead_at IS NULL");
  }

  /** Notifications given up on. */
  public long dead() {
    return count("dead_at IS NOT NULL");
  }

  private long count(String where) {
    return db.read(c -> {
      try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM notify_outbox WHERE " + where);
          ResultSet rs = select.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    });
  }

  @Override
  public List<DeadNotification> list(int limit) {
    return db.read(c -> {
      try (PreparedStatement select = c.prepareStatement(
          "SELECT id, notification_id, type, url, attempts, last_error, created_at, dead_at FROM notify_outbox"
              + " WHERE dead_at IS NOT NULL ORDER BY dead_at, id LIMIT ?")) {
        select.setInt(1, limit);
        List<DeadNotification> letters = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            letters.add(new DeadNotification(Long.toString(rs.getLong(1)), rs.getString(2), rs.getString(3),
                withoutQuery(rs.getString(4)), rs.getInt(5), Objects.requireNonNullElse(rs.getString(6), ""),
                Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8))));
          }
        }
        return letters;
      }
    });
  }

  @Override
  public boolean retry(String id) {
    long key;
    try {
      key = Long.parseLong(id);
    } catch (NumberFormatException e) {
      return false;
    }
    return revive("id = " + key) == 1;
  }

  @Override
  public int retryAll() {
    return revive("1 = 1");
  }

  private int revive(String which) {
    long now = clock.millis();
    int revived = db.write(c -> {
      try (PreparedStatement update = c.prepareStatement(
          "UPDATE notify_outbox SET dead_at = NULL, attempts = 0, next_attempt_at = ? WHERE dead_at IS NOT NULL AND "
              + which)) {
        update.setLong(1, now);
        return update.executeUpdate();
      }
    });
    if (revived > 0) {
      onNew.run();
    }
    return revived;
  }

  /** The URL without its query string, which may carry the receiver's token: for lists and logs. */
  static String withoutQuery(String url) {
    URI uri = URI.create(url);
    return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }
}
