package io.catwrangler.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.core.ingest.Upload;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.SubmissionSource;
import io.catwrangler.local.sqlite.SqliteDatabase;
import io.catwrangler.local.sqlite.SqliteResultView;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rebuilding the results view from the event table gives exactly the same view, row for row. */
class ReplayRebuildTest {
  private static final Duration IDLE = Duration.ofSeconds(60);

  @TempDir Path dataDir;

  private LocalConfig config() {
    return LocalConfig.defaults(dataDir).withWorkers(2).withMaxAttempts(3)
        .withRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(20));
  }

  /** Every row of the view tables, as text, in key order. */
  private List<String> viewRows() {
    try (SqliteDatabase db = SqliteDatabase.open(config().databaseFile())) {
      return db.read(c -> {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement()) {
          try (ResultSet rs = s.executeQuery(
              "SELECT image_id, version, status, answer, updated_at, state FROM view_images ORDER BY image_id")) {
            while (rs.next()) {
              rows.add(String.join("|", rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                  rs.getString(5), rs.getString(6)));
            }
          }
          try (ResultSet rs = s.executeQuery(
              "SELECT batch_id, image_id FROM view_batch_images ORDER BY batch_id, image_id")) {
            while (rs.next()) {
              rows.add(rs.getString(1) + "|" + rs.getString(2));
            }
          }
          try (ResultSet rs = s.executeQuery("SELECT image_id, label, model_name, model_version, answer, cat_score"
              + " FROM view_labels ORDER BY image_id")) {
            while (rs.next()) {
              rows.add(String.join("|", "label", rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                  rs.getString(5), rs.getString(6)));
            }
          }
        }
        return rows;
      });
    }
  }

  private FakeCatDetector detector() {
    FakeCatDetector detector = new FakeCatDetector(config().detector().threshold());
    detector.reject(ImageId.sha256Of(TestImages.png(105)));          // FAILED: invalid image
    detector.failTimes(ImageId.sha256Of(TestImages.png(106)), 2);    // retries, then an answer
    detector.failTimes(ImageId.sha256Of(TestImages.png(107)), 10);   // retries exhausted: FAILED
    detector.score(ImageId.sha256Of(TestImages.png(108)), 0.01);     // no cat
    return detector;
  }

  private void ingestAll(LocalRuntime runtime) throws Exception {
    for (int n = 0; n < 24; n++) {
      int seed = 100 + n % 12; // every image twice, the second time in another batch
      runtime.ingest().ingest(Upload.of(TestImages.png(seed), SubmissionSource.API)
          .withBatchId("replay-" + (n / 12)).withFileName("img-" + n + ".png").withDebug(n % 5 == 0));
    }
    assertThat(runtime.awaitIdle(IDLE)).isTrue();
    // people's labels: a pending-then-failed image, a relabelled one, an answered one
    runtime.labels().record(ImageId.sha256Of(TestImages.png(105)).value(), true, "ana", "label-1");
    runtime.labels().record(ImageId.sha256Of(TestImages.png(108)).value(), true, "ana", "label-2");
    runtime.labels().record(ImageId.sha256Of(TestImages.png(108)).value(), false, "bob", "label-3");
    runtime.labels().record(ImageId.sha256Of(TestImages.png(100)).value(), false, "bob", "label-4");
    assertThat(runtime.awaitIdle(IDLE)).isTrue();
  }

  @Test
  void anOperatorRebuildGivesTheSameViewWhileTheRuntimeRuns() throws Exception {
    List<String> before;
    try (LocalRuntime runtime = LocalRuntime.open(config(), detector())) {
      ingestAll(runtime);
      before = viewRows();
      assertThat(before).hasSizeGreaterThan(12).filteredOn(row -> row.startsWith("label|")).hasSize(3);

      assertThat(runtime.replay().rebuild()).isEqualTo(12);
      assertThat(runtime.awaitIdle(IDLE)).isTrue();
      assertThat(viewRows()).isEqualTo(before);
    }
  }

  @Test
  void theProjectorRebuildsAResetViewFromSequenceZeroAtStartUp() throws Exception {
    List<String> before;
    try (LocalRuntime runtime = LocalRuntime.open(config(), detector())) {
      ingestAll(runtime);
      before = viewRows();
    }
    try (SqliteDatabase db = SqliteDatabase.open(config().databaseFile())) {
      SqliteResultView view = new SqliteResultView(db);
      view.reset();
      assertThat(view.checkpoint()).isZero();
    }
    try (LocalRuntime runtime = LocalRuntime.open(config(), detector())) {
      assertThat(runtime.awaitIdle(IDLE)).isTrue();
      assertThat(runtime.recovery().leasesReleased()).isZero();
    }
    assertThat(viewRows()).isEqualTo(before);
  }
}
