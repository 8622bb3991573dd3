package io.catwrangler.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Events of every shape the pipeline writes, for codec, schema and fold tests. */
final class SampleEvents {
  static final ImageId IMAGE = ImageId.sha256Of("a cat, honestly".getBytes());
  static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123Z");
  static final DetectorModel MODEL = new DetectorModel("centernet-mobilenetv3", "human-3.3.6");
  static final DetectorModel NEXT_MODEL = new DetectorModel("centernet-mobilenetv3", "human-3.4.0");

  private SampleEvents() {}

  static Submission submission(String batch, boolean full) {
    return new Submission(
        SubmissionId.fromName("sample:" + batch + ":" + full),
        Optional.of(BatchId.of(batch)),
        full ? Optional.of(ClientId.of("upstream-7")) : Optional.empty(),
        full ? FileName.sanitise("../../etc/Möwe\u202e gpj.cat.jpg") : Optional.empty(),
        "image/jpeg",
        123_456,
        640,
        480,
        full ? SubmissionSource.API : SubmissionSource.S3,
        "images/" + IMAGE.value(),
        full,
        full ? Optional.of(new NotifyTarget("https://hooks.example.com/cats?team=7", true)) : Optional.empty());
  }

  static Submission bare() {
    return new Submission(
        SubmissionId.fromName("bare"),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "image/png",
        1,
        1,
        1,
        SubmissionSource.PRESIGNED,
        "k",
        false);
  }

  static ImageReceived received(long version, Submission submission) {
    return ImageReceived.of(IMAGE, version, T0.plusSeconds(version), "corr-" + version, submission);
  }

  static Classification classification(boolean isCat, double score, DetectorModel model, ClassificationTrigger trigger) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("cat_score", score);
    raw.put("peaks", List.of(Map.of("class", 15, "score", score), Map.of("class", 16, "score", 0.25f)));
    raw.put("input", Map.of("width", 512, "height", 512, "letterboxed", true));
    raw.put("note", null);
    Map<String, Double> timings = new LinkedHashMap<>();
    timings.put("decode", 12.5);
    timings.put("inference", 48.0);
    return new Classification(
        isCat,
        score,
        0.3,
        List.of(new DetectedObject("cat", score, new Box(10.5, 20, 300, 400.25))),
        model,
        timings,
        480,
        640,
        raw,
        2,
        trigger,
        OptionalLong.empty());
  }

  static ClassificationSucceeded succeeded(long version, Classification classification) {
    return ClassificationSucceeded.of(IMAGE, version, T0.plusSeconds(version), "corr-" + version, classification);
  }

  static ClassificationSucceeded succeeded(long version, boolean isCat) {
    return succeeded(version, classification(isCat, isCat ? 0.91 : 0.07, MODEL, ClassificationTrigger.INITIAL));
  }

  static ClassificationFailed failed(long version, FailureReason reason, boolean retryable) {
    return ClassificationFailed.of(
        IMAGE,
        version,
        T0.plusSeconds(version),
        "corr-" + version,
        new Failure(reason, reason + " happened", version > 3 ? 3 : 1, retryable, MODEL));
  }

  static LabelRecorded labelled(long version, boolean cat, String by) {
    return LabelRecorded.of(IMAGE, version, T0.plusSeconds(version), "corr-" + version, new Label(cat, by));
  }

  /** One of everything the code can emit. */
  static List<Event> everyShape() {
    List<Event> events = new ArrayList<>();
    events.add(received(1, submission("batch-1", true)));
    events.add(received(2, submission("batch-2", false)));
    events.add(received(3, bare()));
    events.add(failed(4, FailureReason.DETECTOR_ERROR, true));
    ClassificationSucceeded first = succeeded(5, true);
    events.add(first);
    events.add(succeeded(6, first.classification().redecided(0.95, 5)));
    events.add(succeeded(7, classification(false, 0.2, NEXT_MODEL, ClassificationTrigger.RECLASSIFY)));
    events.add(
        succeeded(
            8,
            new Classification(
                false, 0, 1, List.of(), MODEL, Map.of(), 1, 1, Map.of(), 1, ClassificationTrigger.INITIAL,
                OptionalLong.empty())));
    long version = 9;
    for (FailureReason reason : FailureReason.values()) {
      events.add(failed(version++, reason, false));
    }
    events.add(labelled(version++, false, "Ana Lima <ana@example.org>"));
    events.add(labelled(version++, true, "Zoë ✓ ".repeat(21).strip()));
    return events;
  }
}
