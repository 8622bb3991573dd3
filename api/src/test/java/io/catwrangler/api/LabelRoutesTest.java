package io.catwrangler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.core.image.TestImages;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.LabelRecorded;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code POST /images/{id}/labels} and {@code GET /quality} over the use cases and core's fakes. */
class LabelRoutesTest {
  private final ApiFixture f = new ApiFixture();

  private String classified(byte[] bytes, double score) {
    f.detector.score(ImageId.sha256Of(bytes), score);
    ApiResponse r = f.call(ApiRequest.builder("POST", "/images").body(bytes));
    assertThat(r.status()).as(r.bodyText()).isEqualTo(202);
    f.settle();
    return r.jsonBody().path("image_id").asText();
  }

  private ApiResponse label(String id, String json) {
    return f.call(ApiRequest.builder("POST", "/images/" + id + "/labels").header("Content-Type", "application/json")
        .body(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static void assertError(ApiResponse r, int status, String code) {
    assertThat(r.status()).as(r.bodyText()).isEqualTo(status);
    assertThat(r.jsonBody().path("error").asText()).isEqualTo(code);
    assertThat(r.jsonBody().path("message").asText()).isNotBlank();
  }

  private List<LabelRecorded> labels() {
    return f.events.all().stream().filter(e -> e instanceof LabelRecorded).map(e -> (LabelRecorded) e).toList();
  }

  @Test
  void aLabelIsRecordedAndShownBesideTheModelsAnswer() {
    String id = classified(TestImages.jpeg(40, 30), 0.9);

    ApiResponse r = label(id, "{\"cat\": false, \"by\": \"  Ana Lima  \"}");

    assertThat(r.status()).as(r.bodyText()).isEqualTo(201);
    assertThat(r.jsonBody().path("recorded").asBoolean()).isTrue();
    assertThat(r.jsonBody().path("label").path("cat").asBoolean()).isFalse();
    assertThat(r.jsonBody().path("label").path("by").asText()).isEqualTo("Ana Lima");
    assertThat(labels()).singleElement().satisfies(e -> {
      assertThat(e.correlationId()).isEqualTo(r.header("X-Request-Id"));
      assertThat(r.jsonBody().path("label").path("at").asText()).isEqualTo(e.occurredAt().toString());
    });
    f.feed.catchUp();
    JsonNode image = f.call(ApiRequest.builder("GET", "/images/" + id)).jsonBody();
    assertThat(image.path("answer").asText()).as("the answer stays the model's").isEqualTo("yes");
    assertThat(image.path("label").path("cat").asBoolean()).isFalse();
    assertThat(image.path("label").path("by").asText()).isEqualTo("Ana Lima");
    assertThat(image.path("label").path("version").asLong()).isEqualTo(image.path("version").asLong());
  }

  @Test
  void theNewestLabelWinsTheHistoryKeepsAllAndTheSameLabelAgainAppendsNothing() {
    String id = classified(TestImages.jpeg(40, 30), 0.9);

    assertThat(label(id, "{\"cat\": false, \"by\": \"ana\"}").status()).isEqualTo(201);
    ApiResponse retried = label(id, "{\"cat\": false, \"by\": \"ana\"}");
    assertThat(label(id, "{\"cat\": true, \"by\": \"bob\"}").status()).isEqualTo(201);
    f.feed.catchUp();

    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.jsonBody().path("recorded").asBoolean()).isFalse();
    assertThat(labels()).extracting(e -> e.label().by()).containsExactly("ana", "bob");
    JsonNode image = f.call(ApiRequest.builder("GET", "/images/" + id)).jsonBody();
    assertThat(image.path("label").path("by").asText()).isEqualTo("bob");
    JsonNode history = f.call(ApiRequest.builder("GET", "/images/" + id + "/events")).jsonBody();
    assertThat(history.path("events").findValuesAsText("type")).containsSubsequence("LabelRecorded", "LabelRecorded");
  }

  @Test
  void anImageWithoutALabelSaysNull() {
    String id = classified(TestImages.jpeg(40, 30), 0.9);

    JsonNode image = f.call(ApiRequest.builder("GET", "/images/" + id)).jsonBody();

    assertThat(image.has("label")).isTrue();
    assertThat(image.path("label").isNull()).isTrue();
  }

  @Test
  void badRequestsAre400UnknownImages404AndChangeNothing() {
    String id = classified(TestImages.jpeg(40, 30), 0.9);
    int before = f.events.all().size();

    assertError(label(id, "not json"), 400, "INVALID_JSON");
    assertError(label(id, ""), 400, "INVALID_JSON");
    assertError(label(id, "[true]"), 400, "INVALID_JSON");
    assertError(label(id, "{\"cat\": true, \"by\": \"a\"} {}"), 400, "INVALID_JSON");
    assertError(label(id, "{\"cat\": true, \"cat\": false, \"by\": \"a\"}"), 400, "INVALID_JSON");
    assertError(label(id, "{\"by\": \"ana\"}"), 400, "INVALID_PARAMETER");
    assertError(label(id, "{\"cat\": \"yes\", \"by\": \"ana\"}"), 400, "INVALID_PARAMETER");
    assertError(label(id, "{\"cat\": true}"), 400, "INVALID_PARAMETER");
    assertError(label(id, "{\"cat\": true, \"by\": 7}"), 400, "INVALID_PARAMETER");
    assertError(label(id, "{\"cat\": true, \"by\": \"   \"}"), 400, "INVALID_PARAMETER");
    assertError(label(id, "{\"cat\": true, \"by\": \"" + "x".repeat(129) + "\"}"), 400, "INVALID_PARAMETER");
    assertError(label(id, "{\"cat\": true, \"by\": \"a\\u0007b\"}"), 400, "INVALID_PARAMETER");
    assertError(label(id, "{\"cat\": true, \"by\": \"ana\", \"score\": 1}"), 400, "INVALID_PARAMETER");
    assertError(label("not-an-id", "{\"cat\": true, \"by\": \"ana\"}"), 400, "INVALID_ID");
    assertError(label("e".repeat(64), "{\"cat\": true, \"by\": \"ana\"}"), 404, "NOT_FOUND");
    assertError(f.call(ApiRequest.builder("GET", "/images/" + id + "/labels")), 405, "METHOD_NOT_ALLOWED");

    assertThat(f.events.all()).hasSize(before);
    assertThat(label(id, "{\"cat\": true, \"by\": \"" + "x".repeat(128) + "\"}").status()).isEqualTo(201);
  }

  @Test
  void aPendingImageCanBeLabelledAndKeepsItsLabelOnceAnswered() {
    byte[] bytes = TestImages.jpeg(40, 30);
    f.detector.score(ImageId.sha256Of(bytes), 0.1);
    String id = f.call(ApiRequest.builder("POST", "/images").body(bytes)).jsonBody().path("image_id").asText();

    assertThat(label(id, "{\"cat\": true, \"by\": \"ana\"}").status()).isEqualTo(201);
    f.settle();

    JsonNode image = f.call(ApiRequest.builder("GET", "/images/" + id)).jsonBody();
    assertThat(image.path("status").asText()).isEqualTo("CLASSIFIED");
    assertThat(image.path("answer").asText()).isEqualTo("no");
    assertThat(image.path("label").path("cat").asBoolean()).isTrue();
  }

  @Test
  void qualityCountsTheLabelledAnswersWithWilsonIntervalsAndAThresholdTable() {
    String tp = classified(TestImages.jpeg(40, 30), 0.9);
    String fp = classified(TestImages.jpeg(41, 30), 0.45);
    String tn = classified(TestImages.jpeg(42, 30), 0.1);
    String fn = classified(TestImages.jpeg(43, 30), 0.25);
    classified(TestImages.jpeg(44, 30), 0.8); // not labelled
    label(tp, "{\"cat\": true, \"by\": \"ana\"}");
    label(fp, "{\"cat\": false, \"by\": \"ana\"}");
    label(tn, "{\"cat\": false, \"by\": \"ana\"}");
    label(fn, "{\"cat\": true, \"by\": \"ana\"}");
    f.feed.catchUp();

    ApiResponse r = f.call(ApiRequest.builder("GET", "/quality"));

    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    JsonNode q = r.jsonBody();
    assertThat(q.path("model").path("version").asText()).isEqualTo("v1");
    assertThat(q.path("threshold").asDouble()).isEqualTo(ApiFixture.THRESHOLD);
    assertThat(q.path("labelled").asLong()).isEqualTo(4);
    assertThat(q.path("n").asLong()).isEqualTo(4);
    assertThat(q.path("interval").asText()).isEqualTo("wilson-95");
    assertThat(q.path("counts")).isEqualTo(f.call(ApiRequest.builder("GET", "/quality")).jsonBody().path("counts"));
    assertThat(Map.of("tp", q.path("counts").path("tp").asLong(), "fp", q.path("counts").path("fp").asLong(),
        "tn", q.path("counts").path("tn").asLong(), "fn", q.path("counts").path("fn").asLong()))
        .isEqualTo(Map.of("tp", 1L, "fp", 1L, "tn", 1L, "fn", 1L));
    assertThat(q.path("accuracy").path("value").asDouble()).isEqualTo(0.5);
    assertThat(q.path("accuracy").path("of").asLong()).isEqualTo(4);
    assertThat(q.path("precision").path("of").asLong()).isEqualTo(2);
    assertThat(q.path("recall").path("low").asDouble()).isLessThan(0.5);
    assertThat(q.path("recall").path("high").asDouble()).isGreaterThan(0.5);
    // 0.3 is the runtime's threshold and in the table already: 0.3, 0.4, 0.5, 0.6, 0.7
    assertThat(q.path("thresholds").findValuesAsText("threshold"))
        .containsExactly("0.3", "0.4", "0.5", "0.6", "0.7");
    JsonNode atHalf = q.path("thresholds").get(2);
    assertThat(atHalf.path("counts").path("fp").asLong()).isZero(); // 0.45 is "no" at 0.5
    assertThat(atHalf.path("counts").path("tn").asLong()).isEqualTo(2);
    assertThat(atHalf.path("accuracy").path("value").asDouble()).isEqualTo(0.75);
    assertThat(atHalf.path("answers_changed").asLong()).isEqualTo(1);
  }

  @Test
  void qualityTakesItsOwnThresholdsAndRefusesBadOnes() {
    ApiResponse own = f.call(ApiRequest.builder("GET", "/quality").query("thresholds", "0.55, 0.2,0.55"));
    assertThat(own.status()).as(own.bodyText()).isEqualTo(200);
    assertThat(own.jsonBody().path("thresholds").findValuesAsText("threshold")).containsExactly("0.2", "0.55");
    assertThat(own.jsonBody().path("accuracy").path("value").isNull()).as("nothing labelled yet").isTrue();
    assertThat(own.jsonBody().path("accuracy").path("low").isNull()).isTrue();
    assertThat(own.jsonBody().path("accuracy").path("of").asLong()).isZero();

    for (String bad : List.of("high", "1.5", "-0.1", "0.5,,0.6", "NaN", "0.1,".repeat(22) + "0.9")) {
      assertError(f.call(ApiRequest.builder("GET", "/quality").query("thresholds", bad)), 400, "INVALID_PARAMETER");
    }
  }

  @Test
  void withoutTheLabelUseCasesTheRoutesAre501() {
    String id = classified(TestImages.jpeg(40, 30), 0.9);

    assertError(f.withoutLabels.handle(ApiRequest.builder("POST", "/images/" + id + "/labels")
        .body("{\"cat\": true, \"by\": \"ana\"}".getBytes(StandardCharsets.UTF_8)).build()), 501, "NOT_IMPLEMENTED");
    assertError(f.withoutLabels.handle(ApiRequest.builder("GET", "/quality").build()), 501, "NOT_IMPLEMENTED");
  }

  /** On AWS the write is ingest's and the read query's: each function's Api has its half only. */
  @Test
  void recordingAndMeasuringComeApart() {
    String id = classified(TestImages.jpeg(40, 30), 0.9);
    Api recording = f.withoutLabels.toBuilder().labelRecording(new io.catwrangler.core.label.RecordLabel(f.events,
        f.clock, f.config)).build();
    Api measuring = f.withoutLabels.toBuilder().quality(new io.catwrangler.core.quality.MeasureQuality(f.view,
        f.classify.model(), f.config)).build();
    ApiRequest post = ApiRequest.builder("POST", "/images/" + id + "/labels").header("Content-Type", "application/json")
        .body("{\"cat\": true, \"by\": \"ana\"}".getBytes(StandardCharsets.UTF_8)).build();

    assertThat(recording.handle(post).status()).isEqualTo(201);
    assertError(recording.handle(ApiRequest.builder("GET", "/quality").build()), 501, "NOT_IMPLEMENTED");
    assertError(measuring.handle(post), 501, "NOT_IMPLEMENTED");
    assertThat(measuring.handle(ApiRequest.builder("GET", "/quality").build()).status()).isEqualTo(200);
  }
}
