package io.catwrangler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catwrangler.core.image.TestImages;
import io.catwrangler.events.ImageId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BatchResultsRouteTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

  private final ApiFixture f = new ApiFixture();

  private String submit(byte[] bytes, String batch, String fileName) {
    ApiResponse r = f.call(ApiRequest.builder("POST", "/images").body(bytes).header("X-Batch-Id", batch)
        .header("X-File-Name", fileName));
    assertThat(r.status()).as(r.bodyText()).isEqualTo(202);
    return r.jsonBody().path("image_id").asText();
  }

  private static ApiRequest.Builder results(String batch) {
    return ApiRequest.builder("GET", "/batches/" + batch + "/results");
  }

  private static List<JsonNode> jsonLines(ApiResponse r) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : r.bodyText().split("\n")) {
      lines.add(MAPPER.readTree(line));
    }
    return lines;
  }

  private static void assertError(ApiResponse r, int status, String code) {
    assertThat(r.status()).as(r.bodyText()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.jsonBody().path("error").asText()).isEqualTo(code);
  }

  @Test
  void json_lines_by_default_every_image_in_id_order_with_answer_model_threshold_and_times() throws Exception {
    byte[] broken = TestImages.jpeg(50, 50);
    f.detector.reject(ImageId.sha256Of(broken));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(submit(TestImages.png(10 + i, 10), "b1", "p" + i + ".png"));
    }
    String failed = submit(broken, "b1", "broken.jpg");
    ids.add(failed);
    submit(TestImages.png(10, 10), "b1", "again.png"); // the same bytes under a second name
    submit(TestImages.png(77, 7), "other", "elsewhere.png");
    f.settle();
    String pending = submit(TestImages.png(99, 9), "b1", "late.png");
    ids.add(pending);
    f.feed.catchUp();

    ApiResponse r = f.call(results("b1"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.isStreamed()).isTrue();
    assertThat(r.header("Content-Type")).isEqualTo("application/x-ndjson");
    assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=\"batch-b1-results.jsonl\"");
    assertThat(r.bodyText()).endsWith("}\n");
    List<JsonNode> lines = jsonLines(r);
    assertThat(lines).extracting(l -> l.path("image_id").asText()).containsExactlyElementsOf(ids.stream().sorted().toList());
    for (JsonNode line : lines) {
      assertThat(line.properties()).extracting(e -> e.getKey()).containsExactlyElementsOf(ResultsFormat.COLUMNS);
    }
    JsonNode first = lines.stream().filter(l -> l.path("image_id").asText().equals(ids.get(0))).findFirst().orElseThrow();
    assertThat(first.path("status").asText()).isEqualTo("CLASSIFIED");
    assertThat(first.path("answer").asText()).isIn("yes", "no");
    assertThat(first.path("cat_score").isNumber()).isTrue();
    assertThat(first.path("threshold").asDouble()).isEqualTo(ApiFixture.THRESHOLD);
    assertThat(first.path("model_name").asText()).isEqualTo(f.detector.model().name());
    assertThat(first.path("model_version").asText()).isEqualTo(f.detector.model().version());
    assertThat(first.path("decided_by").asText()).isEqualTo("initial");
    assertThat(first.path("received_at").asText()).isEqualTo("2025-05-01T12:00:00Z");
    assertThat(first.path("classified_at").asText()).startsWith("2025-05-01T12:00:");
    assertThat(first.path("failure_reason").isNull()).isTrue();
    assertThat(first.path("file_names")).extracting(JsonNode::asText).containsExactly("p0.png", "again.png");

    JsonNode bad = lines.stream().filter(l -> l.path("image_id").asText().equals(failed)).findFirst().orElseThrow();
    assertThat(bad.path("status").asText()).isEqualTo("FAILED");
    assertThat(bad.path("answer").isNull()).isTrue();
    assertThat(bad.path("failure_reason").asText()).isEqualTo("INVALID_IMAGE");

    JsonNode late = lines.stream().filter(l -> l.path("image_id").asText().equals(pending)).findFirst().orElseThrow();
    assertThat(late.path("status").asText()).isEqualTo("PENDING");
    assertThat(late.path("cat_score").isNull()).isTrue();
    assertThat(late.path("model_name").isNull()).isTrue();
    assertThat(late.path("classified_at").isNull()).isTrue();
  }

  @Test
  void csv_when_accept_asks_for_it_with_a_header_and_quoted_names() {
    String id = submit(TestImages.png(12, 12), "b2", "a, \"quoted\" name.png");
    submit(TestImages.png(12, 12), "b2", "second.png");
    f.settle();

    ApiResponse r = f.call(results("b2").header("Accept", "text/csv"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("text/csv; charset=utf-8");
    assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=\"batch-b2-results.csv\"");
    String[] lines = r.bodyText().split("\r\n", -1);
    assertThat(lines).hasSize(3); // header, one image, the empty rest after the last CRLF
    assertThat(lines[0]).isEqualTo(String.join(",", ResultsFormat.COLUMNS));
    assertThat(lines[1]).startsWith(id + ",CLASSIFIED,")
        .contains("," + ApiFixture.THRESHOLD + "," + f.detector.model().name() + ",")
        .endsWith(",,\"a, \"\"quoted\"\" name.png/second.png\"");
    assertThat(lines[2]).isEmpty();
  }

  @Test
  void accept_chooses_by_quality_and_anything_else_is_406() {
    submit(TestImages.png(12, 12), "b3", "x.png");
    f.settle();
    assertThat(f.call(results("b3").header("Accept", "*/*")).header("Content-Type")).isEqualTo("application/x-ndjson");
    assertThat(f.call(results("b3").header("Accept", "text/*")).header("Content-Type")).startsWith("text/csv");
    assertThat(f.call(results("b3").header("Accept", "application/x-ndjson;q=0.5, text/csv")).header("Content-Type"))
        .startsWith("text/csv");
    assertThat(f.call(results("b3").header("Accept", "text/csv;q=0, */*")).header("Content-Type"))
        .isEqualTo("application/x-ndjson");
    for (String accept : List.of("application/json", "text/html", "text/csv;q=0", "image/*")) {
      ApiResponse r = f.call(results("b3").header("Accept", accept));
      assertError(r, 406, "NOT_ACCEPTABLE");
      assertThat(r.jsonBody().path("message").asText()).contains("text/csv").contains("application/x-ndjson");
    }
  }

  @Test
  void bad_ids_cursors_and_unknown_batches_are_errors_before_any_line() {
    submit(TestImages.png(12, 12), "b4", "x.png");
    f.settle();
    assertError(f.call(results("-bad")), 400, "INVALID_ID");
    assertError(f.call(results("nobody")), 404, "NOT_FOUND");
    assertError(f.call(results("b4").query("cursor", "forged")), 400, "INVALID_PARAMETER");
    assertError(f.call(ApiRequest.builder("POST", "/batches/b4/results")), 405, "METHOD_NOT_ALLOWED");
  }

  @Test
  void a_bounded_api_answers_in_parts_linked_by_cursor_each_a_whole_document() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ids.add(submit(TestImages.png(20 + i, 11), "paged", "p" + i + ".png"));
    }
    f.settle();
    Api bounded = f.api.toBuilder().resultsPerResponse(3).build();

    for (String accept : List.of("application/x-ndjson", "text/csv")) {
      List<String> seen = new ArrayList<>();
      Optional<String> next = Optional.of("/batches/paged/results");
      int parts = 0;
      while (next.isPresent()) {
        String[] target = next.get().split("\\?", 2);
        ApiRequest.Builder request = ApiRequest.builder("GET", target[0]).header("Accept", accept);
        if (target.length > 1) {
          request.rawQuery(target[1]);
        }
        ApiResponse r = bounded.handle(request.build());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.isStreamed()).isFalse();
        List<String> lines = new ArrayList<>(List.of(r.bodyText().split("\r?\n")));
        if (accept.equals("text/csv")) {
          assertThat(lines.remove(0)).isEqualTo(String.join(",", ResultsFormat.COLUMNS));
        }
        assertThat(lines).hasSizeLessThanOrEqualTo(3);
        lines.forEach(l -> seen.add(l.replaceFirst("^\\{\"image_id\":\"", "").substring(0, 64)));
        String link = r.header("Link");
        if (link == null) {
          next = Optional.empty();
        } else {
          Matcher m = NEXT.matcher(link);
          assertThat(m.matches()).as(link).isTrue();
          next = Optional.of(m.group(1));
        }
        parts++;
      }
      assertThat(parts).isEqualTo(3);
      assertThat(seen).containsExactlyElementsOf(ids.stream().sorted().toList());
    }
  }

  @Test
  void negotiation_reads_q_values_and_the_most_specific_range() {
    assertThat(ResultsFormat.negotiate(Optional.empty())).contains(ResultsFormat.JSON_LINES);
    assertThat(ResultsFormat.negotiate(Optional.of("TEXT/CSV"))).contains(ResultsFormat.CSV);
    assertThat(ResultsFormat.negotiate(Optional.of("text/*;q=0.9, application/x-ndjson;q=0.8")))
        .contains(ResultsFormat.CSV);
    assertThat(ResultsFormat.negotiate(Optional.of("*/*;q=0.1, text/csv;q=0"))).contains(ResultsFormat.JSON_LINES);
    assertThat(ResultsFormat.negotiate(Optional.of("application/x-ndjson;q=bogus"))).isEmpty();
    assertThat(ResultsFormat.negotiate(Optional.of("nonsense"))).isEmpty();
  }
}
