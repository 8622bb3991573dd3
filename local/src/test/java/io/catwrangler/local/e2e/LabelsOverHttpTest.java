package io.catwrangler.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.events.ImageId;
import io.catwrangler.local.http.ApiClient;
import io.catwrangler.local.http.EmbeddedApi;
import io.catwrangler.local.http.EmbeddedHttpServer;
import io.catwrangler.local.http.HttpServerConfig;
import io.catwrangler.local.runtime.LocalConfig;
import io.catwrangler.local.runtime.LocalRuntime;
import io.catwrangler.local.runtime.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * People's corrections over real HTTP on the embedded runtime (SQLite, projector, workers; a scripted detector):
 * labels recorded and shown, {@code GET /quality} and {@code /metrics} counting them, and all of it the same after a
 * restart and after a rebuild of the view from the events.
 */
class LabelsOverHttpTest {
  private static final Duration IDLE = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;

  private LocalRuntime runtime;
  private EmbeddedHttpServer server;
  private ApiClient client;

  /** Six images by cat score; each label is what a person said. */
  private static final Map<Integer, Double> SCORES = new LinkedHashMap<>();

  static {
    SCORES.put(301, 0.95); // labelled cat: tp
    SCORES.put(302, 0.55); // labelled not: fp (and tn from 0.6 up)
    SCORES.put(303, 0.05); // labelled not: tn
    SCORES.put(304, 0.35); // labelled cat: fn (tp at 0.3)
    SCORES.put(305, 0.80); // labelled cat: tp
    SCORES.put(306, 0.70); // not labelled
  }

  private void open() throws Exception {
    FakeCatDetector detector = new FakeCatDetector(LocalConfig.defaults(dataDir).detector().threshold());
    SCORES.forEach((seed, score) -> detector.score(ImageId.sha256Of(TestImages.png(seed)), score));
    runtime = LocalRuntime.open(LocalConfig.defaults(dataDir).withWorkers(2), detector);
    server = EmbeddedApi.serve(runtime, HttpServerConfig.loopback(0).withAccessLog(false));
    client = new ApiClient(server.url(), Optional.empty(), Duration.ofSeconds(30));
  }

  private void close() {
    if (server != null) {
      server.close();
      server = null;
    }
    if (runtime != null) {
      runtime.close();
      runtime = null;
    }
  }

  @AfterEach
  void stop() {
    close();
  }

  private static String id(int seed) {
    return ImageId.sha256Of(TestImages.png(seed)).value();
  }

