package io.catwrangler.local.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.port.PageRequest;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.core.port.contract.ContractEvents;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.ImageStatus;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteResultViewTest {
  @TempDir Path dir;

  private SqliteDatabase open() {
    return SqliteDatabase.open(dir.resolve(SqliteDatabase.FILE_NAME));
  }

  private static ImageState state(int n, Optional<Boolean> answer) {
    return ContractEvents.state(ContractEvents.image(n), "batch", answer);
  }

  @Test
  void aSaveAllThatFailsHalfWayLeavesRowsAndCheckpointAsTheyWere() {
    try (SqliteDatabase db = open()) {
      SqliteResultView view = new SqliteResultView(db);
      view.saveAll(List.of(state(1, Optional.empty())), 4);
      ImageId poisoned = ContractEvents.image(3);
      db.write(c -> {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE TEMP TRIGGER poison BEFORE INSERT ON view_images WHEN NEW.image_id = '"
              + poisoned.value() + "' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
        }
        return null;
      });

      assertThatThrownBy(() ->
              view.saveAll(List.of(state(1, Optional.of(true)), state(2, Optional.of(false)), state(3, Optional.empty())), 9))
          .isInstanceOf(StorageUnavailableException.class);

      assertThat(view.checkpoint()).isEqualTo(4);
      assertThat(view.image(ContractEvents.image(1))).contains(state(1, Optional.empty()));
      assertThat(view.image(ContractEvents.image(2))).isEmpty();
      assertThat(view.batch(BatchId.of("batch"), PageRequest.first(10)).total()).isEqualTo(1);
    }
  }

  @Test
  void aSaveAllInsideATransactionThatRollsBackLeavesNothing() {
    try (SqliteDatabase db = open()) {
      SqliteResultView view = new SqliteResultView(db);
      assertThatThrownBy(() -> db.write(c -> {
            view.saveAll(List.of(state(1, Optional.of(true))), 7);
            throw new IllegalStateException("crash before commit");
          }))
          .isInstanceOf(IllegalStateException.class);

      assertThat(view.checkpoint()).isZero();
      assertThat(view.image(ContractEvents.image(1))).isEmpty();
    }
  }

  @Test
  void aStateDecodedOnceIsServedUntilTheRowMovesOnWhoeverWritesIt() {
    try (SqliteDatabase db = open()) {
      SqliteResultView queries = new SqliteResultView(db);
      SqliteResultView projector = new SqliteResultView(db); // another instance: nothing shared but the rows
      ImageId id = ContractEvents.image(1);
      ImageState pending = state(1, Optional.empty());
      ImageState classified = state(1, Optional.of(true));
      assertThat(classified.version()).isGreaterThan(pending.version());

      projector.save(pending);
      assertThat(queries.image(id)).contains(pending);
      assertThat(queries.image(id).orElseThrow()).as("the second read is the decoded state kept")
          .isSameAs(queries.image(id).orElseThrow());
      projector.save(classified);
      assertThat(queries.image(id)).as("a newer version in the row is read, not the kept state").contains(classified);
      projector.reset();
      assertThat(queries.image(id)).as("a row that is gone is gone").isEmpty();
      for (int n = 2; n < 2 + SqliteResultView.RECENT_STATES + 10; n++) {
        projector.save(state(n, Optional.of(n % 2 == 0)));
        assertThat(queries.image(ContractEvents.image(n))).contains(state(n, Optional.of(n % 2 == 0)));
      }
    }
  }

  @Test
  void reopeningKeepsRowsBatchesAndCheckpoint() {
    try (SqliteDatabase db = open()) {
      new SqliteResultView(db).saveAll(List.of(state(1, Optional.of(true)), state(2, Optional.empty())), 12);
    }
    try (SqliteDatabase db = open()) {
      SqliteResultView view = new SqliteResultView(db);
      assertThat(view.checkpoint()).isEqualTo(12);
      assertThat(view.image(ContractEvents.image(1))).contains(state(1, Optional.of(true)));
      assertThat(view.countsByStatus())
          .containsEntry(ImageStatus.CLASSIFIED, 1L)
          .containsEntry(ImageStatus.PENDING, 1L)
          .containsEntry(ImageStatus.FAILED, 0L);
      assertThat(view.imagesWithStatus(ImageStatus.PENDING, Optional.empty(), 10))
          .containsExactly(ContractEvents.image(2));
      assertThat(view.batch(BatchId.of("batch"), PageRequest.first(10)).total()).isEqualTo(2);
    }
  }
}
