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

  /** Reads one field's value (the parser on it); must skip what it does not read. */
  @FunctionalInterface
  private interface FieldReader {
    void read(String field, JsonParser p) throws IOException;
  }

  /** The fields of the object the parser is in, each to {@code reader}, up to its end. */
  private static void fields(JsonParser p, FieldReader reader) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      reader.read(field, p);
    }
  }

  /** An event object of the document: returns its occurred_at; the payload's fields go to {@code payload}. */
  private static Instant event(JsonParser p, FieldReader payload) throws IOException {
    Instant[] at = new Instant[1];
    fields(p, (field, q) -> {
      switch (field) {
        case "occurred_at" -> at[0] = Instant.parse(q.getText());
        case "payload" -> fields(q, payload);
        default -> q.skipChildren();
      }
    });
    return at[0];
  }

  private static Submitted submission(JsonParser p) throws IOException {
    String[] batchAndName = new String[2];
    Instant at = event(p, (field, q) -> {
      if (field.equals("batch_id") && q.currentToken() == JsonToken.VALUE_STRING) {
        batchAndName[0] = q.getText();
      } else if (field.equals("file_name") && q.currentToken() == JsonToken.VALUE_STRING) {
        batchAndName[1] = q.getText();
      } else {
        q.skipChildren();
      }
    });
    return new Submitted(at, Optional.ofNullable(batchAndName[0]), Optional.ofNullable(batchAndName[1]));
  }

  private static Classified classification(JsonParser p) throws IOException {
    boolean[] isCat = new boolean[1];
    double[] scoreAndThreshold = new double[2];
    String[] model = new String[2];
    ClassificationTrigger[] trigger = new ClassificationTrigger[1];
    Instant at = event(p, (field, q) -> {
      switch (field) {
        case "is_cat" -> isCat[0] = q.getBooleanValue();
        case "cat_score" -> scoreAndThreshold[0] = q.getDoubleValue();
        case "threshold" -> scoreAndThreshold[1] = q.getDoubleValue();
        case "trigger" -> trigger[0] = trigger(q.getText());
        case "model" -> fields(q, (key, r) -> {
          switch (key) {
            case "name" -> model[0] = r.getText();
            case "version" -> model[1] = r.getText();
            default -> r.skipChildren();
          }
        });
        default -> q.skipChildren();
      }
    });
    return new Classified(at, isCat[0], scoreAndThreshold[0], scoreAndThreshold[1],
        new DetectorModel(model[0], model[1]), trigger[0]);
  }

  private static Optional<FailureReason> failureReason(JsonParser p) throws IOException {
    FailureReason[] reason = new FailureReason[1];
    event(p, (field, q) -> {
      if (field.equals("reason")) {
        reason[0] = FailureReason.valueOf(q.getText());
      } else {
        q.skipChildren();
      }
    });
    return Optional.ofNullable(reason[0]);
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
