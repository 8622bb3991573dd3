package io.catwrangler.core.port.contract;

import io.catwrangler.events.BatchId;
import io.catwrangler.events.Box;
import io.catwrangler.events.Classification;
import io.catwrangler.events.ClassificationFailed;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.ClassificationTrigger;
import io.catwrangler.events.ClientId;
import io.catwrangler.events.DetectedObject;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.Event;
import io.catwrangler.events.Failure;
import io.catwrangler.events.FailureReason;
import io.catwrangler.events.FileName;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.Label;
import io.catwrangler.events.LabelRecorded;
import io.catwrangler.events.Submission;
import io.catwrangler.events.SubmissionId;
import io.catwrangler.events.SubmissionSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Events and states for the contract suites: realistic, with every optional field used somewhere. */
public final class ContractEvents {
  public static final DetectorModel MODEL = new DetectorModel("contract-detector", "1.0");
  public static final Instant T0 = Instant.parse("2025-04-01T08:00:00.250Z");

  private ContractEvents() {}

  /** A distinct image id per number. */
  public static ImageId image(int n) {
    return ImageId.sha256Of(("contract image " + n).getBytes(StandardCharsets.UTF_8));
  }

  public static ImageReceived received(ImageId id, long version, String batch, String fileName) {
    Submission submission =
        new Submission(
            SubmissionId.fromName(id.value() + "/" + version),
            Optional.of(BatchId.of(batch)),
            Optional.of(ClientId.of("contract-client")),
            FileName.sanitise(fileName),
            "image/jpeg",
            2048 + version,
            800,
            600,
            SubmissionSource.API,
            "images/" + id.value(),
            version % 2 == 0);
    return ImageReceived.of(id, version, T0.plusSeconds(version), "corr-" + id.value().substring(0, 8), submission);
  }

  public static ImageReceived receivedWithoutMetadata(ImageId id, long version) {
    Submission submission =
        new Submission(
            SubmissionId.fromName(id.value() + "/" + version),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "image/png",
            99,
            1,
            1,
            SubmissionSource.S3,
            "images/" + id.value(),
            false);
    return ImageReceived.of(id, version, T0.plusSeconds(version), "s3-notification", submission);
  }

  public static ClassificationSucceeded succeeded(ImageId id, long version, boolean isCat) {
    double score = isCat ? 0.875 : 0.0625;
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("cat_score", score);
    raw.put("peaks", List.of(Map.of("class", 15, "score", score, "x", 10.5)));
    raw.put("nothing", null);
    Map<String, Double> timings = new LinkedHashMap<>();
    timings.put("decode", 3.25);
    timings.put("inference", 41.0);
    Classification classification =
        new Classification(
            isCat,
            score,
            0.3,
            List.of(new DetectedObject(isCat ? "cat" : "dog", 0.8125, new Box(1.5, 2, 640, 479.75))),
            MODEL,
            timings,
            600,
            800,
            raw,
            1,
            ClassificationTrigger.INITIAL,
            OptionalLong.empty());
    return ClassificationSucceeded.of(id, version, T0.plusSeconds(version), "corr-classify", classification);
  }

  public static ClassificationFailed failed(ImageId id, long version, FailureReason reason, boolean retryable) {
    return ClassificationFailed.of(
        id,
        version,
        T0.plusSeconds(version),
        "corr-classify",
        new Failure(reason, "contract failure: " + reason, (int) version, retryable, MODEL));
  }

  /**
   * An answer of {@code model} with the cat score {@code score}, decided at {@code threshold} (so a score below it is
   * "no").
   */
  public static ClassificationSucceeded scored(
      ImageId id, long version, double score, double threshold, DetectorModel model) {
    Classification classification =
        new Classification(
            score >= threshold, score, threshold, List.of(), model, Map.of(), 600, 800, Map.of("cat_score", score), 1,
            ClassificationTrigger.INITIAL, OptionalLong.empty());
    return ClassificationSucceeded.of(id, version, T0.plusSeconds(version), "corr-classify", classification);
  }

  public static LabelRecorded labelled(ImageId id, long version, boolean cat, String by) {
    return LabelRecorded.of(id, version, T0.plusSeconds(version), "corr-label", new Label(cat, by));
  }

  /** A stream of {@code length} events: received, then alternating failures and answers, versions 1.. length. */
  public static List<Event> stream(ImageId id, int length) {
    List<Event> events = new ArrayList<>();
    for (int v = 1; v <= length; v++) {
      events.add(
          switch (v % 3) {
            case 1 -> received(id, v, "batch-" + v, "photo-" + v + ".jpg");
            case 2 -> failed(id, v, FailureReason.DETECTOR_ERROR, true);
            default -> succeeded(id, v, v % 2 == 1);
          });
    }
    return events;
  }

  /** The state of an image received in {@code batch} and, if {@code answer} is present, classified. */
  public static ImageState state(ImageId id, String batch, Optional<Boolean> answer) {
    List<Event> events = new ArrayList<>();
    events.add(received(id, 1, batch, "file-" + id.value().substring(0, 6) + ".jpg"));
    answer.ifPresent(isCat -> events.add(succeeded(id, 2, isCat)));
    return ImageState.fold(id, events);
  }
}
