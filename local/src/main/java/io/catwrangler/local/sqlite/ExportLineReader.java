package io.catwrangler.local.sqlite;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.catwrangler.core.port.BatchResult;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.ClassificationTrigger;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.EventCodec;
import io.catwrangler.events.FailureReason;
import io.catwrangler.events.FileName;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * An export line read straight from a stored state document ({@link EventCodec#encodeState}) in one pass of its
 * tokens, skipping what a line does not show (the detector's raw output, detections, timings): a quarter of the
 * time of decoding the whole state, which was most of an export's time. The result equals
 * {@link BatchResult#of} of the decoded state (the result view contract checks it).
 */
final class ExportLineReader {
  private static final JsonFactory JSON = new JsonFactory();

  private ExportLineReader() {}

  static BatchResult read(String document, BatchId batchId) {
    try (JsonParser p = JSON.createParser(document)) {
      return line(p, batchId);
    } catch (IOException e) {
      throw new UncheckedIOException("view document unreadable", e);
    }
  }

  private static BatchResult line(JsonParser p, BatchId batchId) throws IOException {
    expect(p.nextToken(), JsonToken.START_OBJECT);
    ImageId imageId = null;
    ImageStatus status = null;
    Optional<Instant> receivedAt = Optional.empty();
    List<FileName> fileNames = new ArrayList<>();
    Classified classified = null;
    Optional<FailureReason> failure = Optional.empty();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "image_id" -> imageId = ImageId.of(p.getText());
        case "status" -> status = ImageStatus.valueOf(p.getText());
        case "submissions" -> {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            Submitted s = submission(p);
            if (s.batchId.filter(batchId.value()::equals).isPresent()) {
              if (receivedAt.isEmpty()) {
                receivedAt = Optional.of(s.at);
              }
              s.fileName.map(FileName::new).ifPresent(fileNames::add);
            }
          }
        }
        case "classification" -> classified = classification(p);
        case "last_failure" -> failure = failureReason(p);
        default -> p.skipChildren();
      }
    }
    if (imageId == null || status == null) {
      throw new IllegalArgumentException("a view document without image_id or status");
    }
    Classified c = classified;
    return new BatchResult(imageId, status, c == null ? Optional.empty() : Optional.of(c.isCat),
        c == null ? OptionalDouble.empty() : OptionalDouble.of(c.catScore),
        c == null ? OptionalDouble.empty() : OptionalDouble.of(c.threshold),
        c == null ? Optional.empty() : Optional.of(c.model), c == null ? Optional.empty() : Optional.of(c.trigger),
        receivedAt, c == null ? Optional.empty() : Optional.of(c.at),
        status == ImageStatus.FAILED ? failure : Optional.empty(), fileNames);
  }

  private record Submitted(Instant at, Optional<String> batchId, Optional<String> fileName) {}

  private record Classified(
      Instant at, boolean isCat, double catScore, double threshold, DetectorModel model, ClassificationTrigger trigger) {}

  /** An event object (the parser on its START_OBJECT): occurred_at, and the payload handed to {@code payload}. */
  private static Submitted submission(JsonParser p) throws IOException {
    Instant at = null;
    Optional<String> batch = Optional.empty();
    Optional<String> name = Optional.empty();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("occurred_at")) {
        at = Instant.parse(p.getText());
      } else if (field.equals("payload")) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String inner = p.currentName();
          JsonToken value = p.nextToken();
          if (inner.equals("batch_id") && value == JsonToken.VALUE_STRING) {
            batch = Optional.of(p.getText());
          } else if (inner.equals("file_name") && value == JsonToken.VALUE_STRING) {
            name = Optional.of(p.getText());
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
    return new Submitted(at, batch, name);
  }

  private static Classified classification(JsonParser p) throws IOException {
    Instant at = null;
    boolean isCat = false;
    double score = 0;
    double threshold = 0;
    String modelName = null;
    String modelVersion = null;
    ClassificationTrigger trigger = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("occurred_at")) {
        at = Instant.parse(p.getText());
      } else if (field.equals("payload")) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String inner = p.currentName();
          p.nextToken();
          switch (inner) {
            case "is_cat" -> isCat = p.getBooleanValue();
            case "cat_score" -> score = p.getDoubleValue();
            case "threshold" -> threshold = p.getDoubleValue();
            case "trigger" -> trigger = trigger(p.getText());
            case "model" -> {
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                if (key.equals("name")) {
                  modelName = p.getText();
                } else if (key.equals("version")) {
                  modelVersion = p.getText();
                } else {
                  p.skipChildren();
                }
              }
            }
            default -> p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
    return new Classified(at, isCat, score, threshold, new DetectorModel(modelName, modelVersion), trigger);
  }

  private static Optional<FailureReason> failureReason(JsonParser p) throws IOException {
    Optional<FailureReason> reason = Optional.empty();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("payload")) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String inner = p.currentName();
          p.nextToken();
          if (inner.equals("reason")) {
            reason = Optional.of(FailureReason.valueOf(p.getText()));
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
    return reason;
  }

  private static ClassificationTrigger trigger(String wireName) {
    return Arrays.stream(ClassificationTrigger.values()).filter(t -> t.wireName().equals(wireName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no trigger " + wireName));
  }

  private static void expect(JsonToken found, JsonToken wanted) {
    if (found != wanted) {
      throw new IllegalArgumentException("a view document starts with " + wanted + ", not " + found);
    }
  }
}
