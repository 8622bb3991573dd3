package io.catwrangler.local.sqlite;

import io.catwrangler.core.port.BatchEntry;
import io.catwrangler.core.port.BatchPage;
import io.catwrangler.core.port.BatchResult;
import io.catwrangler.core.port.CheckpointedResultView;
import io.catwrangler.core.port.LabelledAnswers;
import io.catwrangler.core.port.Page;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.core.quality.Confusion;
import io.catwrangler.core.quality.LabelTally;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.Classification;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.EventCodec;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.ImageStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The results view in SQLite: {@code view_images} holds each image's folded state as a document
 * ({@link EventCodec#encodeState}) with the columns queries use (status, answer, version); {@code view_batch_images}
 * is the batch → image index; {@code view_labels} one row per labelled image (newest label, newest answer, score,
 * model), which the quality figures count; {@code view_checkpoint} the feed position, written in the same transaction
 * as the rows it accounts for.
 */
public final class SqliteResultView implements CheckpointedResultView, LabelledAnswers {
  /** How many decoded states {@link #image} keeps, least recently asked for out first (a few MB at most). */
  static final int RECENT_STATES = 256;

  private final SqliteDatabase db;
  private final EventCodec codec = new EventCodec();
  /**
   * States decoded by {@link #image}, each valid for exactly the version it was decoded at: a row holds one document
   * per version (a stream's fold at a version is always the same), so a state whose version equals the row's is that
   * row's document, decoded. Emptied by {@link #reset} and {@link #remove} all the same.
   */
  private final Map<ImageId, ImageState> recent = Collections.synchronizedMap(
      new LinkedHashMap<>(RECENT_STATES * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ImageId, ImageState> eldest) {
          return size() > RECENT_STATES;
        }
      });

  /**
   * Work that belongs in the same transaction as a projection step's rows (the notification outbox: a notification
   * is owed exactly when the rows that owe it are written). Called before the rows are written, so it can read what
   * they were; what it returns runs after them, in the same transaction.
   */
  public interface StepListener {
    AfterRows beforeRows(Connection c, List<ImageState> states, long checkpoint) throws SQLException;

    interface AfterRows {
      void afterRows(Connection c) throws SQLException;
    }
  }

  private volatile StepListener stepListener = (c, states, checkpoint) -> after -> {};

  public SqliteResultView(SqliteDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public boolean save(ImageState state) {
    Objects.requireNonNull(state, "state");
    String document = codec.encodeState(state);
    return db.write(c -> saveOne(c, state, document));
  }

  @Override
  public void saveAll(List<ImageState> states, long checkpoint) {
    if (checkpoint < 0) {
      throw new IllegalArgumentException("a checkpoint is not negative");
    }
    List<String> documents = states.stream().map(codec::encodeState).toList();
    db.write(
        c -> {
          long stored = readCheckpoint(c);
          if (checkpoint < stored) {
            throw new IllegalArgumentException(
                "checkpoint " + checkpoint + " is behind the stored checkpoint " + stored);
          }
          StepListener.AfterRows after = stepListener.beforeRows(c, states, checkpoint);
          for (int i = 0; i < states.size(); i++) {
            saveOne(c, states.get(i), documents.get(i));
          }
          try (PreparedStatement update = c.prepareStatement("UPDATE view_checkpoint SET sequence = ? WHERE id = 1")) {
            update.setLong(1, checkpoint);
            update.executeUpdate();
          }
          after.afterRows(c);
          return null;
        });
  }

  /** Runs {@code listener} in the transaction of every {@link #saveAll}. */
  public void onProjectionStep(StepListener listener) {
    this.stepListener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public long checkpoint() {
    return db.read(SqliteResultView::readCheckpoint);
  }

  /**
   * Reads the row's version first and decodes its document only when {@link #recent} does not hold that version
   * already: a client polling an image pays for one small query, not for reading and parsing the whole state (the
   * detector's raw output included), which was most of what a status query allocated.
   */
  @Override
  public Optional<ImageState> image(ImageId imageId) {
    return db.read(
        c -> {
          try (PreparedStatement version = c.prepareStatement("SELECT version FROM view_images WHERE image_id = ?")) {
            version.setString(1, imageId.value());
            try (ResultSet rs = version.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              ImageState known = recent.get(imageId);
              if (known != null && known.version() == rs.getLong(1)) {
                return Optional.of(known);
              }
            }
          }
          try (PreparedStatement select = c.prepareStatement("SELECT state FROM view_images WHERE image_id = ?")) {
            select.setString(1, imageId.value());
            try (ResultSet rs = select.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              ImageState state = codec.decodeState(rs.getString(1));
              recent.put(imageId, state);
              return Optional.of(state);
            }
          }
        });
  }

  /** Ordered by image id; the cursor is the last image id of the page. */
  @Override
  public BatchPage batch(BatchId batchId, PageRequest page) {
    String after = page.cursor().map(cursor -> ImageId.of(cursor).value()).orElse("");
    return db.read(
        c -> {
          Map<ImageStatus, Long> counts = new EnumMap<>(ImageStatus.class);
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT i.status, COUNT(*) FROM view_batch_images b"
                      + " JOIN view_images i INDEXED BY view_images_status_by_id ON i.image_id = b.image_id"
                      + " WHERE b.batch_id = ? GROUP BY i.status")) {
            select.setString(1, batchId.value());
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                counts.put(ImageStatus.valueOf(rs.getString(1)), rs.getLong(2));
              }
            }
          }
          List<String> documents = documents(c, batchId, after, page.limit() + 1);
          boolean more = documents.size() > page.limit();
          List<BatchEntry> entries =
              documents.stream()
                  .limit(page.limit())
                  .map(document -> BatchEntry.of(codec.decodeState(document), batchId))
                  .toList();
          Optional<String> next =
              more ? Optional.of(entries.get(entries.size() - 1).imageId().value()) : Optional.empty();
          return new BatchPage(batchId, entries, counts, next);
        });
  }

  /**
   * One query per page: the states of the page's images, by image id after the cursor, decoded after the read
   * transaction has ended. Decoding is most of an export's work (some 30 µs a state, the query some 15 µs a row).
   */
  @Override
  public Page<ImageState> batchStates(BatchId batchId, PageRequest page) {
    String after = page.cursor().map(cursor -> ImageId.of(cursor).value()).orElse("");
    List<String> documents = db.read(c -> documents(c, batchId, after, page.limit() + 1));
    boolean more = documents.size() > page.limit();
    List<ImageState> states = documents.stream().limit(page.limit()).map(codec::decodeState).toList();
    Optional<String> next =
        more ? Optional.of(states.get(states.size() - 1).imageId().value()) : Optional.empty();
    return new Page<>(states, next);
  }

  /**
   * One query per page, each line read from its document without decoding the whole state ({@link ExportLineReader}):
   * the export's path, where decoding was most of the time.
   */
  @Override
  public Page<BatchResult> batchResults(BatchId batchId, PageRequest page) {
    String after = page.cursor().map(cursor -> ImageId.of(cursor).value()).orElse("");
    List<String> documents = db.read(c -> documents(c, batchId, after, page.limit() + 1));
    boolean more = documents.size() > page.limit();
    List<BatchResult> lines =
        documents.stream().limit(page.limit()).map(d -> ExportLineReader.read(d, batchId)).toList();
    Optional<String> next = more ? Optional.of(lines.get(lines.size() - 1).imageId().value()) : Optional.empty();
    return new Page<>(lines, next);
  }

  /** Up to {@code limit} state documents of the batch's images with an id after {@code after}, by image id. */
  private static List<String> documents(Connection c, BatchId batchId, String after, int limit) throws SQLException {
    List<String> documents = new ArrayList<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT i.state FROM view_batch_images b JOIN view_images i ON i.image_id = b.image_id"
                + " WHERE b.batch_id = ? AND b.image_id > ? ORDER BY b.image_id LIMIT ?")) {
      select.setString(1, batchId.value());
      select.setString(2, after);
      select.setInt(3, limit);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          documents.add(rs.getString(1));
        }
      }
    }
    return documents;
  }

  @Override
  public void remove(ImageId imageId) {
    recent.remove(imageId);
    db.write(
        c -> {
          try (PreparedStatement deleteBatch = c.prepareStatement("DELETE FROM view_batch_images WHERE image_id = ?");
              PreparedStatement deleteLabel = c.prepareStatement("DELETE FROM view_labels WHERE image_id = ?");
              PreparedStatement deleteImage = c.prepareStatement("DELETE FROM view_images WHERE image_id = ?")) {
            deleteBatch.setString(1, imageId.value());
            deleteBatch.executeUpdate();
            deleteLabel.setString(1, imageId.value());
            deleteLabel.executeUpdate();
            deleteImage.setString(1, imageId.value());
            deleteImage.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public void reset() {
    recent.clear();
    db.write(
        c -> {
          try (var statement = c.createStatement()) {
            statement.executeUpdate("DELETE FROM view_labels");
            statement.executeUpdate("DELETE FROM view_batch_images");
            statement.executeUpdate("DELETE FROM view_images");
            statement.executeUpdate("UPDATE view_checkpoint SET sequence = 0 WHERE id = 1");
          }
          return null;
        });
  }

  /** How many images the view holds per status. */
  public Map<ImageStatus, Long> countsByStatus() {
    return db.read(
        c -> {
          Map<ImageStatus, Long> counts = new EnumMap<>(ImageStatus.class);
          for (ImageStatus status : ImageStatus.values()) {
            counts.put(status, 0L);
          }
          try (PreparedStatement select =
                  c.prepareStatement("SELECT status, COUNT(*) FROM view_images GROUP BY status");
              ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
              counts.put(ImageStatus.valueOf(rs.getString(1)), rs.getLong(2));
            }
          }
          return counts;
        });
  }

  /** Up to {@code limit} images with this status, by image id after {@code after} (empty: from the start). */
  public List<ImageId> imagesWithStatus(ImageStatus status, Optional<ImageId> after, int limit) {
    return db.read(
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT image_id FROM view_images WHERE status = ? AND image_id > ? ORDER BY image_id LIMIT ?")) {
            select.setString(1, status.name());
            select.setString(2, after.map(ImageId::value).orElse(""));
            select.setInt(3, limit);
            List<ImageId> ids = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                ids.add(ImageId.of(rs.getString(1)));
              }
            }
            return ids;
          }
        });
  }

  /** Writes the row unless the stored one is at this version or later (one statement: the upsert's own condition). */
  private static boolean saveOne(Connection c, ImageState state, String document) throws SQLException {
    String imageId = state.imageId().value();
    try (PreparedStatement upsert =
        c.prepareStatement(
            "INSERT INTO view_images (image_id, version, status, answer, updated_at, state) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (image_id) DO UPDATE SET version = excluded.version, status = excluded.status,"
                + " answer = excluded.answer, updated_at = excluded.updated_at, state = excluded.state"
                + " WHERE excluded.version > view_images.version")) {
      upsert.setString(1, imageId);
      upsert.setLong(2, state.version());
      upsert.setString(3, state.status().name());
      Optional<Boolean> answer = state.isCat();
      if (answer.isPresent()) {
        upsert.setInt(4, answer.get() ? 1 : 0);
      } else {
        upsert.setNull(4, Types.INTEGER);
      }
      upsert.setString(5, state.updatedAt().map(Object::toString).orElse(null));
      upsert.setString(6, document);
      if (upsert.executeUpdate() == 0) {
        return false; // the stored row is at this version or later
      }
    }
    try (PreparedStatement index =
        c.prepareStatement("INSERT OR IGNORE INTO view_batch_images (batch_id, image_id) VALUES (?, ?)")) {
      for (BatchId batchId : state.batchIds()) {
        index.setString(1, batchId.value());
        index.setString(2, imageId);
        index.executeUpdate();
      }
    }
    if (state.label().isPresent()) { // a label, once given, stays: an unlabelled state has no row to remove
      saveLabel(c, state);
    }
    return true;
  }

  private static void saveLabel(Connection c, ImageState state) throws SQLException {
    try (PreparedStatement upsert =
        c.prepareStatement(
            "INSERT OR REPLACE INTO view_labels (image_id, label, model_name, model_version, answer, cat_score)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      upsert.setString(1, state.imageId().value());
      upsert.setInt(2, state.label().orElseThrow().label().cat() ? 1 : 0);
      Optional<Classification> answer = state.classification().map(ClassificationSucceeded::classification);
      upsert.setString(3, answer.map(a -> a.model().name()).orElse(null));
      upsert.setString(4, answer.map(a -> a.model().version()).orElse(null));
      if (answer.isPresent()) {
        upsert.setInt(5, answer.get().isCat() ? 1 : 0);
        upsert.setDouble(6, answer.get().catScore());
      } else {
        upsert.setNull(5, Types.INTEGER);
        upsert.setNull(6, Types.REAL);
      }
      upsert.executeUpdate();
    }
  }

  /**
   * One pass over the model's labelled rows (by the index on the model) for the answers and every threshold, and one
   * over the labelled rows for those left out: labelled images only, however many images the view holds.
   */
  @Override
  public LabelTally tally(DetectorModel model, List<Double> thresholds) {
    StringBuilder sql = new StringBuilder("SELECT COALESCE(SUM(answer = 1 AND label = 1), 0),"
        + " COALESCE(SUM(answer = 1 AND label = 0), 0), COALESCE(SUM(answer = 0 AND label = 0), 0),"
        + " COALESCE(SUM(answer = 0 AND label = 1), 0)");
    for (int i = 0; i < thresholds.size(); i++) {
      String t = "?" + (i + 3);
      sql.append(", COALESCE(SUM(cat_score >= T AND label = 1), 0), COALESCE(SUM(cat_score >= T AND label = 0), 0),"
          .replace("T", t));
      sql.append(" COALESCE(SUM(cat_score < T AND label = 0), 0), COALESCE(SUM(cat_score < T AND label = 1), 0),"
          .replace("T", t));
      sql.append(" COALESCE(SUM((cat_score >= T) <> answer), 0)".replace("T", t));
    }
    sql.append(" FROM view_labels WHERE model_name = ?1 AND model_version = ?2");
    return db.read(
        c -> {
          Confusion answered;
          List<LabelTally.AtThreshold> rows = new ArrayList<>();
          try (PreparedStatement select = c.prepareStatement(sql.toString())) {
            select.setString(1, model.name());
            select.setString(2, model.version());
            for (int i = 0; i < thresholds.size(); i++) {
              select.setDouble(i + 3, thresholds.get(i));
            }
            try (ResultSet rs = select.executeQuery()) {
              rs.next();
              answered = confusion(rs, 1);
              for (int i = 0; i < thresholds.size(); i++) {
                int first = 5 + i * 5;
                rows.add(new LabelTally.AtThreshold(thresholds.get(i), confusion(rs, first), rs.getLong(first + 4)));
              }
            }
          }
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT COALESCE(SUM(model_name IS NULL), 0), COALESCE(SUM(model_name IS NOT NULL"
                      + " AND NOT (model_name = ? AND model_version = ?)), 0) FROM view_labels")) {
            select.setString(1, model.name());
            select.setString(2, model.version());
            try (ResultSet rs = select.executeQuery()) {
              rs.next();
              return new LabelTally(answered, rows, rs.getLong(1), rs.getLong(2));
            }
          }
        });
  }

  private static Confusion confusion(ResultSet rs, int first) throws SQLException {
    return new Confusion(rs.getLong(first), rs.getLong(first + 1), rs.getLong(first + 2), rs.getLong(first + 3));
  }

  private static long readCheckpoint(Connection c) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT sequence FROM view_checkpoint WHERE id = 1");
        ResultSet rs = select.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }
}
