package io.catwrangler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.core.image.ImageLimits;
import io.catwrangler.core.image.TestImages;
import io.catwrangler.core.port.ConcurrencyConflictException;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.Page;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.events.ClassificationFailed;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.Event;
import io.catwrangler.events.Failure;
import io.catwrangler.events.FailureReason;
import io.catwrangler.events.ImageId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ApiTest {
  private final ApiFixture f = new ApiFixture();

  private static byte[] cat() {
    return TestImages.jpeg(40, 30);
  }

  private static byte[] dog() {
    return TestImages.png(33, 21);
  }

  private static ApiRequest.Builder upload(byte[] bytes) {
    return ApiRequest.builder("POST", "/images").header("Content-Type", "image/jpeg").body(bytes);
  }

  private static ApiRequest.Builder get(String path) {
    return ApiRequest.builder("GET", path);
  }

  private String submit(byte[] bytes, String batch, String fileName) {
    ApiResponse r = f.call(upload(bytes).header("X-Batch-Id", batch).header("X-File-Name", fileName));
    assertThat(r.status()).as(r.bodyText()).isEqualTo(202);
    return r.jsonBody().path("image_id").asText();
  }

  private void assertNothingStored() {
    assertThat(f.images.size()).isZero();
    assertThat(f.queue.depth()).isZero();
    assertThat(f.events.all()).isEmpty();
  }

  private static void assertError(ApiResponse r, int status, String code) {
    assertThat(r.status()).as(r.bodyText()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.jsonBody().path("error").asText()).isEqualTo(code);
    assertThat(r.jsonBody().path("message").asText()).isNotBlank();
  }

  @Nested
  class Upload {
    @Test
    void raw_bytes_are_accepted_with_202_ids_status_and_links() {
      byte[] bytes = cat();
      ApiResponse r = f.call(upload(bytes).header("X-Batch-Id", "b1").header("X-Client-Id", "cam-7")
          .header("X-File-Name", "kitty.jpg").header("X-Request-Id", "req-123"));

      assertThat(r.status()).isEqualTo(202);
      JsonNode body = r.jsonBody();
      String id = ImageId.sha256Of(bytes).value();
      assertThat(body.path("image_id").asText()).isEqualTo(id);
      assertThat(body.path("submission_id").asText()).matches("[0-9a-f-]{36}");
      assertThat(body.path("status").asText()).isEqualTo("PENDING");
      assertThat(body.path("answer").isNull()).isTrue();
      assertThat(body.path("batch_id").asText()).isEqualTo("b1");
      assertThat(body.path("links").path("self").asText()).isEqualTo("/images/" + id);
      assertThat(body.path("links").path("events").asText()).isEqualTo("/images/" + id + "/events");
      assertThat(body.path("links").path("batch").asText()).isEqualTo("/batches/b1");
      assertThat(r.header("Location")).isEqualTo("/images/" + id);
      assertThat(r.header("X-Request-Id")).isEqualTo("req-123");
      assertThat(f.events.read(ImageId.of(id)).get(0).correlationId()).isEqualTo("req-123");
    }

    @Test
    void a_percent_encoded_file_name_is_decoded() {
      String id = submit(cat(), "b1", "ch%C3%A4t%20noir.jpg");
      f.settle();
      JsonNode image = f.call(get("/images/" + id)).jsonBody();
      assertThat(image.path("submissions").get(0).path("file_name").asText()).isEqualTo("chät noir.jpg");
    }

    @Test
    void a_multipart_form_from_the_web_page_is_accepted_with_its_fields() {
      byte[] bytes = dog();
      byte[] body = Multipart.form("XyZ", List.of(
          Multipart.field("batch_id", "web-1"),
          Multipart.field("debug", "true"),
          Multipart.file("file", "C:\\Users\\me\\dog.png", "image/png", bytes)));
      ApiResponse r = f.call(ApiRequest.builder("POST", "/images")
          .header("Content-Type", "multipart/form-data; boundary=XyZ").body(body));

      assertThat(r.status()).as(r.bodyText()).isEqualTo(202);
      assertThat(r.jsonBody().path("image_id").asText()).isEqualTo(ImageId.sha256Of(bytes).value());
      assertThat(r.jsonBody().path("batch_id").asText()).isEqualTo("web-1");
      f.settle();
      JsonNode image = f.call(get("/images/" + ImageId.sha256Of(bytes).value())).jsonBody();
      assertThat(image.path("submissions").get(0).path("file_name").asText()).isEqualTo("dog.png");
      assertThat(image.has("debug")).as("submitted with debug").isTrue();
    }

    @Test
    void a_multipart_form_needs_exactly_one_file() {
      byte[] two = Multipart.form("b", List.of(
          Multipart.file("a", "a.jpg", "image/jpeg", cat()), Multipart.file("b", "b.png", "image/png", dog())));
      assertError(f.call(ApiRequest.builder("POST", "/images")
          .header("Content-Type", "multipart/form-data; boundary=b").body(two)), 400, "INVALID_MULTIPART");
      byte[] none = Multipart.form("b", List.of(Multipart.field("batch_id", "x")));
      assertError(f.call(ApiRequest.builder("POST", "/images")
          .header("Content-Type", "multipart/form-data; boundary=b").body(none)), 400, "INVALID_MULTIPART");
      assertError(f.call(ApiRequest.builder("POST", "/images")
          .header("Content-Type", "multipart/form-data").body(cat())), 400, "INVALID_MULTIPART");
      assertNothingStored();
    }

    @Test
    void webp_behind_a_jpg_name_is_415_naming_webp_and_stores_nothing() {
      byte[] webp = "RIFF\u0024\0\0\0WEBPVP8 \u0018\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
      ApiResponse r = f.call(upload(webp).header("X-File-Name", "cat.jpg"));
      assertError(r, 415, "UNSUPPORTED_FORMAT");
      assertThat(r.jsonBody().path("found").asText()).isEqualTo("WebP");
      assertThat(r.jsonBody().path("message").asText()).contains("WebP");
      assertNothingStored();
    }

    @Test
    void an_empty_body_is_refused_and_stores_nothing() {
      ApiResponse r = f.call(upload(new byte[0]));
      assertThat(r.status()).isBetween(400, 499);
      assertThat(r.jsonBody().path("found").asText()).isEqualTo("empty");
      assertNothingStored();
    }

    @Test
    void a_png_declaring_30000_by_30000_is_422_and_stores_nothing() {
      assertError(f.call(upload(TestImages.pngHeaderOnly(30_000, 30_000))), 422, "INVALID_IMAGE");
      assertNothingStored();
    }

    @Test
    void more_bytes_than_the_limit_is_413_and_stores_nothing() {
      ApiFixture small = new ApiFixture(new ImageLimits(100, 10_000, 50_000_000));
      ApiResponse r = small.call(upload(cat()));
      assertError(r, 413, "TOO_LARGE");
      assertThat(r.jsonBody().path("limit_bytes").asLong()).isEqualTo(100);
      assertThat(small.images.size()).isZero();
      assertThat(small.events.all()).isEmpty();
    }

    @Test
    void a_malformed_batch_id_is_400_and_stores_nothing() {
      assertError(f.call(upload(cat()).header("X-Batch-Id", "../etc/passwd")), 400, "INVALID_ID");
      assertError(f.call(upload(cat()).header("X-Batch-Id", "x".repeat(129))), 400, "INVALID_ID");
      assertError(f.call(upload(cat()).header("X-Debug", "maybe")), 400, "INVALID_PARAMETER");
      assertNothingStored();
    }

    @Test
    void a_malformed_form_field_is_reported_by_its_own_name() {
      for (String field : List.of("batch_id", "client_id")) {
        byte[] body = Multipart.form("XyZ", List.of(Multipart.field(field, "../etc/passwd"),
            Multipart.file("file", "dog.png", "image/png", dog())));
        ApiResponse r = f.call(ApiRequest.builder("POST", "/images")
            .header("Content-Type", "multipart/form-data; boundary=XyZ").body(body));
        assertError(r, 400, "INVALID_ID");
        assertThat(r.jsonBody().path("message").asText()).as(field).startsWith("form field " + field + ": ")
            .doesNotContain("X-");
      }
      assertNothingStored();
    }

    @Test
    void the_same_bytes_again_after_classification_answer_at_once() {
      f.detector.score(ImageId.sha256Of(cat()), 0.9);
      submit(cat(), "b1", "a.jpg");
      f.settle();
      ApiResponse again = f.call(upload(cat()).header("X-Batch-Id", "b2"));
      assertThat(again.jsonBody().path("status").asText()).isEqualTo("CLASSIFIED");
      assertThat(again.jsonBody().path("answer").asText()).isEqualTo("yes");
    }
  }

  @Nested
  class Images {
    @Test
    void a_classified_image_says_yes_or_no_with_score_model_and_submissions() {
      f.detector.score(ImageId.sha256Of(cat()), 0.92).score(ImageId.sha256Of(dog()), 0.05);
      String catId = submit(cat(), "b1", "cat.jpg");
      String dogId = submit(dog(), "b1", "dog.png");
      f.settle();

      JsonNode c = f.call(get("/images/" + catId)).jsonBody();
      assertThat(c.path("status").asText()).isEqualTo("CLASSIFIED");
      assertThat(c.path("answer").asText()).isEqualTo("yes");
      assertThat(c.path("cat_score").asDouble()).isEqualTo(0.92);
      assertThat(c.path("threshold").asDouble()).isEqualTo(0.3);
      assertThat(c.path("model").path("name").asText()).isEqualTo("fake-detector");
      assertThat(c.path("decided_by").asText()).isEqualTo("initial");
      assertThat(c.path("classified_at").asText()).endsWith("Z");
      assertThat(c.path("failure").isNull()).isTrue();
      assertThat(c.path("submissions")).hasSize(1);
      assertThat(c.path("submissions").get(0).path("batch_id").asText()).isEqualTo("b1");
      assertThat(c.path("submissions").get(0).path("source").asText()).isEqualTo("api");
      assertThat(c.has("debug")).isFalse();
      assertThat(f.call(get("/images/" + dogId)).jsonBody().path("answer").asText()).isEqualTo("no");
    }

    @Test
    void an_image_not_yet_projected_is_pending_not_404() {
      String id = submit(cat(), "b1", "cat.jpg");
      ApiResponse r = f.call(get("/images/" + id));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.jsonBody().path("status").asText()).isEqualTo("PENDING");
      assertThat(r.jsonBody().path("answer").isNull()).isTrue();
    }

    @Test
    void debug_adds_detections_with_boxes_timings_attempts_and_raw_output() {
      String id = submit(cat(), "b1", "cat.jpg");
      f.settle();
      JsonNode debug = f.call(get("/images/" + id).query("debug", "true")).jsonBody().path("debug");
      assertThat(debug.path("content_type").asText()).isEqualTo("image/jpeg");
      assertThat(debug.path("width").asInt()).isEqualTo(40);
      JsonNode detection = debug.path("detections").get(0);
      assertThat(detection.path("label").asText()).isEqualTo("cat");
      assertThat(detection.path("box").path("x2").asDouble()).isEqualTo(15);
      assertThat(debug.path("timings_ms").path("inference").asDouble()).isEqualTo(4.0);
      assertThat(debug.path("attempts").asInt()).isEqualTo(1);
      assertThat(debug.path("raw").path("cat_score").isNumber()).isTrue();
      assertThat(debug.path("last_failure").isNull()).isTrue();
    }

    @Test
    void a_submission_with_x_debug_gets_debug_detail_without_asking_again() {
      ApiResponse r = f.call(upload(cat()).header("X-Debug", "true"));
      f.settle();
      assertThat(f.call(get("/images/" + r.jsonBody().path("image_id").asText())).jsonBody().has("debug")).isTrue();
    }

    @Test
    void a_failed_image_carries_its_reason() {
      byte[] bytes = cat();
      f.detector.reject(ImageId.sha256Of(bytes));
      String id = submit(bytes, "b1", "broken.jpg");
      f.settle();
      JsonNode image = f.call(get("/images/" + id)).jsonBody();
      assertThat(image.path("status").asText()).isEqualTo("FAILED");
      assertThat(image.path("answer").isNull()).isTrue();
      assertThat(image.path("failure").path("reason").asText()).isEqualTo("INVALID_IMAGE");
      assertThat(image.path("failure").path("message").asText()).contains("truncated");
      assertThat(image.path("failure").path("retryable").asBoolean()).isFalse();
      assertThat(image.has("debug")).isFalse();
    }

    @Test
    void an_image_refused_before_any_submission_still_shows_why_it_failed() {
      // the S3 path records refused bytes as a terminal failure on their sha256, with no ImageReceived
      ImageId id = ImageId.sha256Of("not an image".getBytes(StandardCharsets.US_ASCII));
      f.events.append(id, 0, List.of(ClassificationFailed.of(id, 1, f.clock.instant(), "corr-1",
          new Failure(FailureReason.UNSUPPORTED_FORMAT, "WebP is not accepted, only JPEG and PNG", 1, false,
              new DetectorModel("centernet", "test")))));
      f.settle();
      JsonNode image = f.call(get("/images/" + id.value())).jsonBody();
      assertThat(image.path("status").asText()).isEqualTo("FAILED");
      assertThat(image.path("submissions").size()).isZero();
      assertThat(image.path("failure").path("reason").asText()).isEqualTo("UNSUPPORTED_FORMAT");
      assertThat(image.path("failure").path("message").asText()).contains("WebP");
    }

    @Test
    void ids_are_checked_and_unknown_images_are_404() {
      assertError(f.call(get("/images/not-a-sha")), 400, "INVALID_ID");
      assertError(f.call(get("/images/" + "a".repeat(63))), 400, "INVALID_ID");
      assertError(f.call(get("/images/" + "a".repeat(64))), 404, "NOT_FOUND");
      assertError(f.call(get("/images/" + "a".repeat(64) + "/events")), 404, "NOT_FOUND");
      assertError(f.call(get("/images/" + "a".repeat(64)).query("debug", "perhaps")), 400, "INVALID_PARAMETER");
    }

    @Test
    void an_upper_case_id_finds_the_image() {
      String id = submit(cat(), "b1", "cat.jpg");
      assertThat(f.call(get("/images/" + id.toUpperCase())).status()).isEqualTo(200);
    }

    @Test
    void events_are_the_whole_history_oldest_first_in_the_published_format() {
      String id = submit(cat(), "b1", "cat.jpg");
      submit(cat(), "b2", "cat-again.jpg");
      f.settle();
      JsonNode history = f.call(get("/images/" + id + "/events")).jsonBody();
      assertThat(history.path("image_id").asText()).isEqualTo(id);
      assertThat(history.path("count").asInt()).isEqualTo(3);
      List<String> types = new ArrayList<>();
      history.path("events").forEach(e -> types.add(e.path("type").asText()));
      assertThat(types).containsExactly("ImageReceived", "ImageReceived", "ClassificationSucceeded");
      JsonNode first = history.path("events").get(0);
      assertThat(first.path("version").asInt()).isEqualTo(1);
      assertThat(first.path("schema_version").asInt()).isEqualTo(1);
      assertThat(first.path("payload").path("batch_id").asText()).isEqualTo("b1");
    }
  }

  @Nested
  class Batches {
    @Test
    void the_same_bytes_in_two_batches_share_one_answer_and_one_classification() {
      f.detector.score(ImageId.sha256Of(cat()), 0.8);
      String id = submit(cat(), "batch-a", "one.jpg");
      submit(cat(), "batch-b", "two.jpg");
      f.settle();

      for (String batch : List.of("batch-a", "batch-b")) {
        JsonNode page = f.call(get("/batches/" + batch)).jsonBody();
        assertThat(page.path("total").asInt()).isEqualTo(1);
        assertThat(page.path("complete").asBoolean()).isTrue();
        assertThat(page.path("images").get(0).path("image_id").asText()).isEqualTo(id);
        assertThat(page.path("images").get(0).path("answer").asText()).isEqualTo("yes");
      }
      assertThat(f.call(get("/batches/batch-b")).jsonBody().path("images").get(0).path("file_names").get(0).asText())
          .isEqualTo("two.jpg");
      long successes = f.events.read(ImageId.of(id)).stream().filter(ClassificationSucceeded.class::isInstance).count();
      assertThat(successes).isEqualTo(1);
    }

    @Test
    void counts_per_status_and_pages_with_limit_and_cursor() {
      byte[] broken = TestImages.jpeg(50, 50);
      f.detector.reject(ImageId.sha256Of(broken));
      for (int i = 0; i < 5; i++) {
        submit(TestImages.png(10 + i, 10), "big", "p" + i + ".png");
      }
      submit(broken, "big", "broken.jpg");
      f.settle();
      submit(TestImages.png(99, 9), "big", "late.png");
      f.feed.catchUp(); // projected as received, not classified yet

      JsonNode first = f.call(get("/batches/big").query("limit", "4")).jsonBody();
      assertThat(first.path("total").asInt()).isEqualTo(7);
      assertThat(first.path("counts").path("CLASSIFIED").asInt()).isEqualTo(5);
      assertThat(first.path("counts").path("FAILED").asInt()).isEqualTo(1);
      assertThat(first.path("counts").path("PENDING").asInt()).isEqualTo(1);
      assertThat(first.path("complete").asBoolean()).isFalse();
      assertThat(first.path("images")).hasSize(4);
      String cursor = first.path("next_cursor").asText();
      assertThat(first.path("links").path("next").asText()).startsWith("/batches/big?limit=4&cursor=");

      Set<String> seen = new HashSet<>();
      first.path("images").forEach(i -> seen.add(i.path("image_id").asText()));
      JsonNode second = f.call(get("/batches/big").query("limit", "4").query("cursor", cursor)).jsonBody();
      second.path("images").forEach(i -> seen.add(i.path("image_id").asText()));
      assertThat(second.path("next_cursor").isNull()).isTrue();
      assertThat(seen).hasSize(7);
    }

    @Test
    void bad_ids_and_parameters_are_400_and_unknown_batches_404() {
      assertError(f.call(get("/batches/has%20space")), 400, "INVALID_ID");
      assertError(f.call(get("/batches/-starts-with-dash")), 400, "INVALID_ID");
      assertError(f.call(get("/batches/nobody")), 404, "NOT_FOUND");
      submit(cat(), "b1", "x.jpg");
      f.settle();
      assertError(f.call(get("/batches/b1").query("limit", "0")), 400, "INVALID_PARAMETER");
      assertError(f.call(get("/batches/b1").query("limit", "1001")), 400, "INVALID_PARAMETER");
      assertError(f.call(get("/batches/b1").query("limit", "ten")), 400, "INVALID_PARAMETER");
      assertError(f.call(get("/batches/b1").query("cursor", "forged")), 400, "INVALID_PARAMETER");
    }
  }

  @Nested
  class Replay {
    private ApiRequest.Builder replay(String json) {
      return ApiRequest.builder("POST", "/admin/replay").header("Content-Type", "application/json")
          .body(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rebuild_all_and_one_image() {
      String id = submit(cat(), "b1", "c.jpg");
      submit(dog(), "b1", "d.png");
      f.settle();
      JsonNode all = f.call(replay("")).jsonBody();
      assertThat(all.path("action").asText()).isEqualTo("rebuild");
      assertThat(all.path("scope").asText()).isEqualTo("all");
      assertThat(all.path("images").asInt()).isEqualTo(2);
      JsonNode one = f.call(replay("{\"image_id\": \"" + id + "\"}")).jsonBody();
      assertThat(one.path("scope").asText()).isEqualTo("image");
      assertThat(one.path("image_id").asText()).isEqualTo(id);
      assertThat(f.call(get("/images/" + id)).jsonBody().path("status").asText()).isEqualTo("CLASSIFIED");
    }

    @Test
    void a_new_threshold_redecides_from_stored_scores() {
      f.detector.score(ImageId.sha256Of(cat()), 0.5);
      String id = submit(cat(), "b1", "c.jpg");
      f.settle();
      ApiResponse r = f.call(replay("{\"threshold\": 0.6}"));
      assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
      assertThat(r.jsonBody().path("action").asText()).isEqualTo("redecide");
      assertThat(r.jsonBody().path("events_appended").asInt()).isEqualTo(1);
      assertThat(r.jsonBody().path("answers_changed").asInt()).isEqualTo(1);
      f.feed.catchUp();
      JsonNode image = f.call(get("/images/" + id)).jsonBody();
      assertThat(image.path("answer").asText()).isEqualTo("no");
      assertThat(image.path("decided_by").asText()).isEqualTo("redecide");
      // the query string works as well as a body
      ApiResponse again = f.call(ApiRequest.builder("POST", "/admin/replay").query("image_id", id)
          .query("threshold", "0.4"));
      assertThat(again.jsonBody().path("scope").asText()).isEqualTo("image");
      assertThat(again.jsonBody().path("events_appended").asInt()).isEqualTo(1);
    }

    @Test
    void reclassify_runs_a_new_model_only() {
      String id = submit(cat(), "b1", "c.jpg");
      f.settle();
      int calls = f.detector.calls();
      assertThat(f.call(replay("{\"reclassify\": true}")).jsonBody().path("events_appended").asInt()).isZero();
      f.detector.model("v2");
      JsonNode r = f.call(replay("{\"reclassify\": true, \"image_id\": \"" + id + "\"}")).jsonBody();
      assertThat(r.path("action").asText()).isEqualTo("reclassify");
      assertThat(r.path("events_appended").asInt()).isEqualTo(1);
      assertThat(f.detector.calls()).isEqualTo(calls + 1);
    }

    @Test
    void a_repeated_field_or_text_after_the_body_is_invalid_json_and_replays_nothing() {
      String id = submit(cat(), "b1", "c.jpg");
      int calls = f.detector.calls();
      String repeated = "{\"threshold\": 0.9, \"threshold\": 0.1, \"image_id\": \"" + id + "\"}";
      ApiResponse r = f.call(replay(repeated));
      assertError(r, 400, "INVALID_JSON");
      assertThat(r.jsonBody().path("message").asText()).contains("threshold");
      assertError(f.call(replay("{\"reclassify\": true} {\"reclassify\": false}")), 400, "INVALID_JSON");
      assertThat(f.detector.calls()).isEqualTo(calls);
    }

    @Test
    void bad_requests_are_400_and_unknown_images_404() {
      assertError(f.call(replay("{\"threshold\": 1.5}")), 400, "INVALID_PARAMETER");
      assertError(f.call(replay("{\"threshold\": \"high\"}")), 400, "INVALID_PARAMETER");
      assertError(f.call(replay("{\"threshold\": 0.5, \"reclassify\": true}")), 400, "INVALID_PARAMETER");
      assertError(f.call(replay("{\"everything\": true}")), 400, "INVALID_PARAMETER");
      assertError(f.call(replay("{\"image_id\": \"abc\"}")), 400, "INVALID_ID");
      assertError(f.call(replay("not json")), 400, "INVALID_JSON");
      assertError(f.call(replay("[1, 2]")), 400, "INVALID_JSON");
      assertError(f.call(replay("{\"image_id\": \"" + "b".repeat(64) + "\"}")), 404, "NOT_FOUND");
      assertError(f.call(replay("{\"image_id\": \"" + "b".repeat(64) + "\", \"threshold\": 0.5}")), 404, "NOT_FOUND");
    }
  }

  @Nested
  class DeadLetters {
    @Test
    void list_retry_one_and_retry_all() {
      byte[] a = cat();
      byte[] b = dog();
      submit(a, "b1", "a.jpg");
      submit(b, "b1", "b.png");
      // the worker gives up on both (as it does when a store stays unavailable through every attempt)
      f.queue.lease(10, java.time.Duration.ofMinutes(1)).forEach(l -> f.queue.deadLetter(l, "store unavailable"));
      JsonNode list = f.call(get("/admin/dead-letters")).jsonBody();
      assertThat(list.path("count").asInt()).isEqualTo(2);
      JsonNode first = list.path("dead_letters").get(0);
      assertThat(first.path("image_id").asText()).isIn(ImageId.sha256Of(a).value(), ImageId.sha256Of(b).value());
      assertThat(first.path("batch_id").asText()).isEqualTo("b1");
      assertThat(first.path("attempts").asInt()).isEqualTo(1);
      assertThat(first.path("reason").asText()).isEqualTo("store unavailable");
      assertThat(first.path("dead_lettered_at").asText()).endsWith("Z");

      String id = first.path("id").asText();
      ApiResponse one = f.call(ApiRequest.builder("POST", "/admin/dead-letters/" + id + "/retry"));
      assertThat(one.status()).as(one.bodyText()).isEqualTo(200);
      assertThat(one.jsonBody().path("retried").asInt()).isEqualTo(1);
      assertError(f.call(ApiRequest.builder("POST", "/admin/dead-letters/" + id + "/retry")), 404, "NOT_FOUND");
      assertError(f.call(ApiRequest.builder("POST", "/admin/dead-letters/bad%id/retry")), 400, "INVALID_ID");
      ApiResponse all = f.call(ApiRequest.builder("POST", "/admin/dead-letters/retry"));
      assertThat(all.jsonBody().path("retried").asInt()).isEqualTo(1);
      f.settle();
      assertThat(f.call(get("/admin/dead-letters")).jsonBody().path("count").asInt()).isZero();
      assertThat(f.call(get("/batches/b1")).jsonBody().path("counts").path("CLASSIFIED").asInt()).isEqualTo(2);
    }
  }

  @Nested
  class Protocol {
    @Test
    void health_is_200_when_healthy_and_503_when_not() {
      ApiResponse ok = f.call(get("/healthz"));
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.jsonBody().path("status").asText()).isEqualTo("ok");
      assertThat(ok.jsonBody().path("queue_depth").asInt()).isZero();
      f.healthy.set(false);
      ApiResponse down = f.call(get("/healthz"));
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.jsonBody().path("status").asText()).isEqualTo("unavailable");
    }

    @Test
    void unknown_paths_are_404_and_wrong_methods_405_with_allow() {
      assertError(f.call(get("/nothing/here")), 404, "NOT_FOUND");
      assertError(f.call(get("/images/")), 404, "NOT_FOUND");
      ApiResponse r = f.call(get("/admin/replay"));
      assertError(r, 405, "METHOD_NOT_ALLOWED");
      assertThat(r.header("Allow")).isEqualTo("POST");
      assertThat(f.call(ApiRequest.builder("DELETE", "/images/" + "a".repeat(64))).header("Allow")).isEqualTo("GET");
      assertThat(f.call(get("/images")).status()).isEqualTo(405);
    }

    @Test
    void every_response_has_a_request_id_and_a_bad_one_is_replaced() {
      assertThat(f.call(get("/healthz")).header("X-Request-Id")).matches("[0-9a-f-]{36}");
      assertThat(f.call(get("/healthz").header("x-request-id", "abc")).header("X-Request-Id")).isEqualTo("abc");
      assertThat(f.call(get("/healthz").header("X-Request-Id", "has space")).header("X-Request-Id"))
          .isNotEqualTo("has space");
    }

    @Test
    void an_unexpected_failure_is_500_without_internals() {
      ApiFixture broken = new ApiFixture(ImageLimits.DEFAULT, failing(() -> new IllegalStateException(
          "secret detail at io.catwrangler.Something")));
      ApiResponse r = broken.call(get("/images/" + "c".repeat(64) + "/events"));
      assertError(r, 500, "INTERNAL_ERROR");
      assertThat(r.bodyText()).doesNotContain("secret").doesNotContain("io.catwrangler").doesNotContain("Exception");
      assertThat(r.jsonBody().path("message").asText()).contains(r.header("X-Request-Id"));
    }

    @Test
    void a_full_disk_is_507_with_a_message_that_says_so() {
      ApiFixture full = new ApiFixture(ImageLimits.DEFAULT, failing(() ->
          new io.catwrangler.core.port.StorageFullException(
          "database catwrangler.db: [SQLITE_FULL] database or disk is full", null)));
      ApiResponse r = full.call(get("/images/" + "c".repeat(64) + "/events"));
      assertError(r, 507, "INSUFFICIENT_STORAGE");
      assertThat(r.jsonBody().path("message").asText()).contains("disk is full");
      assertThat(r.bodyText()).doesNotContain("SQLITE");
      assertThat(r.header("Retry-After")).isEqualTo("60");
    }

    @Test
    void an_unavailable_store_is_503_with_retry_after() {
      ApiFixture broken = new ApiFixture(ImageLimits.DEFAULT, failing(() -> new StorageUnavailableException(
          "database is locked", null)));
      ApiResponse r = broken.call(get("/images/" + "c".repeat(64) + "/events"));
      assertError(r, 503, "UNAVAILABLE");
      assertThat(r.header("Retry-After")).isEqualTo("1");
      assertThat(r.bodyText()).doesNotContain("locked");
    }

    @Test
    void body_limits_follow_the_route_and_the_413_names_both_sizes() {
      assertThat(f.api.bodyLimit("POST", "/images", java.util.Optional.empty()))
          .isEqualTo(ImageLimits.DEFAULT.maxBytes());
      assertThat(f.api.bodyLimit("POST", "/images", java.util.Optional.of("multipart/form-data")))
          .isEqualTo(ImageLimits.DEFAULT.maxBytes() + Api.MULTIPART_OVERHEAD);
      assertThat(f.api.bodyLimit("POST", "/admin/replay", java.util.Optional.empty())).isEqualTo(Api.SMALL_BODY_LIMIT);
      ApiResponse r = f.api.tooLarge(ApiRequest.builder("POST", "/images").build(), 20L * 1024 * 1024, true);
      assertError(r, 413, "TOO_LARGE");
      assertThat(r.jsonBody().path("message").asText()).contains("20.0 MiB").contains("15.0 MiB");
      assertThat(r.jsonBody().path("size_bytes").asLong()).isEqualTo(20L * 1024 * 1024);
      assertThat(r.jsonBody().path("limit_bytes").asLong()).isEqualTo(ImageLimits.DEFAULT.maxBytes());
      ApiResponse atLeast = f.api.tooLarge(ApiRequest.builder("POST", "/images").build(), 16L * 1024 * 1024, false);
      assertThat(atLeast.jsonBody().has("size_bytes")).as("only a count so far").isFalse();
    }

    @Test
    void routes_are_labelled_by_template() {
      assertThat(Api.route("GET", "/images/" + "a".repeat(64)).map(Route::label)).contains("GET /images/{id}");
      assertThat(Api.route("POST", "/admin/dead-letters/retry")).contains(Route.RETRY_ALL_DEAD_LETTERS);
      assertThat(Api.route("POST", "/admin/dead-letters/42/retry")).contains(Route.RETRY_DEAD_LETTER);
      assertThat(Api.route("GET", "/images/x/y/z")).isEmpty();
    }

    @Test
    void concurrency_conflicts_surface_as_503() {
      ApiFixture broken = new ApiFixture(ImageLimits.DEFAULT, failing(() -> new ConcurrencyConflictException(
          ImageId.of("d".repeat(64)), 1)));
      assertThat(broken.call(get("/images/" + "d".repeat(64) + "/events")).status()).isEqualTo(503);
    }
  }

  /** An event store whose reads throw. */
  private static EventStore failing(Supplier<RuntimeException> failure) {
    return new EventStore() {
      @Override
      public void append(ImageId imageId, long expectedVersion, List<? extends Event> events) {
        throw failure.get();
      }

      @Override
      public List<Event> read(ImageId imageId) {
        throw failure.get();
      }

      @Override
      public Page<ImageId> imageIds(PageRequest page) {
        throw failure.get();
      }
    };
  }

  @Nested
  class Notifications {
    private final ApiFixture allowing = new ApiFixture(ImageLimits.DEFAULT, null,
        io.catwrangler.core.notify.NotifyAllowList.parse("hooks.example.com,127.0.0.1:9000"));

    private io.catwrangler.events.Submission recorded(ApiFixture fixture) {
      return ((io.catwrangler.events.ImageReceived) fixture.events.all().get(0)).submission();
    }

    @Test
    void an_allowed_url_is_kept_with_the_submission() {
      ApiResponse r = allowing.call(upload(cat()).header("X-Batch-Id", "b").header("X-Notify-Url",
          "https://hooks.example.com/cats?team=7").header("X-Notify-Each-Image", "true"));

      assertThat(r.status()).as(r.bodyText()).isEqualTo(202);
      assertThat(recorded(allowing).notifyTarget()).contains(
          new io.catwrangler.events.NotifyTarget("https://hooks.example.com/cats?team=7", true));
    }

    @Test
    void multipart_fields_name_it_too() {
      byte[] body = Multipart.form("XyZ", List.of(Multipart.field("batch_id", "b"),
          Multipart.field("notify_url", "http://127.0.0.1:9000/hook"),
          Multipart.file("file", "dog.png", "image/png", dog())));
      ApiResponse r = allowing.call(ApiRequest.builder("POST", "/images")
          .header("Content-Type", "multipart/form-data; boundary=XyZ").body(body));

      assertThat(r.status()).as(r.bodyText()).isEqualTo(202);
      assertThat(recorded(allowing).notifyTarget()).contains(
          new io.catwrangler.events.NotifyTarget("http://127.0.0.1:9000/hook", false));
    }

    @Test
    void a_url_off_the_allow_list_is_400_and_stores_nothing() {
      for (String url : List.of("https://evil.test/", "http://127.0.0.1:9001/", "http://169.254.169.254/latest/",
          "https://hooks.example.com@evil.test/", "file:///etc/passwd", "https://hooks.example.com.evil.test/")) {
        ApiResponse r = allowing.call(upload(cat()).header("X-Batch-Id", "b").header("X-Notify-Url", url));
        assertError(r, 400, "INVALID_PARAMETER");
        assertThat(r.jsonBody().path("message").asText()).as(url).startsWith("X-Notify-Url: ");
      }
      assertThat(allowing.images.size()).isZero();
      assertThat(allowing.queue.depth()).isZero();
      assertThat(allowing.events.all()).isEmpty();
    }

    @Test
    void a_server_with_no_allow_list_takes_no_url() {
      ApiResponse r =
          f.call(upload(cat()).header("X-Batch-Id", "b").header("X-Notify-Url", "https://hooks.example.com/"));

      assertError(r, 400, "INVALID_PARAMETER");
      assertThat(r.jsonBody().path("message").asText()).contains("allowed none");
      assertNothingStored();
    }

    @Test
    void a_registration_that_could_never_fire_is_400() {
      assertError(allowing.call(upload(cat()).header("X-Notify-Url", "https://hooks.example.com/")),
          400, "INVALID_PARAMETER");
      assertError(allowing.call(upload(cat()).header("X-Batch-Id", "b").header("X-Notify-Each-Image", "true")),
          400, "INVALID_PARAMETER");
      assertError(allowing.call(upload(cat()).header("X-Batch-Id", "b").header("X-Notify-Each-Image", "maybe")
          .header("X-Notify-Url", "https://hooks.example.com/")), 400, "INVALID_PARAMETER");
      assertThat(allowing.events.all()).isEmpty();
      assertThat(allowing.images.size()).isZero();
    }

    @Test
    void without_a_webhook_sender_the_dead_letter_routes_are_404() {
      assertError(f.call(get("/admin/notifications/dead-letters")), 404, "NOT_FOUND");
      assertError(f.call(ApiRequest.builder("POST", "/admin/notifications/dead-letters/retry")), 404, "NOT_FOUND");
    }

    @Test
    void dead_letters_are_listed_and_retried() {
      var letter = new io.catwrangler.core.notify.NotificationDeadLetters.DeadNotification("4", "9b1f",
          "batch.completed", "https://hooks.example.com/cats", 8, "HTTP 500",
          java.time.Instant.parse("2026-12-02T09:00:00Z"), java.time.Instant.parse("2026-12-02T09:10:00Z"));
      List<String> retried = new ArrayList<>();
      Api api = f.api.toBuilder().notificationDeadLetters(new io.catwrangler.core.notify.NotificationDeadLetters() {
        @Override
        public List<DeadNotification> list(int limit) {
          return List.of(letter);
        }

        @Override
        public boolean retry(String id) {
          retried.add(id);
          return id.equals("4");
        }

        @Override
        public int retryAll() {
          return 1;
        }
      }).build();

      JsonNode list = api.handle(get("/admin/notifications/dead-letters").build()).jsonBody();
      assertThat(list.path("count").asInt()).isEqualTo(1);
      assertThat(list.path("dead_letters").get(0).path("last_error").asText()).isEqualTo("HTTP 500");
      assertThat(api.handle(ApiRequest.builder("POST", "/admin/notifications/dead-letters/4/retry").build()).status())
          .isEqualTo(200);
      assertError(api.handle(ApiRequest.builder("POST", "/admin/notifications/dead-letters/5/retry").build()),
          404, "NOT_FOUND");
      assertError(api.handle(ApiRequest.builder("POST", "/admin/notifications/dead-letters/%2e/retry").build()),
          400, "INVALID_ID");
      assertThat(api.handle(ApiRequest.builder("POST", "/admin/notifications/dead-letters/retry").build())
          .jsonBody().path("retried").asInt()).isEqualTo(1);
      assertThat(retried).containsExactly("4", "5");
    }
  }
}