  private ApiClient.Reply label(int seed, boolean cat, String by) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("cat", cat).put("by", by);
    return client.post("/images/" + id(seed) + "/labels", body);
  }

  private String metrics() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(server.url() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void labelsAreShownCountedAndKeptAcrossARestartAndARebuild() throws Exception {
    open();
    for (int seed : SCORES.keySet()) {
      assertThat(client.upload(TestImages.png(seed), Optional.of(seed + ".png"), Optional.of("labelled"),
          Optional.empty(), false).status()).isEqualTo(202);
    }
    assertThat(runtime.awaitIdle(IDLE)).isTrue();

    ApiClient.Reply first = label(302, true, "ana");
    assertThat(first.status()).as(first.describeError()).isEqualTo(201);
    assertThat(first.body().path("label").path("by").asText()).isEqualTo("ana");
    assertThat(label(301, true, "ana").status()).isEqualTo(201);
    assertThat(label(302, false, "bob").status()).as("the newest label wins").isEqualTo(201);
    assertThat(label(303, false, "bob").status()).isEqualTo(201);
    assertThat(label(304, true, "bob").status()).isEqualTo(201);
    assertThat(label(305, true, "bob").status()).isEqualTo(201);
    assertThat(label(305, true, "bob").status()).as("said already").isEqualTo(200);
    assertThat(label(307, true, "bob").status()).as("never sent").isEqualTo(404);
    ApiClient.Reply bad = client.post("/images/" + id(303) + "/labels", JSON.createObjectNode().put("cat", "no"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.error()).isEqualTo("INVALID_PARAMETER");
    assertThat(runtime.awaitIdle(IDLE)).isTrue();

    JsonNode image = client.get("/images/" + id(302)).body();
    assertThat(image.path("answer").asText()).as("the model's answer stays").isEqualTo("yes");
    assertThat(image.path("label").path("cat").asBoolean()).isFalse();
    assertThat(image.path("label").path("by").asText()).isEqualTo("bob");
    JsonNode history = client.get("/images/" + id(302) + "/events").body();
    assertThat(history.path("events").findValuesAsText("type"))
        .containsExactly("ImageReceived", "ClassificationSucceeded", "LabelRecorded", "LabelRecorded");

    JsonNode quality = client.get("/quality").body();
    assertQuality(quality);
    String metrics = metrics();
    assertThat(metrics)
        .contains("catwrangler_quality_answers{outcome=\"tp\"} 2")
        .contains("catwrangler_quality_answers{outcome=\"fp\"} 1")
        .contains("catwrangler_quality_answers{outcome=\"tn\"} 1")
        .contains("catwrangler_quality_answers{outcome=\"fn\"} 1")
        .contains("catwrangler_quality_labelled_images{state=\"measured\"} 5")
        .contains("catwrangler_quality_ratio{measure=\"accuracy\"} 0.6")
        .contains("catwrangler_quality_ratio_low{measure=\"accuracy\"} 0.23")
        .contains("catwrangler_quality_redecide_ratio{threshold=\"0.3\",measure=\"recall\"} 1")
        .contains("catwrangler_quality_redecide_answers_changed{threshold=\"0.6\"} 1");

    close();
    open();
    assertThat(runtime.awaitIdle(IDLE)).isTrue();
    assertThat(client.get("/quality").body()).as("after a restart").isEqualTo(quality);
    assertThat(client.get("/images/" + id(302)).body().path("label").path("by").asText()).isEqualTo("bob");

    ApiClient.Reply rebuild = client.post("/admin/replay", JSON.createObjectNode());
    assertThat(rebuild.status()).as(rebuild.describeError()).isEqualTo(200);
    assertThat(runtime.awaitIdle(IDLE)).isTrue();
    assertThat(client.get("/quality").body()).as("after a rebuild").isEqualTo(quality);
  }

  private static void assertQuality(JsonNode q) {
    assertThat(q.path("model").path("name").asText()).isEqualTo("fake-detector");
    assertThat(q.path("threshold").asDouble()).isEqualTo(0.5);
    assertThat(q.path("labelled").asLong()).isEqualTo(5);
    assertThat(q.path("n").asLong()).isEqualTo(5);
    assertThat(q.path("counts").toString()).isEqualTo("{\"tp\":2,\"fp\":1,\"tn\":1,\"fn\":1}");
    assertThat(q.path("accuracy").path("value").asDouble()).isEqualTo(0.6);
    assertThat(q.path("accuracy").path("low").asDouble()).isBetween(0.2307, 0.2308);
    assertThat(q.path("accuracy").path("high").asDouble()).isBetween(0.8823, 0.8824);
    assertThat(q.path("precision").path("value").asDouble()).isEqualTo(2.0 / 3);
    assertThat(q.path("recall").path("value").asDouble()).isEqualTo(2.0 / 3);
    assertThat(q.path("thresholds").findValuesAsText("threshold")).containsExactly("0.3", "0.4", "0.5", "0.6", "0.7");
    JsonNode at03 = q.path("thresholds").get(0);
    assertThat(at03.path("counts").toString()).isEqualTo("{\"tp\":3,\"fp\":1,\"tn\":1,\"fn\":0}");
    assertThat(at03.path("answers_changed").asLong()).isEqualTo(1);
    JsonNode at06 = q.path("thresholds").get(3);
    assertThat(at06.path("counts").toString()).isEqualTo("{\"tp\":2,\"fp\":0,\"tn\":2,\"fn\":1}");
    assertThat(at06.path("accuracy").path("value").asDouble()).isEqualTo(0.8);
  }
}
