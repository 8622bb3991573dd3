package io.catwrangler.local.http;

import io.catwrangler.api.Api;
import io.catwrangler.core.classify.ClassifyImages;
import io.catwrangler.core.config.PipelineConfig;
import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.core.fake.InMemoryImageStore;
import io.catwrangler.core.fake.InMemoryWorkQueue;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.image.ImageLimits;
import io.catwrangler.core.ingest.IngestImage;
import io.catwrangler.core.port.ResultView;
import io.catwrangler.core.query.QueryResults;
import io.catwrangler.core.replay.ReplayEvents;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.Box;
import io.catwrangler.events.Classification;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.ClassificationTrigger;
import io.catwrangler.events.ClientId;
import io.catwrangler.events.DetectedObject;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.FileName;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.Submission;
import io.catwrangler.events.SubmissionId;
import io.catwrangler.events.SubmissionSource;
import io.catwrangler.events.EventCodec;
import io.catwrangler.local.sqlite.SqliteDatabase;
import io.catwrangler.local.sqlite.SqliteEventStore;
import java.sql.PreparedStatement;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * View rows written straight into the SQLite results view, for the export's tests and benchmark: classified images
 * whose state documents have the shape and size of the embedded detector's (top labels, cascade, CenterNet's class
 * maxima), so reading and decoding them costs what it costs on a real server.
 */
public final class ExportRows {
  static final DetectorModel MODEL = new DetectorModel("mobilenet-v2-imagenet", "coral-tf1-quant/cascade-v1");
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final int CHUNK = 10_000;

  private ExportRows() {}

  /**
   * Writes {@code count} classified images of {@code batch} straight into the view's tables (what the view's own
   * {@code saveAll} would write, without its per-row version check), ten thousand a transaction.
   */
  public static void fill(SqliteDatabase db, String batch, int count) {
    EventCodec codec = new EventCodec();
    for (int from = 0; from < count; from += CHUNK) {
      int first = from;
      int last = Math.min(count, from + CHUNK);
      db.write(c -> {
        try (PreparedStatement image = c.prepareStatement("INSERT INTO view_images (image_id, version, status, answer,"
                + " updated_at, state) VALUES (?, ?, ?, ?, ?, ?)");
            PreparedStatement member =
                c.prepareStatement("INSERT INTO view_batch_images (batch_id, image_id) VALUES (?, ?)")) {
          for (int n = first; n < last; n++) {
            ImageState state = state(n, batch);
            image.setString(1, state.imageId().value());
            image.setLong(2, state.version());
            image.setString(3, state.status().name());
            image.setInt(4, state.isCat().orElseThrow() ? 1 : 0);
            image.setString(5, state.updatedAt().orElseThrow().toString());
            image.setString(6, codec.encodeState(state));
            image.executeUpdate();
            member.setString(1, batch);
            member.setString(2, state.imageId().value());
            member.executeUpdate();
          }
        }
        return null;
      });
    }
  }

  /**
   * The API over {@code view} (and the events of {@code db}), with in-memory stores for what an export never touches
   * (uploads, the queue): what {@code GET /batches/{id}/results} runs through on a real server.
   */
  public static Api api(SqliteDatabase db, ResultView view) {
    SqliteEventStore events = new SqliteEventStore(db);
    PipelineConfig config = new PipelineConfig(ImageLimits.DEFAULT, 0.5, 3, 10);
    InMemoryWorkQueue queue = new InMemoryWorkQueue(3, Clock.systemUTC());
    InMemoryImageStore images = new InMemoryImageStore();
    IngestImage ingest = new IngestImage(new ImageInspector(config.imageLimits()), images, events, queue,
        Clock.systemUTC(), config);
    ClassifyImages classify = new ClassifyImages(events, images, new FakeCatDetector(0.5), Clock.systemUTC(), config);
    return Api.builder().ingest(ingest).query(new QueryResults(view, events))
        .replay(new ReplayEvents(events, view, classify, Clock.systemUTC(), config)).deadLetters(queue).build();
  }

  /** The n-th image's id. */
  public static ImageId image(int n) {
    return ImageId.sha256Of(("export row " + n).getBytes(StandardCharsets.UTF_8));
  }

  static ImageState state(int n, String batch) {
    ImageId id = image(n);
    Instant at = T0.plusMillis(n * 10L);
    Submission submission = new Submission(SubmissionId.fromName(id.value()), Optional.of(BatchId.of(batch)),
        Optional.of(ClientId.of("scanner-7")), FileName.sanitise("IMG_" + (100000 + n) + ".jpg"), "image/jpeg",
        180_000 + n % 5000, 1600, 1200, SubmissionSource.API, "images/" + id.value(), false);
    boolean cat = n % 3 == 0;
    double score = cat ? 0.93 + (n % 7) / 100.0 : 0.02 + (n % 11) / 100.0;
    Classification classification = new Classification(cat, score, 0.5,
        List.of(new DetectedObject(cat ? "cat" : "dog", 0.71, new Box(12.5, 40, 1210.25, 1188))), MODEL,
        timings(), 1600, 1200, raw(score), 1, ClassificationTrigger.INITIAL, OptionalLong.empty());
    return ImageState.fold(id, List.of(
        ImageReceived.of(id, 1, at, "corr-" + n, submission),
        ClassificationSucceeded.of(id, 2, at.plusMillis(480), "corr-" + n, classification)));
  }

  private static Map<String, Double> timings() {
    Map<String, Double> timings = new LinkedHashMap<>();
    timings.put("decode", 11.4);
    timings.put("preprocess", 1.9);
    timings.put("inference", 5.2);
    timings.put("postprocess", 0.1);
    timings.put("boxes_preprocess", 3.0);
    timings.put("boxes_inference", 31.0);
    timings.put("boxes_postprocess", 1.2);
    return timings;
  }

  private static Map<String, Object> raw(double score) {
    List<Object> top = List.of(List.of(285, "Egyptian cat", 0.731145), List.of(281, "tiger cat", 0.20215),
        List.of(282, "tabby, tabby cat", 0.055891), List.of(287, "lynx, catamount", 0.007005),
        List.of(728, "plastic bag", 0.000268));
    Map<String, Object> classifier = new LinkedHashMap<>();
    classifier.put("model", "mobilenet-v2-imagenet@coral-tf1-quant");
    classifier.put("calibration", "imagenet-cal-v1");
    classifier.put("crop", 0.875);
    classifier.put("cat_mass", 0.991936);
    classifier.put("cat_score", score);
    classifier.put("top", top);
    Map<String, Object> cascade = new LinkedHashMap<>();
    cascade.put("version", "cascade-v1");
    cascade.put("unsure_from", 0.4);
    cascade.put("unsure_to", 0.9);
    cascade.put("used", false);
    List<Double> classMax = new ArrayList<>();
    for (int c = 0; c < 80; c++) {
      classMax.add(Math.round(((c * 37) % 100) / 1000.0 * 1e6) / 1e6);
    }
    Map<String, Object> detector = new LinkedHashMap<>();
    detector.put("model", "centernet-mobilenetv3-coco@human-3.3.6");
    detector.put("class_max", classMax);
    detector.put("letterbox", Map.of("scale", 0.32, "pad_x", 0, "pad_y", 64));
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("classifier", classifier);
    raw.put("cascade", cascade);
    raw.put("detector", detector);
    return raw;
  }
}
