package io.catwrangler.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.catwrangler.core.port.BatchResult;
import io.catwrangler.core.query.Answer;
import io.catwrangler.events.FileName;
import io.catwrangler.events.Json;
import java.io.BufferedWriter;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * The two shapes of a batch's export ({@code GET /batches/{id}/results}), chosen by {@code Accept}: JSON Lines (the
 * default) and CSV (RFC 4180, with a header line). Both carry the same columns under the same names; CSV joins the
 * file names with {@code /}, which no stored file name contains ({@link FileName}).
 */
public enum ResultsFormat {
  JSON_LINES("application/x-ndjson"),
  CSV("text/csv; charset=utf-8");

  /** The columns, in order: the CSV header and the JSON field names. */
  public static final List<String> COLUMNS =
      List.of("image_id", "status", "answer", "cat_score", "threshold", "model_name", "model_version", "decided_by",
          "received_at", "classified_at", "failure_reason", "file_names");

  private static final JsonFactory JSON = Json.MAPPER.getFactory();

  private final String contentType;

  ResultsFormat(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  /** The media type without parameters. */
  public String mediaType() {
    return contentType.split(";", 2)[0];
  }

  /**
   * The format an {@code Accept} header asks for: the supported type with the highest quality, each judged by the
   * most specific range that names it ({@code text/csv} before {@code text/*} before {@code *}{@code /*}); JSON Lines
   * on a tie and when there is no header. Empty when the header accepts neither (then 406).
   */
  public static Optional<ResultsFormat> negotiate(Optional<String> accept) {
    if (accept.isEmpty() || accept.get().isBlank()) {
      return Optional.of(JSON_LINES);
    }
    List<String[]> ranges = new ArrayList<>(); // {type, subtype, q}
    for (String range : accept.get().split(",")) {
      String[] parts = range.split(";");
      String[] type = parts[0].strip().toLowerCase(Locale.ROOT).split("/", 2);
      if (type.length != 2) {
        continue;
      }
      String q = "1";
      for (int i = 1; i < parts.length; i++) {
        String[] param = parts[i].strip().split("=", 2);
        if (param.length == 2 && param[0].strip().equalsIgnoreCase("q")) {
          q = param[1].strip();
        }
      }
      ranges.add(new String[] {type[0].strip(), type[1].strip(), q});
    }
    ResultsFormat best = null;
    double bestQuality = 0;
    for (ResultsFormat format : values()) {
      double quality = format.quality(ranges);
      if (quality > bestQuality) {
        best = format;
        bestQuality = quality;
      }
    }
    return Optional.ofNullable(best);
  }

  private double quality(List<String[]> ranges) {
    String[] mine = mediaType().split("/");
    int specificity = -1;
    double quality = 0;
    for (String[] range : ranges) {
      int s;
      if (range[0].equals(mine[0]) && range[1].equals(mine[1])) {
        s = 2;
      } else if (range[0].equals(mine[0]) && range[1].equals("*")) {
        s = 1;
      } else if (range[0].equals("*") && range[1].equals("*")) {
        s = 0;
      } else {
        continue;
      }
      if (s > specificity) {
        specificity = s;
        quality = parseQuality(range[2]);
      }
    }
    return quality;
  }

  private static double parseQuality(String q) {
    try {
      double value = Double.parseDouble(q);
      return value >= 0 && value <= 1 ? value : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Writes lines of this format to {@code out}; {@link Lines#flush} before the transport sends what is written. */
  public Lines open(OutputStream out) throws IOException {
    return this == JSON_LINES ? new JsonLines(out) : new CsvLines(out);
  }

  /** A writer of export lines. */
  public interface Lines extends Flushable {
    /** The lines that start every response (CSV's header). */
    void begin() throws IOException;

    void write(BatchResult result) throws IOException;
  }

  private static final class JsonLines implements Lines {
    private final JsonGenerator json;

    JsonLines(OutputStream out) throws IOException {
      json = JSON.createGenerator(out, JsonEncoding.UTF8);
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      json.setRootValueSeparator(null); // each line ends in its own '\n', not in a space before the next
    }

    @Override
    public void begin() {
      // JSON Lines has no header
    }

    @Override
    public void write(BatchResult r) throws IOException {
      json.writeStartObject();
      json.writeStringField("image_id", r.imageId().value());
      json.writeStringField("status", r.status().name());
      string("answer", r.isCat().map(c -> Answer.of(c).wireName()));
      number("cat_score", r.catScore());
      number("threshold", r.threshold());
      string("model_name", r.model().map(m -> m.name()));
      string("model_version", r.model().map(m -> m.version()));
      string("decided_by", r.decidedBy().map(t -> t.wireName()));
      string("received_at", r.receivedAt().map(Instant::toString));
      string("classified_at", r.classifiedAt().map(Instant::toString));
      string("failure_reason", r.failure().map(Enum::name));
      json.writeArrayFieldStart("file_names");
      for (FileName name : r.fileNames()) {
        json.writeString(name.value());
      }
      json.writeEndArray();
      json.writeEndObject();
      json.writeRaw('\n');
    }

    private void string(String name, Optional<String> value) throws IOException {
      if (value.isPresent()) {
        json.writeStringField(name, value.get());
      } else {
        json.writeNullField(name);
      }
    }

    private void number(String name, OptionalDouble value) throws IOException {
      if (value.isPresent()) {
        json.writeNumberField(name, value.getAsDouble());
      } else {
        json.writeNullField(name);
      }
    }

    @Override
    public void flush() throws IOException {
      json.flush();
    }
  }

  private static final class CsvLines implements Lines {
    private final Writer csv;

    CsvLines(OutputStream out) {
      csv = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 16 * 1024);
    }

    @Override
    public void begin() throws IOException {
      csv.write(String.join(",", COLUMNS));
      csv.write("\r\n");
    }

    @Override
    public void write(BatchResult r) throws IOException {
      csv.write(r.imageId().value());
      csv.write(',');
      csv.write(r.status().name());
      field(r.isCat().map(c -> Answer.of(c).wireName()));
      field(number(r.catScore()));
      field(number(r.threshold()));
      field(r.model().map(m -> m.name()));
      field(r.model().map(m -> m.version()));
      field(r.decidedBy().map(t -> t.wireName()));
      field(r.receivedAt().map(Instant::toString));
      field(r.classifiedAt().map(Instant::toString));
      field(r.failure().map(Enum::name));
      field(Optional.of(r.fileNames().stream().map(FileName::value).collect(Collectors.joining("/"))));
      csv.write("\r\n");
    }

    /** An empty field for a missing value; quoted when it holds a comma, a quote, a line break or edge spaces. */
    private void field(Optional<String> value) throws IOException {
      csv.write(',');
      if (value.isEmpty()) {
        return;
      }
      String v = value.get();
      boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0
          || !v.isEmpty() && (v.charAt(0) == ' ' || v.charAt(v.length() - 1) == ' ');
      if (quote) {
        csv.write('"');
        csv.write(v.replace("\"", "\"\""));
        csv.write('"');
      } else {
        csv.write(v);
      }
    }

    private static Optional<String> number(OptionalDouble value) {
      return value.isPresent() ? Optional.of(Double.toString(value.getAsDouble())) : Optional.empty();
    }

    @Override
    public void flush() throws IOException {
      csv.flush();
    }
  }
}
